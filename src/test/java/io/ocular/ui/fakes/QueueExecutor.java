package io.ocular.ui.fakes;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/** A stand-in for the FX event queue: tasks wait until the test runs them. */
public final class QueueExecutor implements Executor {
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable command) {
        tasks.add(command);
    }

    public int pending() {
        return tasks.size();
    }

    /** Runs the oldest queued task only; false when none was queued. */
    public boolean runNext() {
        Runnable r = tasks.poll();
        if (r == null) {
            return false;
        }
        r.run();
        return true;
    }

    /** Runs queued tasks (and those they queue) until none is left; returns how many ran. */
    public int runAll() {
        int n = 0;
        Runnable r;
        while ((r = tasks.poll()) != null) {
            r.run();
            n++;
        }
        return n;
    }
}
