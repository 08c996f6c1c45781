package io.ocular.ui.main;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrameGapsTest {
    private static final long MS = 1_000_000L;

    @Test
    void percentilesAreNearestRankOverTheRecordedGapsOnly() {
        long[] gaps = new long[200];
        for (int i = 0; i < 100; i++) {
            gaps[i] = (i + 1) * MS; // 1..100 ms, shuffled order does not matter
        }
        gaps[100] = 999 * MS; // beyond count: ignored
        FrameGaps s = FrameGaps.of(gaps, 100);
        assertEquals(100, s.frames());
        assertEquals(50.0, s.p50Ms(), 1e-9);
        assertEquals(99.0, s.p99Ms(), 1e-9);
        assertEquals(100.0, s.maxMs(), 1e-9);
        assertEquals(0, s.over100(), "100 ms exactly is not over 100 ms");
    }

    @Test
    void countsStallsAndFindsTheWorstInAnyOrder() {
        long[] gaps = {16 * MS, 250 * MS, 17 * MS, 101 * MS, 16 * MS};
        FrameGaps s = FrameGaps.of(gaps, gaps.length);
        assertEquals(2, s.over100());
        assertEquals(250.0, s.maxMs(), 1e-9);
        assertEquals(17.0, s.p50Ms(), 1e-9);
        assertEquals("frames=5 p50=17.0ms p99=250.0ms max=250.0ms over100ms=2", s.line());
    }

    @Test
    void noGapsGiveZerosAndABadCountIsRefused() {
        assertEquals(new FrameGaps(0, 0, 0, 0, 0), FrameGaps.of(new long[3], 0));
        assertThrows(IllegalArgumentException.class, () -> FrameGaps.of(new long[3], 4));
    }
}
