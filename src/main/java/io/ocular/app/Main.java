package io.ocular.app;

import io.ocular.cli.OcularCli;
import io.ocular.engine.AppPaths;
import io.ocular.model.OcularException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Entry point of {@code ocular.jar}: with a command it is the CLI, without one it opens the window.
 *
 * <p>No logger here: logging must not start before {@link AppPaths#configureLogging()} has pointed it at the
 * data folder's logs.
 */
public final class Main {
    private Main() {
    }

    /**
     * DJL settings the installed app passes as {@code --java-options} (installer/jpackage/image.args), set here too
     * for {@code java -jar ocular.jar} and the CLI, unless given on the command line: never reach for a network
     * (every model is local), and run ONNX models without PyTorch as the "alternative engine" — DJL otherwise loads
     * libtorch (hundreds of MB of native code, 2-3 s) with the first model, for array ops pure inference never needs
     * (issue 13: that was a third of opening a 1M-photo library).
     */
    static final Map<String, String> DJL_DEFAULTS = Map.of("ai.djl.offline", "true",
            "ai.djl.onnx.disable_alternative", "true");

    /** Sets each of {@link #DJL_DEFAULTS} that the command line did not set. */
    static void applyDjlDefaults() {
        DJL_DEFAULTS.forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
    }

    public static void main(String[] args) {
        applyDjlDefaults();
        AppPaths paths;
        try {
            paths = AppPaths.resolve(dataDirArgument(args));
        } catch (OcularException e) {
            System.err.println("ocular: " + e.getMessage());
            System.exit(1);
            return;
        }
        paths.configureLogging();
        int code;
        if (Arrays.asList(args).contains("--self-test")) {
            code = SelfTest.run(paths, System.out);
        } else if (opensWindow(args)) {
            WindowPreflight preflight = WindowPreflight.forThisProcess();
            Optional<String> problem = preflight.problem();
            if (problem.isPresent()) {
                System.err.println(problem.get()); // one paragraph, no stack trace (see WindowPreflight)
                code = WindowPreflight.EXIT_CODE;
            } else {
                WindowPreflight.quietJavaFxStartupWarning();
                HeapHabits.applyToThisJvm();
                try {
                    code = DesktopMain.run(paths, withoutDataDir(args));
                } catch (UnsupportedOperationException | UnsatisfiedLinkError e) {
                    // JavaFX's glass refuses to start (e.g. "Unable to open DISPLAY"): still one paragraph
                    System.err.println(preflight.toolkitFailed(e));
                    code = WindowPreflight.EXIT_CODE;
                }
            }
        } else {
            code = OcularCli.commandLine().execute(args);
        }
        System.exit(code);
    }

    /**
     * No command, or only existing folders/files (what a file manager passes when folders are dropped on the
     * launcher or "opened with" Ocular): the window, with those paths handed to it.
     */
    static boolean opensWindow(String[] args) {
        String[] rest = withoutDataDir(args);
        for (String a : rest) {
            Path p = Path.of(a);
            if (a.startsWith("-") || !p.isAbsolute() || !Files.exists(p)) {
                return false;
            }
        }
        return true;
    }

    static String[] withoutDataDir(String[] args) {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--data-dir")) {
                i++;
            } else if (!args[i].startsWith("--data-dir=")) {
                rest.add(args[i]);
            }
        }
        return rest.toArray(String[]::new);
    }

    /** The value of {@code --data-dir DIR} or {@code --data-dir=DIR} anywhere on the command line, or null. */
    static String dataDirArgument(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].equals("--data-dir") && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith("--data-dir=")) {
                return args[i].substring("--data-dir=".length());
            }
        }
        return null;
    }
}
