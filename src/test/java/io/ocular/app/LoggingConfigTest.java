package io.ocular.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped logback.xml: Ocular's warnings reach the terminal, DJL's (e.g. "CUDA is not supported") only the log file. */
class LoggingConfigTest {
    @TempDir
    Path logs;

    @Test
    void djlWarningsGoToTheLogFileOnlyAndOcularWarningsAlsoToStderr() throws Exception {
        URL shipped = LoggingConfigTest.class.getResource("/logback.xml");
        assertThat(shipped).isNotNull();
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            context.putProperty("ocular.log.dir", logs.toString());
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(shipped);
            context.getLogger("ai.djl.onnxruntime.engine.OrtEngine").warn("CUDA is not supported OnnxRuntime engine");
            context.getLogger("io.ocular.index.StorageGuard").warn("indexing paused: the disk is full");
        } finally {
            context.stop();
            System.setErr(before);
        }
        String terminal = err.toString(StandardCharsets.UTF_8);
        assertThat(terminal).contains("indexing paused: the disk is full").doesNotContain("CUDA");
        assertThat(Files.readString(logs.resolve("ocular.log")))
                .contains("CUDA is not supported").contains("indexing paused: the disk is full");
    }
}
