package io.ocular.search;

/**
 * How a {@link PqIndex} is trained and searched.
 *
 * @param subspaces         PQ subspaces = bytes per code (16/32/64 bits = 2/4/8; 512 bits = 64)
 * @param opq               learn an OPQ rotation first
 * @param nlist             inverted lists (0 = no IVF, scan every code)
 * @param nprobe            lists visited per query
 * @param rerankFactor      r: the first pass keeps k·r candidates for exact re-ranking (ignored without a reranker)
 * @param trainSample       at most this many vectors train the quantisers
 * @param kmeansIterations  Lloyd iterations per k-means
 * @param opqIterations     OPQ alternations (PQ training + Procrustes)
 * @param seed              fixes sampling and k-means seeding
 */
public record PqConfig(int subspaces, boolean opq, int nlist, int nprobe, int rerankFactor, int trainSample,
                       int kmeansIterations, int opqIterations, long seed) {

    public PqConfig {
        if (subspaces < 1 || subspaces > 1024) {
            throw new IllegalArgumentException("subspaces must be 1..1024: " + subspaces);
        }
        if (nlist < 0 || nprobe < 1 || rerankFactor < 1 || trainSample < 1 || kmeansIterations < 1
                || opqIterations < 1) {
            throw new IllegalArgumentException("invalid PQ configuration: " + subspaces + ", nlist " + nlist
                    + ", nprobe " + nprobe + ", r " + rerankFactor);
        }
    }

    /** Plain PQ with codes of {@code bits} bits (a multiple of 8): no rotation, no IVF, re-rank ×10. */
    public static PqConfig forBits(int bits) {
        if (bits < 8 || bits % 8 != 0) {
            throw new IllegalArgumentException("code length must be a positive multiple of 8 bits: " + bits);
        }
        return new PqConfig(bits / 8, false, 0, 1, 10, 16_384, 15, 4, 42L);
    }

    public PqConfig withOpq(boolean on) {
        return new PqConfig(subspaces, on, nlist, nprobe, rerankFactor, trainSample, kmeansIterations, opqIterations, seed);
    }

    public PqConfig withIvf(int lists, int probes) {
        return new PqConfig(subspaces, opq, lists, probes, rerankFactor, trainSample, kmeansIterations, opqIterations, seed);
    }

    public PqConfig withRerankFactor(int r) {
        return new PqConfig(subspaces, opq, nlist, nprobe, r, trainSample, kmeansIterations, opqIterations, seed);
    }

    public PqConfig withTraining(int sample, int kmeansIters, int opqIters) {
        return new PqConfig(subspaces, opq, nlist, nprobe, rerankFactor, sample, kmeansIters, opqIters, seed);
    }

    /** A sensible list count for {@code n} vectors: about sqrt(n), a power of two in [16, 1024]. */
    public static int defaultNlist(long n) {
        int s = Integer.highestOneBit((int) Math.max(1, Math.sqrt(n)));
        return Math.max(16, Math.min(1024, s));
    }
}
