package io.ocular.search;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class VectorMathTest {

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void optimisedDotMatchesReferenceOnRandomData() {
        Random r = new Random(42);
        for (int trial = 0; trial < 500; trial++) {
            int len = r.nextInt(1300);
            int aOff = r.nextInt(5);
            int bOff = r.nextInt(5);
            float[] a = random(r, len + aOff);
            float[] b = random(r, len + bOff);
            float ref = VectorMath.dotReference(a, aOff, b, bOff, len);
            float fast = VectorMath.dot(a, aOff, b, bOff, len);
            // Different summation order: agree to float rounding relative to the magnitude of the terms.
            assertThat(fast).isCloseTo(ref, within(1e-4f * (float) Math.sqrt(len + 1) * 4));
        }
    }

    @Test
    void dot4MatchesFourSingleDots() {
        Random r = new Random(7);
        for (int dim : new int[]{1, 2, 3, 7, 8, 9, 64, 511, 512, 1280}) {
            float[] q = random(r, dim);
            float[] rows = random(r, dim * 6);
            float[] out = new float[5];
            VectorMath.dot4(q, rows, dim, dim, out, 1);
            for (int j = 0; j < 4; j++) {
                assertThat(out[1 + j]).isCloseTo(VectorMath.dotReference(q, 0, rows, (1 + j) * dim, dim),
                        within(1e-3f * (float) Math.sqrt(dim)));
            }
        }
    }

    @Test
    void normAndNormalise() {
        Random r = new Random(3);
        for (int trial = 0; trial < 100; trial++) {
            float[] v = random(r, 1 + r.nextInt(600));
            assertThat(VectorMath.l2norm(v)).isCloseTo(VectorMath.l2normReference(v), within(1e-3f));
            float[] u = VectorMath.normalise(v);
            assertThat(VectorMath.l2normReference(u)).isCloseTo(1f, within(1e-5f));
            assertThat(u[0] * VectorMath.l2normReference(v)).isCloseTo(v[0], within(1e-3f));
        }
        assertThatThrownBy(() -> VectorMath.normalise(new float[4])).hasMessageContaining("zero vector");
    }

    @Test
    void finiteCheckMatchesReferenceAndNamesThePosition() {
        Random r = new Random(5);
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int trial = 0; trial < 200; trial++) {
            float[] v = random(r, 1 + r.nextInt(100));
            if (r.nextBoolean()) {
                v[r.nextInt(v.length)] = bad[r.nextInt(3)];
            }
            assertThat(VectorMath.isFinite(v)).isEqualTo(VectorMath.isFiniteReference(v));
        }
        float[] v = {1f, 2f, Float.NaN};
        assertThatThrownBy(() -> VectorMath.requireFinite(v, "query")).hasMessageContaining("query")
                .hasMessageContaining("position 2");
        assertThatThrownBy(() -> VectorMath.requireVector(new float[3], 4, "query"))
                .hasMessageContaining("3 dimensions").hasMessageContaining("4-dimensional");
        float[] rows = {1f, 2f, 3f, Float.POSITIVE_INFINITY};
        assertThatThrownBy(() -> VectorMath.requireRows(new long[]{10, 11}, rows, 2))
                .hasMessageContaining("image 11").hasMessageContaining("Infinity");
        assertThatThrownBy(() -> VectorMath.requireRows(new long[]{10, 11}, new float[3], 2))
                .hasMessageContaining("expected 2 rows of 2 floats but got 3");
        VectorMath.requireRows(new long[]{10, 11}, new float[]{1f, 2f, 3f, 4f}, 2);
        // Large finite values must not be mistaken for infinity.
        assertThat(VectorMath.isFinite(new float[]{Float.MAX_VALUE, -Float.MAX_VALUE})).isTrue();
    }
}
