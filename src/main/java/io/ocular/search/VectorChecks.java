package io.ocular.search;

/** Argument checks shared by the vector indexes. */
final class VectorChecks {
    private VectorChecks() {
    }

    static void requireFinite(float[] v, int dimension) {
        if (v.length != dimension) {
            throw new IllegalArgumentException("vector has " + v.length + " dimensions, the index expects " + dimension);
        }
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException("vector contains NaN or infinity");
            }
        }
    }
}
