package io.ocular.app;

import javafx.application.Platform;

/** Starts the JavaFX toolkit once per process: a dialog before the window and the window may both need it. */
final class FxStartup {
    private static boolean started;

    private FxStartup() {
    }

    /** Starts the toolkit if this process has not yet; then runs {@code first} on the FX thread. */
    static synchronized void start(Runnable first) {
        if (started) {
            Platform.runLater(first);
            return;
        }
        try {
            Platform.startup(first);
        } catch (IllegalStateException alreadyRunning) { // started by someone else (e.g. a test harness)
            Platform.runLater(first);
        }
        started = true;
    }

    static void start() {
        start(() -> { });
    }
}
