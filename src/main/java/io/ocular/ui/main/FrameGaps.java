package io.ocular.ui.main;

import java.util.Arrays;
import java.util.Locale;

/**
 * Statistics of the gaps between frames (pulses) the window drew while a scripted scroll ran, for the opt-in
 * window measurement ({@code -Docular.perf.scroll=true}, see {@link PerfProbe}). Percentiles are nearest-rank.
 *
 * @param frames   gaps recorded
 * @param p50Ms    median gap, milliseconds
 * @param p99Ms    99th-percentile gap, milliseconds
 * @param maxMs    longest gap, milliseconds
 * @param over100  gaps longer than 100 ms (a stall a person sees)
 */
public record FrameGaps(int frames, double p50Ms, double p99Ms, double maxMs, int over100) {

    /** The statistics of {@code gapsNanos} (the first {@code count} values); all zero when there are none. */
    public static FrameGaps of(long[] gapsNanos, int count) {
        if (count < 0 || count > gapsNanos.length) {
            throw new IllegalArgumentException("count " + count + " outside 0.." + gapsNanos.length);
        }
        if (count == 0) {
            return new FrameGaps(0, 0, 0, 0, 0);
        }
        long[] sorted = Arrays.copyOf(gapsNanos, count);
        Arrays.sort(sorted);
        int over = 0;
        for (long g : sorted) {
            if (g > 100_000_000L) {
                over++;
            }
        }
        return new FrameGaps(count, ms(rank(sorted, 0.50)), ms(rank(sorted, 0.99)), ms(sorted[count - 1]), over);
    }

    private static long rank(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** One line for the log: {@code frames=.. p50=..ms p99=..ms max=..ms over100ms=..}. */
    public String line() {
        return String.format(Locale.ROOT, "frames=%d p50=%.1fms p99=%.1fms max=%.1fms over100ms=%d",
                frames, p50Ms, p99Ms, maxMs, over100);
    }
}
