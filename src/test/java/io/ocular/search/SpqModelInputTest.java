package io.ocular.search;

import io.ocular.model.OcularException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Saved SPQ models with impossible sizes are refused at once with a message (inputs found by Jazzer). */
class SpqModelInputTest {

    @Test
    void zeroSizedSubspacesByTheBillionAreRefusedAtOnceNotLoopedOver() {
        // subspace size 0 and 1,191,182,336 subspaces: w2, b2 and the codebooks then "hold" 0 values, which matched
        // the length checks, and the constructor normalised 1.9 billion empty codebook rows
        ByteBuffer b = ByteBuffer.allocate(5 * 4 + 5 * 4 + 10 * 4);
        b.putInt(4).putInt(2).putInt(1_191_182_336).putInt(16).putInt(0);
        b.putInt(8);
        for (int i = 0; i < 8; i++) {
            b.putFloat(0.5f);
        }
        b.putInt(2).putFloat(0).putFloat(0);
        b.putInt(0).putInt(0).putInt(0);
        assertThatThrownBy(() -> SpqModel.fromBytes(b.array())).isInstanceOf(OcularException.class)
                .hasMessageContaining("truncated or inconsistent").hasMessageContaining("subspace size 0");
    }

    @Test
    void sizesWhoseProductOverflowsAreRefused() {
        ByteBuffer b = ByteBuffer.allocate(5 * 4 + 5 * 4);
        b.putInt(65_536).putInt(65_536).putInt(2).putInt(16).putInt(2); // hidden x input = 2^32: 0 as an int
        for (int i = 0; i < 5; i++) {
            b.putInt(0);
        }
        assertThatThrownBy(() -> SpqModel.fromBytes(b.array())).isInstanceOf(OcularException.class)
                .hasMessageContaining("truncated or inconsistent").hasMessageContaining("overflow");
    }
}
