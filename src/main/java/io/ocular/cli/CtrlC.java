package io.ocular.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT/SIGTERM) while a long command runs: the shutdown hook runs the cancel action and then waits
 * (bounded) until the command has closed its resources, so finished work is committed and the catalog is
 * closed cleanly before the JVM halts. Closing this removes the hook (in-process callers such as tests keep
 * no stray hooks).
 */
final class CtrlC implements AutoCloseable {
    private static final long GRACE_SECONDS = 30;

    private final Thread hook;
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Runnable onInterrupt = () -> { };
    private volatile boolean interrupted;

    CtrlC() {
        hook = new Thread(this::interrupt, "ocular-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** What to do on Ctrl-C (e.g. cancel the indexer). */
    void onInterrupt(Runnable action) {
        this.onInterrupt = action;
    }

    boolean interrupted() {
        return interrupted;
    }

    private void interrupt() {
        interrupted = true;
        onInterrupt.run();
        try {
            released.await(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        released.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it is released above
        }
    }
}
