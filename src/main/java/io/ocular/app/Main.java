package io.ocular.app;

import io.ocular.cli.OcularCli;
import io.ocular.model.OcularException;

/**
 * Entry point of {@code ocular.jar}: with a command it is the CLI, without one it opens the window.
 *
 * <p>No logger here: logging must not start before {@link AppPaths#configureLogging()} has pointed it at the
 * data folder's logs.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        AppPaths paths;
        try {
            paths = AppPaths.resolve(dataDirArgument(args));
        } catch (OcularException e) {
            System.err.println("ocular: " + e.getMessage());
            System.exit(1);
            return;
        }
        paths.configureLogging();
        int code = args.length == 0
                ? DesktopMain.run(paths, args)
                : OcularCli.commandLine().execute(args);
        System.exit(code);
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
