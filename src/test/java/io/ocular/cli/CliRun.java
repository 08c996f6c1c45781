package io.ocular.cli;

import io.ocular.engine.Engine;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Runs the CLI in-process and captures its exit code, stdout and stderr. */
record CliRun(int code, String out, String err) {

    static CliRun run(OcularOpener opener, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = OcularCli.commandLine(opener);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Runs the CLI on the real engine with {@code --data-dir dataDir} before {@code args}. */
    static CliRun inDataDir(Path dataDir, String... args) {
        String[] all = Stream.concat(Stream.of("--data-dir", dataDir.toString()), Stream.of(args))
                .toArray(String[]::new);
        return run(Engine::open, all);
    }

    static CliRun run(String... args) {
        return run((paths, model) -> {
            throw new AssertionError("this test must not open the engine");
        }, args);
    }
}
