package io.ocular.search;

import java.util.List;

/**
 * The hot inner loops of vector search: dot products, norms, normalisation and finiteness checks.
 *
 * <p>Every optimised routine has a plain scalar {@code ...Reference} twin that states what it computes;
 * {@code VectorMathTest} checks they agree on random data. The optimised versions unroll by eight with
 * independent accumulators so the JIT can keep several multiply-adds in flight (HotSpot does not
 * vectorise a float reduction on its own because that would reorder the additions). The JDK Vector API
 * is still incubating in Java 17, so it is deliberately not used here.
 *
 * <p>Stateless; all methods are pure functions.
 */
public final class VectorMath {
    private VectorMath() {
    }

    // ---- dot products ----------------------------------------------------------------------------

    /** Inner product of two vectors of equal length. */
    public static float dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vector lengths differ: " + a.length + " vs " + b.length);
        }
        return dot(a, 0, b, 0, a.length);
    }

    /** Inner product of {@code a[aOff..aOff+len)} and {@code b[bOff..bOff+len)}, unrolled by eight. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        int i = 0;
        int upper = len & ~7;
        for (; i < upper; i += 8) {
            int ia = aOff + i;
            int ib = bOff + i;
            s0 += a[ia] * b[ib];
            s1 += a[ia + 1] * b[ib + 1];
            s2 += a[ia + 2] * b[ib + 2];
            s3 += a[ia + 3] * b[ib + 3];
            s4 += a[ia + 4] * b[ib + 4];
            s5 += a[ia + 5] * b[ib + 5];
            s6 += a[ia + 6] * b[ib + 6];
            s7 += a[ia + 7] * b[ib + 7];
        }
        for (; i < len; i++) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** Scalar reference for {@link #dot(float[], int, float[], int, int)}. */
    public static float dotReference(float[] a, int aOff, float[] b, int bOff, int len) {
        float s = 0f;
        for (int i = 0; i < len; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    /**
     * Scores four consecutive rows of a row-major block against one query in a single pass over the query
     * (each query element is loaded once for four rows, which halves memory traffic on the query side).
     * Writes {@code out[outOff..outOff+4)}.
     */
    public static void dot4(float[] q, float[] rows, int rowOff, int dim, float[] out, int outOff) {
        int r0 = rowOff, r1 = rowOff + dim, r2 = rowOff + 2 * dim, r3 = rowOff + 3 * dim;
        float a0 = 0f, a1 = 0f, b0 = 0f, b1 = 0f, c0 = 0f, c1 = 0f, d0 = 0f, d1 = 0f;
        int i = 0;
        int upper = dim & ~1;
        for (; i < upper; i += 2) {
            float q0 = q[i];
            float q1 = q[i + 1];
            a0 += q0 * rows[r0 + i];
            a1 += q1 * rows[r0 + i + 1];
            b0 += q0 * rows[r1 + i];
            b1 += q1 * rows[r1 + i + 1];
            c0 += q0 * rows[r2 + i];
            c1 += q1 * rows[r2 + i + 1];
            d0 += q0 * rows[r3 + i];
            d1 += q1 * rows[r3 + i + 1];
        }
        if (i < dim) {
            float q0 = q[i];
            a0 += q0 * rows[r0 + i];
            b0 += q0 * rows[r1 + i];
            c0 += q0 * rows[r2 + i];
            d0 += q0 * rows[r3 + i];
        }
        out[outOff] = a0 + a1;
        out[outOff + 1] = b0 + b1;
        out[outOff + 2] = c0 + c1;
        out[outOff + 3] = d0 + d1;
    }

    // ---- norms -----------------------------------------------------------------------------------

    /** Euclidean length. */
    public static float l2norm(float[] v) {
        return (float) Math.sqrt(dot(v, 0, v, 0, v.length));
    }

    /** Scalar reference for {@link #l2norm}, accumulated in double. */
    public static float l2normReference(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return (float) Math.sqrt(s);
    }

    /**
     * A unit-length copy of {@code v}.
     *
     * @throws IllegalArgumentException if {@code v} has a NaN/Inf element or is (numerically) zero
     */
    public static float[] normalise(float[] v) {
        float[] out = v.clone();
        normaliseInPlace(out);
        return out;
    }

    /** Scales {@code v} to unit length in place; same checks as {@link #normalise}. */
    public static void normaliseInPlace(float[] v) {
        requireFinite(v, "vector");
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        if (!(s > 1e-30)) {
            throw new IllegalArgumentException("cannot normalise a zero vector");
        }
        float inv = (float) (1.0 / Math.sqrt(s));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
    }

    // ---- validation ------------------------------------------------------------------------------

    /** Whether every element is finite (no NaN, no infinity). */
    public static boolean isFinite(float[] v) {
        // x - x is 0 for finite x and NaN for NaN/Inf; summing keeps the loop branch-free.
        float acc = 0f;
        for (float x : v) {
            acc += x - x;
        }
        return acc == 0f;
    }

    /** Scalar reference for {@link #isFinite}. */
    public static boolean isFiniteReference(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Throws a clear {@link IllegalArgumentException} naming the first bad element if {@code v} holds NaN or
     * infinity.
     */
    public static void requireFinite(float[] v, String what) {
        if (!isFinite(v)) {
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new IllegalArgumentException(what + " has a non-finite value (" + v[i] + ") at position "
                            + i + "; vectors must contain only finite numbers");
                }
            }
        }
    }

    /**
     * Throws a clear {@link IllegalArgumentException} unless {@code data} holds {@code ids.length} row-major rows of
     * {@code dimension} finite values (row i belongs to image {@code ids[i]}, which the message names).
     */
    public static void requireRows(long[] ids, float[] data, int dimension) {
        if ((long) ids.length * dimension != data.length) {
            throw new IllegalArgumentException("expected " + ids.length + " rows of " + dimension + " floats but got "
                    + data.length + " floats");
        }
        if (!isFinite(data)) {
            for (int i = 0; i < data.length; i++) {
                if (!Float.isFinite(data[i])) {
                    throw new IllegalArgumentException("the vector of image " + ids[i / dimension]
                            + " has a non-finite value (" + data[i] + "); vectors must contain only finite numbers");
                }
            }
        }
    }

    /** Throws a clear {@link IllegalArgumentException} unless a batch has as many vectors as ids. */
    public static void requireSameSize(List<Long> ids, List<float[]> vectors) {
        if (ids.size() != vectors.size()) {
            throw new IllegalArgumentException("a batch of " + ids.size() + " ids came with " + vectors.size()
                    + " vectors");
        }
    }

    /** Throws a clear {@link IllegalArgumentException} unless {@code v} has the expected length and is finite. */
    public static void requireVector(float[] v, int dimension, String what) {
        if (v == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (v.length != dimension) {
            throw new IllegalArgumentException(what + " has " + v.length + " dimensions but this index holds "
                    + dimension + "-dimensional vectors (was it made by a different model?)");
        }
        requireFinite(v, what);
    }
}
