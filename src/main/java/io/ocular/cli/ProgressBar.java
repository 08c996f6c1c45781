package io.ocular.cli;

import io.ocular.index.IndexListener;
import io.ocular.model.IndexProgress;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line text progress bar for the indexing daemon: {@code [######....] 120/1000  24.5 img/s  ETA 0:36}.
 * On a terminal it redraws in place (carriage return) a few times a second; otherwise it prints a line every
 * few seconds so logs stay readable. Listener calls return at once (it only formats and writes a line).
 */
final class ProgressBar implements IndexListener {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean interactive;
    private final long intervalNanos;
    private final LongSupplier clock;
    private long lastDraw = Long.MIN_VALUE;
    private int lastLength;
    private boolean drawn;
    private String lastLine = "";
    private IndexProgress.State lastState;

    ProgressBar(PrintWriter err, boolean interactive, LongSupplier nanoClock) {
        this.err = err;
        this.interactive = interactive;
        this.intervalNanos = interactive ? 200_000_000L : 5_000_000_000L;
        this.clock = nanoClock;
    }

    @Override
    public synchronized void onProgress(IndexProgress p) {
        long now = clock.getAsLong();
        boolean final_ = p.state() == IndexProgress.State.DONE || p.state() == IndexProgress.State.FAILED;
        if (!final_ && drawn && now - lastDraw < intervalNanos) {
            return;
        }
        String line = format(p);
        if (line.equals(lastLine) || (final_ && p.state() == lastState)) {
            return;
        }
        lastLine = line;
        lastState = p.state();
        lastDraw = now;
        drawn = true;
        if (interactive) {
            String pad = line.length() < lastLength ? " ".repeat(lastLength - line.length()) : "";
            err.print('\r' + line + pad);
            lastLength = line.length();
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Ends the in-place line. */
    synchronized void finish() {
        if (interactive && drawn) {
            err.println();
            err.flush();
        }
    }

    static String format(IndexProgress p) {
        int filled = (int) Math.round(p.fraction() * WIDTH);
        StringBuilder sb = new StringBuilder("[").append("#".repeat(filled)).append(".".repeat(WIDTH - filled))
                .append("] ").append(p.done()).append('/').append(p.total());
        sb.append(String.format(Locale.ROOT, "  %.1f img/s", p.imagesPerSecond()));
        sb.append("  ETA ").append(p.eta() == null ? "--:--" : clock(p.eta()));
        if (p.skipped() > 0) {
            sb.append("  skipped ").append(p.skipped());
        }
        if (p.state() != IndexProgress.State.INDEXING) {
            sb.append("  ").append(p.state().name().toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    static String clock(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
