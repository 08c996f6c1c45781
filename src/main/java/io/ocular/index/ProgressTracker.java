package io.ocular.index;

import io.ocular.model.IndexProgress;
import io.ocular.model.IndexProgress.State;
import io.ocular.model.SkippedFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * The counters of one run and the snapshots listeners get: files done and known, skips (the recent ones with
 * reasons), the embedding rate over a window, and what the run found for people (new, moved and removed
 * photos, offline folders). Thread-safe; any daemon thread counts. Snapshots are throttled to one per
 * {@code interval} unless forced, and taken and delivered under one lock, so listeners see monotonic counts.
 */
final class ProgressTracker {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressTracker.class);

    private final Clock clock;
    private final Duration interval;
    private final int recentSkipsKept;
    private final Duration rateWindow;
    /** The state listeners see for the current phase (paused, cancelling...), from the scheduler. */
    private final UnaryOperator<State> displayed;

    private final List<IndexListener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock publishLock = new ReentrantLock();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong embedded = new AtomicLong();
    private final AtomicLong fresh = new AtomicLong();
    private final AtomicLong moved = new AtomicLong();
    private final AtomicLong removed = new AtomicLong();
    private final Set<Path> offline = new LinkedHashSet<>(); // guarded by itself
    private final Deque<SkippedFile> recentSkips = new ArrayDeque<>(); // guarded by itself
    private final Deque<long[]> rateSamples = new ArrayDeque<>(); // {millis, embedded}; guarded by itself
    private volatile State phase = State.IDLE;
    private volatile Path currentFile;
    private volatile String storageNotice; // why indexing is paused by the disk; kept across runs until lifted
    private volatile long lastPublishMillis;

    ProgressTracker(Clock clock, Duration interval, int recentSkips, Duration rateWindow, UnaryOperator<State> displayed) {
        this.clock = clock;
        this.interval = interval;
        this.recentSkipsKept = recentSkips;
        this.rateWindow = rateWindow;
        this.displayed = displayed;
    }

    void addListener(IndexListener l) {
        listeners.add(l);
    }

    void removeListener(IndexListener l) {
        listeners.remove(l);
    }

    /** A run starts: every counter back to zero. */
    void reset() {
        done.set(0);
        total.set(0);
        skipped.set(0);
        embedded.set(0);
        fresh.set(0);
        moved.set(0);
        removed.set(0);
        synchronized (offline) {
            offline.clear();
        }
        synchronized (recentSkips) {
            recentSkips.clear();
        }
        synchronized (rateSamples) {
            rateSamples.clear();
        }
        phase = State.SCANNING;
    }

    State phase() {
        return phase;
    }

    void phase(State s) {
        phase = s;
        if (s == State.DONE || s == State.FAILED || s == State.IDLE) {
            currentFile = null;
        }
    }

    void current(Path file) {
        currentFile = file;
    }

    void found(long n) {
        total.addAndGet(n);
    }

    void done(long n) {
        done.addAndGet(n);
    }

    void embedded(long n) {
        embedded.addAndGet(n);
    }

    /** New photos stored in this run (not re-embedded changes). */
    void fresh(long n) {
        fresh.addAndGet(n);
    }

    void moved(long n) {
        moved.addAndGet(n);
    }

    void removed(long n) {
        removed.addAndGet(n);
    }

    /** Why the data folder's disk stopped indexing (full, read-only), or null once it works again. */
    void storage(String text) {
        storageNotice = text;
    }

    boolean isOffline(Path folder) {
        synchronized (offline) {
            return offline.contains(folder);
        }
    }

    /** A library folder could not be reached (drive disconnected?): reported, nothing of it deleted. */
    void offline(Path folder) {
        synchronized (offline) {
            offline.add(folder);
        }
        skip(new SkippedFile(folder, "folder is offline (drive disconnected?): its photos are kept"), false);
    }

    /** A skipped file (counted) or a run-level problem (not counted), shown among the recent skips. */
    void skip(SkippedFile s, boolean count) {
        if (count) {
            skipped.incrementAndGet();
        }
        synchronized (recentSkips) {
            recentSkips.addLast(s);
            while (recentSkips.size() > recentSkipsKept) {
                recentSkips.removeFirst();
            }
        }
        publish(false);
    }

    IndexProgress snapshot() {
        return snapshot(displayed.apply(phase));
    }

    IndexProgress snapshot(State state) {
        long d = done.get();
        long t = Math.max(total.get(), d);
        double rate = rate();
        Duration eta = rate > 0 && t > d ? Duration.ofMillis((long) ((t - d) / rate * 1000)) : null;
        List<SkippedFile> skips;
        synchronized (recentSkips) {
            skips = List.copyOf(recentSkips);
        }
        boolean active = state == State.SCANNING || state == State.INDEXING || state == State.PAUSED;
        return new IndexProgress(state, d, t, skipped.get(), rate, active ? eta : null, active ? currentFile : null,
                skips, notice());
    }

    /** "3 new photos found, 1 moved, 2 removed; Pictures is offline", or null when nothing happened. */
    String notice() {
        List<String> parts = new ArrayList<>();
        String disk = storageNotice;
        if (disk != null) {
            parts.add(disk);
        }
        long n = fresh.get();
        if (n > 0) {
            parts.add(String.format(Locale.ROOT, "%,d new photo%s found", n, n == 1 ? "" : "s"));
        }
        if (moved.get() > 0) {
            parts.add(String.format(Locale.ROOT, "%,d moved", moved.get()));
        }
        if (removed.get() > 0) {
            parts.add(String.format(Locale.ROOT, "%,d removed", removed.get()));
        }
        synchronized (offline) {
            for (Path p : offline) {
                parts.add(p + " is offline (drive disconnected?): its photos are kept");
            }
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    /** Embedded images per second over the recent window (sampled on each snapshot). */
    private double rate() {
        synchronized (rateSamples) {
            long now = clock.millis();
            rateSamples.addLast(new long[]{now, embedded.get()});
            long windowStart = now - rateWindow.toMillis();
            while (rateSamples.size() > 2 && rateSamples.peekFirst()[0] < windowStart) {
                rateSamples.removeFirst();
            }
            long[] first = rateSamples.peekFirst();
            long dt = now - first[0];
            return dt <= 0 ? 0 : (embedded.get() - first[1]) * 1000.0 / dt;
        }
    }

    /** Sends the run's final state (always delivered). */
    void publishFinal(State state) {
        publishLock.lock();
        try {
            deliver(snapshot(state));
        } finally {
            publishLock.unlock();
        }
    }

    /** Sends a snapshot: at most one per interval unless {@code force}. */
    void publish(boolean force) {
        long now = clock.millis();
        if (!force && now - lastPublishMillis < interval.toMillis()) {
            return;
        }
        if (force) {
            publishLock.lock();
        } else if (!publishLock.tryLock()) {
            return;
        }
        try {
            lastPublishMillis = now;
            deliver(snapshot());
        } finally {
            publishLock.unlock();
        }
    }

    private void deliver(IndexProgress p) {
        for (IndexListener l : listeners) {
            try {
                l.onProgress(p);
            } catch (RuntimeException e) {
                LOG.warn("progress listener failed", e);
            }
        }
    }
}
