package io.ocular.index;

import io.ocular.model.IndexProgress.State;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The daemon's commands and run state: a queue run one command at a time by the scheduler thread, with
 * coalescing (a burst of watcher events for one folder becomes one pending scan), pause, cancel (a new
 * generation: work of the old one is dropped wherever it is) and idleness (a run goes from the first
 * command submitted while idle to the moment the queue is empty again).
 *
 * <p>All state is guarded by one lock; nothing here starts a thread, so it is unit-tested directly.
 */
final class CommandScheduler {

    /** What the scheduler thread runs. */
    sealed interface Command {
        record AddFolder(Path path) implements Command {
        }

        record RemoveFolder(long folderId) implements Command {
        }

        /** A subtree scan, or (path null) a full rescan of every library folder. */
        record Scan(Path path) implements Command {
        }

        /** No scan: only the follow-up passes that end every run. */
        record FollowUp() implements Command {
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Command> commands = new ArrayDeque<>();
    private final Runnable onRunStart;
    private boolean busy;
    private boolean paused;
    private volatile boolean running = true;
    private volatile long generation;
    private volatile boolean cancelledRun;
    private volatile boolean failed;

    /** @param onRunStart called (under the lock) when a command arrives while idle: reset the run's counters */
    CommandScheduler(Runnable onRunStart) {
        this.onRunStart = onRunStart;
    }

    /**
     * True when {@code command} adds nothing to what is already pending: the same command, any scan while a
     * full rescan is pending, or a scan of a folder inside one whose scan is pending.
     */
    static boolean coalesces(Iterable<Command> pending, Command command) {
        for (Command p : pending) {
            if (p.equals(command)) {
                return true;
            }
            if (command instanceof Command.Scan s && p instanceof Command.Scan q
                    && (q.path() == null || (s.path() != null && s.path().startsWith(q.path())))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Queues a command (at the front when {@code first}); returns false when it was coalesced or the
     * scheduler is closed.
     */
    boolean submit(Command command, boolean first) {
        lock.lock();
        try {
            if (!running || coalesces(commands, command)) {
                return false;
            }
            if (!busy) {
                cancelledRun = false;
                failed = false;
                onRunStart.run();
            }
            busy = true;
            if (first) {
                commands.addFirst(command);
            } else {
                commands.addLast(command);
            }
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The next command, waiting for one; null once closed. */
    Command take() throws InterruptedException {
        lock.lock();
        try {
            while (commands.isEmpty() && running) {
                changed.await();
            }
            return running ? commands.pollFirst() : null;
        } finally {
            lock.unlock();
        }
    }

    boolean pending() {
        lock.lock();
        try {
            return !commands.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** The state the run ends in when no command is pending, or null while more are queued. */
    State finalState() {
        lock.lock();
        try {
            return commands.isEmpty() ? (failed ? State.FAILED : cancelledRun ? State.IDLE : State.DONE) : null;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the run if nothing was queued meanwhile (after its final state was published). */
    void idleIfDrained() {
        lock.lock();
        try {
            if (commands.isEmpty()) {
                busy = false;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Cancels the current run (a new generation; queued commands dropped). Returns false when idle. */
    boolean cancel() {
        lock.lock();
        try {
            if (!busy) {
                return false;
            }
            generation++;
            cancelledRun = true;
            commands.clear();
            paused = false;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    void pause(boolean on) {
        lock.lock();
        try {
            paused = on;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void awaitNotPaused() throws InterruptedException {
        lock.lock();
        try {
            while (paused && running) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (busy) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** What listeners see for the phase the run is in: paused and cancelling override it while running. */
    State displayed(State phase) {
        lock.lock();
        try {
            boolean active = busy && !(phase == State.DONE || phase == State.FAILED || phase == State.IDLE);
            return active && cancelledRun ? State.CANCELLING : active && paused ? State.PAUSED : phase;
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            running = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean running() {
        return running; // written under the lock; a stale true only delays a thread's exit by one step
    }

    long generation() {
        return generation;
    }

    boolean cancelledRun() {
        return cancelledRun;
    }

    void failed() {
        failed = true;
    }
}
