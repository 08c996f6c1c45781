package io.ocular.app;

import java.io.PrintStream;

/**
 * Hook for the desktop window: {@link Main} calls {@link #launch} when started without arguments.
 * The JavaFX application (helper "ui") replaces this body; until it lands it says so instead of opening a window.
 */
public final class DesktopLauncher {
    private final AppPaths paths;

    public DesktopLauncher(AppPaths paths) {
        this.paths = paths;
    }

    /**
     * Opens the window for {@link #paths} and returns the process exit code once it closes.
     */
    public int launch(String[] args, PrintStream err) {
        // TODO(ui): start the JavaFX application (Application.launch) over Ocular.open(paths, null).
        err.println("ocular: the desktop window is not part of this build yet (data folder " + paths.dataDir()
                + "). Run 'ocular --help' for the command line.");
        return 1;
    }
}
