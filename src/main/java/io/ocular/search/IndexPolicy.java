package io.ocular.search;

import java.util.Locale;

/**
 * Which index the app uses for a collection, and with which parameters — one place, so that {@code bench search
 * --index auto} measures exactly what the live engine would use at that size (docs/decisions/0050).
 *
 * <p>Exact search scans {@code n·dim} floats per query, so its latency and memory grow with that product; below
 * {@link #EXACT_MAX_FLOATS} the scan stays interactive and needs no training, above it IVF-PQ is used (its build
 * is a background job of minutes). The IVF-PQ parameters are the ones tuned with {@code bench search} (0050).
 */
public final class IndexPolicy {
    /**
     * Up to this many stored floats (n × dim) exact search is used: 50M floats = 200 MB, e.g. ~97k × 512 or
     * ~39k × 1280. Derived from exact scans measured on 2 cores (0050 / issue 13: 100k × 1280 = 128M floats at
     * 21 ms p50 unloaded, 1M × 512 at 164 ms): about 8 ms at this size, where IVF-PQ at ~2 ms is clearly ahead.
     */
    public static final long EXACT_MAX_FLOATS = 50_000_000L;
    /** System property that moves the threshold (floats), e.g. to try the compact tier on a small library. */
    public static final String EXACT_MAX_FLOATS_PROPERTY = "ocular.index.exactMaxFloats";
    /** Code length of the app's compact codes: 64 B per image (the RAM budget per photo). */
    public static final int BITS = 512;

    private IndexPolicy() {
    }

    /** The code length for {@code dim}-dimensional vectors: {@link #BITS}, fewer for vectors under 128 floats. */
    public static int bits(int dim) {
        return 8 * Math.min(BITS / 8, Math.max(1, dim / 2));
    }

    /** The threshold in use: {@link #EXACT_MAX_FLOATS} unless {@value #EXACT_MAX_FLOATS_PROPERTY} says otherwise. */
    public static long exactMaxFloats() {
        String v = System.getProperty(EXACT_MAX_FLOATS_PROPERTY);
        if (v != null) {
            try {
                return Math.max(0, Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                return EXACT_MAX_FLOATS;
            }
        }
        return EXACT_MAX_FLOATS;
    }

    /** {@code "exact"} or {@code "ivfpq"} for {@code n} vectors of {@code dim} floats. */
    public static String kindFor(long n, int dim) {
        return n * (long) dim <= exactMaxFloats() || n < IndexFactory.MIN_TRAINING_VECTORS ? "exact" : "ivfpq";
    }

    /**
     * Whether the engine keeps the full vectors memory-mapped (bounded heap) rather than on the heap: exactly
     * when compact codes are used, since then the vectors are read only to re-rank candidates.
     */
    public static boolean usesMappedVectors(long n, int dim) {
        return usesMappedVectors(n, dim, exactMaxFloats());
    }

    /** {@link #usesMappedVectors(long, int)} with another threshold (tests of the engine's mapped tier). */
    public static boolean usesMappedVectors(long n, int dim, long exactMaxFloats) {
        return n * (long) dim > exactMaxFloats && n >= IndexFactory.MIN_TRAINING_VECTORS;
    }

    /**
     * From this many vectors the lists are many (about 4·√n, trained in two levels, 0350): at 1M × 512 the √n
     * = 512 lists of k-means left hub lists (the largest held 66k codes, p99 19k, median 1k), so the 32 probed
     * lists held 377k codes and a query cost 20 ms of CPU; 4,096 two-level lists (largest 4.9k, median 163) and 16
     * probed hold 30k codes: 3.5 ms, recall@10 0.97. Below it √n lists stay (0050's tuning at 100k × 1280).
     */
    public static final long MANY_LISTS_MIN_VECTORS = 500_000;
    /** The most lists: 16,384 (≈ 4·√n at 16M). */
    public static final int MAX_LISTS = 16_384;

    /**
     * IVF lists for {@code n} vectors: about √n (a power of two in [16, 1024]) below {@link
     * #MANY_LISTS_MIN_VECTORS}, from there the power of two nearest 4·√n (4,096 at 1M), at most {@link #MAX_LISTS}.
     */
    public static int nlist(long n) {
        if (n < MANY_LISTS_MIN_VECTORS) {
            return PqConfig.defaultNlist(n);
        }
        double target = 4 * Math.sqrt(n);
        int below = Integer.highestOneBit((int) Math.min(Integer.MAX_VALUE, target));
        int nearest = target / below >= Math.sqrt(2) ? 2 * below : below;
        return Math.max(CoarseQuantizer.GROUPED_MIN_LISTS, Math.min(MAX_LISTS, nearest));
    }

    /**
     * Rows the quantisers are trained on for {@code nlist} lists: 16 a list, at least the 16,384 the product
     * quantiser's codebooks need (so below 1,024 lists nothing changes).
     */
    public static int trainSample(int nlist) {
        return Math.max(PqTrainer.PQ_TRAIN_ROWS, 16 * nlist);
    }

    /**
     * Lists visited per query for {@code nlist} lists: max(8, nlist/16) for up to 1,023 lists (0050; libraries
     * whose codes were built with √n lists keep it), nlist/128 but at least 32 for many two-level lists (32 at 1M).
     * Chosen on real vectors (0350 Amendment 2): MobileNetV2 vectors of cifar10-test and corel1k replicated to
     * 1M × 1280, nprobe 16 / 32 / 48 / 64 → recall@10 0.856 / 0.939 / 0.960 / 0.962 at 5.8 / 6.3 / 6.7 / 6.9 ms of
     * CPU; on the Gaussian mixture (1M × 512) 16 / 32 → 0.972 / 0.992. nlist/256 (16), chosen on the mixture
     * alone, lost 8 points of recall on real features for 9 % less CPU.
     */
    public static int nprobe(int nlist) {
        if (nlist >= CoarseQuantizer.GROUPED_MIN_LISTS) {
            return Math.min(nlist, Math.max(32, nlist / 128));
        }
        return Math.min(nlist, Math.max(8, nlist / 16));
    }

    /**
     * r: the first pass keeps k·r candidates for the exact re-rank. Re-ranking more candidates is what buys
     * recall with 64-byte codes (0050, 2026-11-30 sweeps: 1M × 512 at nprobe 32, r = 10/30/100 → recall@10
     * 0.872/0.961/0.994, p50 29/30/34 ms under load 13–18; 100k × 1280 at nprobe 16 → 0.828/0.940/0.987). The
     * generated library (`bench library --sweep`, 100k × 1280 with 1,000 near-identical photos per theme, as
     * bursts of shots are) needs more: nprobe 16, r = 50/100/200/400 → 0.844/0.938/0.978/0.998, index p50
     * 6/12/28/85 ms under load 17–24; nprobe 8 or 32 at r = 200 → 0.976/0.978. Hence r = 200.
     */
    public static final int RERANK = 200;

    /**
     * The re-rank's stopping rule ({@link ExactReranker#rerankAdaptive}): k·r is the most candidates re-scored, and
     * the re-rank stops once the rest are more than this many error spreads (of this query's own approximate
     * scores) out of reach. 0050, 2026-11-30 (s3-i13a): on `bench search` 100k × 1280, r = 200 fixed re-scored 2,000
     * candidates for recall@10 0.9985; z = 4 re-scored 543 on average for the same 0.9985 (z = 3: 402, 0.9915).
     */
    public static final double RERANK_Z = 4.0;
    /** System property that sets the stopping rule's z (0: every one of k·r re-scored), for measurements. */
    public static final String RERANK_Z_PROPERTY = "ocular.index.rerankZ";

    /** The stopping rule's z in use: {@link #RERANK_Z} unless {@value #RERANK_Z_PROPERTY} says otherwise. */
    public static double rerankZ() {
        String v = System.getProperty(RERANK_Z_PROPERTY);
        if (v != null) {
            try {
                double z = Double.parseDouble(v.trim());
                return z >= 0 && z < Double.POSITIVE_INFINITY ? z : RERANK_Z;
            } catch (NumberFormatException e) {
                return RERANK_Z;
            }
        }
        return RERANK_Z;
    }

    /** r for {@code n} vectors ({@link #RERANK}). */
    public static int rerank(long n) {
        return RERANK;
    }

    /** The parameters as one line, for logs and the bench. */
    public static String describe(long n, int dim) {
        String kind = kindFor(n, dim);
        if (kind.equals("exact")) {
            return "exact (n·dim " + n * dim + " <= " + exactMaxFloats() + ")";
        }
        int lists = nlist(n);
        return String.format(Locale.ROOT, "ivfpq bits=%d nlist=%d nprobe=%d rerank=%d rerank-z=%s", bits(dim), lists,
                nprobe(lists), rerank(n), rerankZ());
    }
}
