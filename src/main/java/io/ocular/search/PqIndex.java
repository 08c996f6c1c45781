package io.ocular.search;

import io.ocular.model.ScoredId;
import io.ocular.store.EmbeddingMatrix;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.DoubleConsumer;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * The one compact-code index: optional OPQ rotation → optional IVF coarse lists → a {@link CodeEncoder}
 * (k-means product quantiser, or a trained SPQ head), searched in two passes: asymmetric distance computation
 * ({@link AdcScanner}) over the codes keeps the best {@code k·r} candidates, then a {@link Reranker} (normally
 * {@link ExactReranker} over the full vectors) re-scores them. Its parts: {@link PqTrainer} (training),
 * {@link InvertedLists} (the codes), {@link AdcScanner} (the scan), {@link PqIndexFiles} (on disk); the
 * indexes the front ends build come from {@link IndexFactory}.
 *
 * <p>Scores are inner products (vectors are unit length). With IVF the code of {@code x} in list {@code l}
 * quantises the residual {@code R x - c_l}, and since {@code <q, c_l + r> = <q, c_l> + <q, r>} one lookup
 * table per query serves all lists: a code's score is {@code <q, c_l>} plus one table entry per byte.
 *
 * <p>Vectors can be added and removed after training without a rebuild; {@link #needsRetrain()} says when
 * the collection has outgrown its training. Thread-safety: searches share a read lock; add/remove take the
 * write lock.
 */
public final class PqIndex implements VectorIndex {
    private final PqConfig config;
    private final int dimension;
    private final OpqRotation rotation;   // null: none
    private final CoarseQuantizer coarse; // null: one list, no IVF
    private final CodeEncoder encoder;
    private final int trainedSize;
    private final ScanPool pool;
    private final Reranker reranker;      // null: ADC scores are final
    private final int m;
    private final InvertedLists lists;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicLong rescored = new AtomicLong();
    private final AtomicLong reranks = new AtomicLong();
    /** Codes per search below which the scan stays on the calling thread (lowered by tests). */
    int parallelMinCodes = AdcScanner.PARALLEL_MIN_CODES;

    PqIndex(PqConfig config, int dimension, OpqRotation rotation, CoarseQuantizer coarse, CodeEncoder encoder,
            int trainedSize, ScanPool pool, Reranker reranker) {
        if (encoder.dimension() != dimension || (rotation != null && rotation.dimension() != dimension)) {
            throw new IllegalArgumentException("encoder/rotation dimension does not match " + dimension);
        }
        if (!encoder.linear() && (rotation != null || coarse != null)) {
            throw new IllegalArgumentException("a non-linear code encoder takes neither a rotation nor IVF lists");
        }
        this.config = config;
        this.dimension = dimension;
        this.rotation = rotation;
        this.coarse = coarse;
        this.encoder = encoder;
        this.trainedSize = trainedSize;
        this.pool = pool;
        this.reranker = reranker;
        this.m = encoder.codeBytes();
        this.lists = new InvertedLists(coarse == null ? 1 : coarse.nlist(), m);
    }

    /** Trains the quantisers on (a sample of) {@code matrix} and encodes every row. */
    public static PqIndex train(EmbeddingMatrix matrix, PqConfig config, ScanPool pool, Reranker reranker) {
        return PqTrainer.train(matrix, config, pool, reranker);
    }

    /** Trains on a sample of {@code rows} and encodes them in batches (never all n·dim floats at once). */
    public static PqIndex train(VectorRows rows, PqConfig config, ScanPool pool, Reranker reranker) {
        return PqTrainer.train(rows, config, pool, reranker);
    }

    /** As {@link #train(VectorRows, PqConfig, ScanPool, Reranker)}, reporting progress (a fraction in [0, 1]). */
    public static PqIndex train(VectorRows rows, PqConfig config, ScanPool pool, Reranker reranker,
                                DoubleConsumer progress) {
        return PqTrainer.train(rows, config, pool, reranker, progress);
    }

    /** RAM held per code: the code and its id, with any room the lists grew into (see {@link InvertedLists}). */
    public double bytesPerCodeHeld() {
        lock.readLock().lock();
        try {
            return lists.bytesPerCode();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Codes every row of {@code matrix} with an encoder trained elsewhere (e.g. an {@link SpqModel}): one list,
     * no rotation; {@code config} gives the re-rank factor.
     */
    public static PqIndex withEncoder(CodeEncoder encoder, EmbeddingMatrix matrix, PqConfig config, ScanPool pool,
                                      Reranker reranker) {
        PqIndex index = new PqIndex(config.withIvf(0, 1).withOpq(false), encoder.dimension(), null, null, encoder,
                matrix.rows(), pool, reranker);
        index.addAllNew(matrix.ids(), matrix.data());
        index.trim();
        return index;
    }

    // ---- writes --------------------------------------------------------------------------------

    /** Encodes {@code x[off..off+dim)} into {@code code[codeOff..]}, returning its list. */
    private int encode(float[] x, int off, float[] buf, float[] cbuf, byte[] code, int codeOff) {
        if (rotation != null) {
            rotation.apply(x, off, buf);
        } else {
            System.arraycopy(x, off, buf, 0, dimension);
        }
        int list = 0;
        if (coarse != null) {
            list = coarse.assign(buf);
            coarse.centroid(list, cbuf);
            for (int d = 0; d < dimension; d++) {
                buf[d] -= cbuf[d];
            }
        }
        encoder.encode(buf, 0, code, codeOff);
        return list;
    }

    /** Adds or replaces {@code id}'s code (a replaced code is looked for in the new code's list first). */
    @Override
    public void add(long id, float[] vector) {
        add(id, vector, false);
    }

    /**
     * Adds the code of a photo this index does not hold — the caller knows (the live index checks its full
     * vectors): no lookup, where {@link #add} looks for an old code to replace (see {@link InvertedLists}).
     */
    public void addNew(long id, float[] vector) {
        add(id, vector, true);
    }

    private void add(long id, float[] vector, boolean isNew) {
        VectorMath.requireVector(vector, dimension, "the vector of image " + id);
        byte[] code = new byte[m];
        int list = encode(vector, 0, new float[dimension], new float[dimension], code, 0);
        lock.writeLock().lock();
        try {
            if (isNew) {
                lists.append(id, list, code, 0);
            } else {
                lists.put(id, list, code, 0);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Bulk add or replace (encoding in parallel on the pool). */
    public void addAll(long[] ids, float[] data) {
        addAll(ids, data, false);
    }

    /** Bulk add of photos this index does not hold (a build): no lookups. */
    void addAllNew(long[] ids, float[] data) {
        addAll(ids, data, true);
    }

    private void addAll(long[] ids, float[] data, boolean areNew) {
        int n = ids.length;
        VectorMath.requireRows(ids, data, dimension);
        byte[] codes = new byte[n * m];
        int[] listOf = new int[n];
        int threads = Math.max(1, Math.min(pool.parallelism(), n / 1024));
        List<Callable<Void>> tasks = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) n * t / threads);
            int to = (int) ((long) n * (t + 1) / threads);
            tasks.add(() -> {
                float[] buf = new float[dimension];
                float[] cbuf = new float[dimension];
                for (int i = from; i < to; i++) {
                    listOf[i] = encode(data, i * dimension, buf, cbuf, codes, i * m);
                }
                return null;
            });
        }
        pool.invokeAll(tasks);
        lock.writeLock().lock();
        try {
            for (int i = 0; i < n; i++) {
                if (areNew) {
                    lists.append(ids[i], listOf[i], codes, i * m);
                } else {
                    lists.put(ids[i], listOf[i], codes, i * m);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public boolean remove(long id) {
        return remove(id, null);
    }

    /**
     * Removes {@code id}'s code; with the vector it was coded from ({@code vector}, null: unknown) the search
     * starts in its list, else it scans every list (about a millisecond at 1M codes).
     */
    public boolean remove(long id, float[] vector) {
        int hint = -1;
        if (vector != null && vector.length == dimension && coarse != null) {
            hint = encode(vector, 0, new float[dimension], new float[dimension], new byte[m], 0);
        }
        lock.writeLock().lock();
        try {
            return lists.remove(id, hint);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes the codes of {@code sortedIds} (ascending) in one pass over the lists; returns how many it held. */
    public int removeAll(long[] sortedIds) {
        lock.writeLock().lock();
        try {
            return lists.removeAll(sortedIds);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Gives back the room the lists grew into while codes were appended (after a build). */
    void trim() {
        lock.writeLock().lock();
        try {
            lists.trim();
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---- reads ---------------------------------------------------------------------------------

    /** The ids with a code, in no particular order. */
    public long[] ids() {
        lock.readLock().lock();
        try {
            return lists.ids();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int size() {
        lock.readLock().lock();
        try {
            return lists.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    public PqConfig config() {
        return config;
    }

    /** Bytes per code (the code tier's cost per image, excluding the 8-byte id). */
    public int codeBytes() {
        return m;
    }

    /** The code encoder, e.g. to inspect or export codebooks. */
    public CodeEncoder encoder() {
        return encoder;
    }

    OpqRotation rotation() {
        return rotation;
    }

    CoarseQuantizer coarse() {
        return coarse;
    }

    /** The codes (tests; callers hold no lock, so only while nothing writes). */
    InvertedLists lists() {
        return lists;
    }

    int trainedSize() {
        return trainedSize;
    }

    /** Whether the collection has grown past twice the size the quantisers were trained on. */
    public boolean needsRetrain() {
        return size() > 2L * trainedSize;
    }

    @Override
    public List<ScoredId> search(float[] query, int k) {
        return search(query, k, (LongPredicate) null);
    }

    /** {@link VectorIndex}'s filtered search, natively: the filter is checked inside the ADC scan. */
    @Override
    public List<ScoredId> search(float[] query, int k, SearchFilter filter) {
        return search(query, k, filter.allowsAll() ? null : (LongPredicate) filter::allows);
    }

    /**
     * The {@code k} most similar ids that {@code allowed} accepts (null: all), filtered inside the scan: the
     * candidates handed to the re-rank are all allowed, so k come back whenever k allowed ids are stored (with
     * IVF: more lists are probed until k allowed codes are found).
     */
    public List<ScoredId> search(float[] query, int k, LongPredicate allowed) {
        return search(query, k, allowed, config.nprobe(), config.rerankFactor());
    }

    /**
     * {@link #search(float[], int, LongPredicate)} with search-time parameters instead of the configured ones:
     * {@code nprobe} lists visited first (ignored without IVF) and {@code rerankFactor} (k·r candidates re-ranked).
     * The live index takes them from {@link IndexPolicy}, so a policy change applies to codes built before it.
     */
    public List<ScoredId> search(float[] query, int k, LongPredicate allowed, int nprobe, int rerankFactor) {
        return search(query, k, allowed, nprobe, rerankFactor, 0);
    }

    /**
     * As {@link #search(float[], int, LongPredicate, int, int)}; with {@code rerankZ > 0} and exact re-ranking,
     * k·r is the most candidates re-scored and {@link ExactReranker#rerankAdaptive} stops earlier once the rest
     * are more than {@code rerankZ} error spreads out of reach (0: all k·r are re-scored).
     */
    public List<ScoredId> search(float[] query, int k, LongPredicate allowed, int nprobe, int rerankFactor,
                                 double rerankZ) {
        if (!(rerankZ >= 0)) {
            throw new IllegalArgumentException("the re-rank stopping rule's z must be >= 0: " + rerankZ);
        }
        if (nprobe < 1 || rerankFactor < 1) {
            throw new IllegalArgumentException("nprobe and rerank factor must be >= 1: " + nprobe + ", "
                    + rerankFactor);
        }
        int count = reranker == null ? k : safeMul(k, rerankFactor);
        Shortlist candidates = shortlist(query, count, false, allowed, nprobe);
        // a selective filter may leave the probed lists short of k allowed codes: probe four times as many
        // lists each round (at most all of them, which is the flat scan) until k are found
        while (allowed != null && coarse != null && candidates.size < k && nprobe < coarse.nlist()) {
            nprobe = (int) Math.min(coarse.nlist(), 4L * nprobe);
            candidates = shortlist(query, count, false, allowed, nprobe);
        }
        if (reranker == null) {
            return candidates.toList();
        }
        if (rerankZ > 0 && reranker instanceof ExactReranker exact) {
            int[] depth = new int[1];
            List<ScoredId> out = exact.rerankAdaptive(query, candidates.ids, candidates.scores, candidates.size, k,
                    rerankZ, depth);
            rescored.addAndGet(depth[0]);
            reranks.incrementAndGet();
            return out;
        }
        rescored.addAndGet(candidates.size);
        reranks.incrementAndGet();
        return reranker.rerank(query, candidates.ids, candidates.size, k, pool);
    }

    /** Re-ranked searches so far and the candidates they re-scored exactly, together (benchmarks). */
    public long[] rerankCounts() {
        return new long[]{reranks.get(), rescored.get()};
    }

    /**
     * {@link #search(float[], int)} with search-time parameters instead of the configured ones: {@code nprobe}
     * lists visited (ignored without IVF) and {@code rerankFactor} (k·r candidates re-ranked). The bench sweeps
     * these over one trained index.
     */
    public List<ScoredId> search(float[] query, int k, int nprobe, int rerankFactor) {
        return search(query, k, null, nprobe, rerankFactor);
    }

    /** Reference for {@link #search}: scalar ADC over a 2-D table and a full sort, then the same re-rank. */
    public List<ScoredId> searchReference(float[] query, int k) {
        return searchReference(query, k, (LongPredicate) null);
    }

    /** Reference for {@link #search(float[], int, LongPredicate)}. */
    public List<ScoredId> searchReference(float[] query, int k, LongPredicate allowed) {
        List<ScoredId> candidates = candidates(query, reranker == null ? k : safeMul(k, config.rerankFactor()), true,
                allowed);
        return reranker == null ? candidates : reranker.rerank(query, candidates, k);
    }

    private static int safeMul(int k, int r) {
        return (int) Math.min(Integer.MAX_VALUE, (long) k * r);
    }

    /** First pass: the {@code count} best codes by ADC score. */
    List<ScoredId> candidates(float[] query, int count, boolean reference) {
        return candidates(query, count, reference, null);
    }

    /** First pass: the {@code count} best codes by ADC score among those {@code allowed} (null: all). */
    List<ScoredId> candidates(float[] query, int count, boolean reference, LongPredicate allowed) {
        return candidates(query, count, reference, allowed, config.nprobe());
    }

    private List<ScoredId> candidates(float[] query, int count, boolean reference, LongPredicate allowed,
                                      int nprobe) {
        return shortlist(query, count, reference, allowed, nprobe).toList();
    }

    private Shortlist shortlist(float[] query, int count, boolean reference, LongPredicate allowed, int nprobe) {
        VectorMath.requireVector(query, dimension, "the query vector");
        if (count < 0) {
            throw new IllegalArgumentException("k must not be negative: " + count);
        }
        float[] q = query;
        if (rotation != null) {
            q = new float[dimension];
            rotation.apply(query, 0, q);
        }
        float[] lut = new float[m * ProductQuantizer.KSUB];
        encoder.innerProductTable(q, lut);
        int[] probe;
        float[] base;
        if (coarse == null) {
            probe = new int[]{0};
            base = new float[]{0f};
        } else {
            probe = new int[Math.min(nprobe, coarse.nlist())];
            base = new float[probe.length];
            coarse.probe(q, probe.length, probe, base, pool);
        }
        lock.readLock().lock();
        try {
            if (reference) {
                List<ScoredId> ref = AdcScanner.scanReference(lists, probe, base, lut, count, allowed);
                long[] ids = new long[ref.size()];
                float[] scores = new float[ref.size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = ref.get(i).id();
                    scores[i] = ref.get(i).score();
                }
                return new Shortlist(ids, scores, ids.length);
            }
            return AdcScanner.shortlist(lists, probe, base, lut, count, pool, parallelMinCodes, allowed);
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- persistence (see PqIndexFiles; the live engine wires it in issue 13) -------------------

    /** Writes the trained model and the codes to {@code dir} (each file atomically, checksummed). */
    public void save(Path dir) throws IOException {
        PqIndexFiles.save(this, dir);
    }

    /**
     * Loads an index saved by {@link #save}. Throws an {@code IOException} (a {@code CorruptIndexException} for
     * missing, damaged or foreign files) when it cannot be used as is.
     */
    public static PqIndex load(Path dir, ScanPool pool, Reranker reranker) throws IOException {
        return PqIndexFiles.load(dir, pool, reranker);
    }

    /**
     * Loads the index from {@code dir} if it is intact and was built with {@code config}; otherwise (missing,
     * damaged, another version or configuration) trains it afresh from {@code vectors} and saves it.
     */
    public static PqIndex openOrBuild(Path dir, PqConfig config, Supplier<EmbeddingMatrix> vectors, ScanPool pool,
                                      Reranker reranker) {
        return PqIndexFiles.openOrBuild(dir, config, vectors, pool, reranker);
    }

    void writeCodes(DataOutputStream out) throws IOException {
        lock.readLock().lock();
        try {
            out.writeInt(m);
            out.writeInt(lists.listCount());
            lists.write(out);
        } finally {
            lock.readLock().unlock();
        }
    }

    void readCodes(DataInputStream in, long maxBytes) throws IOException {
        if (in.readInt() != m || in.readInt() != lists.listCount()) {
            throw new ChecksummedFile.CorruptIndexException("the codes do not match the PQ model's layout");
        }
        lock.writeLock().lock();
        try {
            lists.read(in, maxBytes);
        } finally {
            lock.writeLock().unlock();
        }
    }
}
