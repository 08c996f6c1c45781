package io.ocular.app;

import io.ocular.search.ExactIndex;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The soak's accounting of the exact index's vector chunks as the heap G1 gives them. */
class SoakSamplerTest {
    private static final long MIB = 1 << 20;

    @Test
    void aHumongousChunkTakesWholeRegions() {
        long chunk = (long) ExactIndex.CHUNK_ROWS * 424 * Float.BYTES; // 13,893,632 B: 6.6 regions of 2 MiB
        assertThat(SoakSampler.heldByChunks(13 * chunk, 424, 2 * MIB)).isEqualTo(13 * 14.0 * MIB);
        assertThat(SoakSampler.heldByChunks(chunk, 424, 0)).as("not G1: the arrays themselves").isEqualTo(chunk);
    }

    @Test
    void aChunkUnderHalfARegionIsNotRounded() {
        long chunk = (long) ExactIndex.CHUNK_ROWS * 8 * Float.BYTES; // 256 KiB
        assertThat(SoakSampler.heldByChunks(3 * chunk, 8, 2 * MIB)).isEqualTo(3.0 * chunk);
    }
}
