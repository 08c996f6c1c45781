package io.ocular.search;

import io.ocular.model.ScoredId;
import io.ocular.store.EmbeddingMatrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.zip.CRC32;

/**
 * Compact-code index: optional OPQ rotation → optional IVF coarse lists → product-quantised residuals,
 * searched in two passes: asymmetric distance computation (ADC) over the codes keeps the best {@code k·r}
 * candidates, then a {@link Reranker} (normally {@link ExactReranker} over the full vectors) re-scores them.
 *
 * <p>Scores are inner products (vectors are unit length). With IVF the code of {@code x} in list {@code l}
 * quantises the residual {@code R x - c_l}, and since {@code <q, c_l + r> = <q, c_l> + <q, r>} one lookup
 * table per query serves all lists: a code's score is {@code <q, c_l>} plus one table entry per byte.
 *
 * <p>Vectors can be added and removed after training without a rebuild (removal: swap-with-last inside the
 * list); {@link #needsRetrain()} says when the collection has outgrown its training. Codes and codebooks are
 * saved to two checksummed files ({@link #save}); {@link #openOrBuild} rebuilds from the catalog's vectors when
 * they are missing, damaged, from another version or built with another configuration.
 *
 * <p>Thread-safety: searches share a read lock; add/remove take the write lock.
 */
public final class PqIndex implements VectorIndex {
    private static final Logger LOG = LoggerFactory.getLogger(PqIndex.class);
    static final String MODEL_FILE = "pq-model.bin";
    static final String CODES_FILE = "pq-codes.bin";
    private static final String MODEL_MAGIC = "OCPQMODL";
    private static final String CODES_MAGIC = "OCPQCODE";
    private static final int FORMAT_VERSION = 1;
    /** Below this many codes to scan, one thread does it all. */
    private static final int PARALLEL_MIN_CODES = 32_768;

    private final PqConfig config;
    private final int dimension;
    private final OpqRotation rotation;   // null: none
    private final CoarseQuantizer coarse; // null: one list, no IVF
    private final ProductQuantizer quantizer;
    private final int trainedSize;
    private final ScanPool pool;
    private final Reranker reranker;      // null: ADC scores are final
    private final int m;
    private final CodeList[] lists;
    private final Map<Long, Long> where = new HashMap<>(); // id -> (list << 32) | position
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** Codes per search below which the scan stays on the calling thread (lowered by tests). */
    int parallelMinCodes = PARALLEL_MIN_CODES;

    PqIndex(PqConfig config, int dimension, OpqRotation rotation, CoarseQuantizer coarse, ProductQuantizer quantizer,
            int trainedSize, ScanPool pool, Reranker reranker) {
        if (quantizer.dimension() != dimension || (rotation != null && rotation.dimension() != dimension)) {
            throw new IllegalArgumentException("quantiser/rotation dimension does not match " + dimension);
        }
        this.config = config;
        this.dimension = dimension;
        this.rotation = rotation;
        this.coarse = coarse;
        this.quantizer = quantizer;
        this.trainedSize = trainedSize;
        this.pool = pool;
        this.reranker = reranker;
        this.m = quantizer.codeBytes();
        int nl = coarse == null ? 1 : coarse.nlist();
        this.lists = new CodeList[nl];
        for (int i = 0; i < nl; i++) {
            lists[i] = new CodeList(m);
        }
    }

    // ---- training ------------------------------------------------------------------------------

    /** Trains the quantisers on (a sample of) {@code matrix} and encodes every row. */
    public static PqIndex train(EmbeddingMatrix matrix, PqConfig config, ScanPool pool, Reranker reranker) {
        int n = matrix.rows();
        int dim = matrix.dimension();
        if (n == 0) {
            throw new IllegalArgumentException("cannot train compact codes without any vectors");
        }
        if (config.subspaces() > dim) {
            throw new IllegalArgumentException(config.subspaces() + " subspaces do not fit " + dim + " dimensions");
        }
        VectorMath.requireRows(matrix.ids(), matrix.data(), matrix.dimension());
        long t0 = System.nanoTime();
        int s = Math.min(n, config.trainSample());
        float[] sample = sample(matrix, s, config.seed());
        OpqRotation rotation = null;
        if (config.opq()) {
            int opqN = Math.min(s, 8192);
            rotation = OpqRotation.train(Arrays.copyOf(sample, opqN * dim), opqN, dim, config.subspaces(),
                    config.opqIterations(), 4, config.seed(), pool).rotation();
            float[] rotated = new float[sample.length];
            float[] tmp = new float[dim];
            for (int i = 0; i < s; i++) {
                rotation.apply(sample, i * dim, tmp);
                System.arraycopy(tmp, 0, rotated, i * dim, dim);
            }
            sample = rotated;
        }
        CoarseQuantizer coarse = null;
        if (config.nlist() > 0) {
            coarse = CoarseQuantizer.train(sample, s, dim, config.nlist(), Math.min(config.kmeansIterations(), 10),
                    config.seed() + 1, pool);
            float[] x = new float[dim];
            float[] c = new float[dim];
            for (int i = 0; i < s; i++) {
                System.arraycopy(sample, i * dim, x, 0, dim);
                coarse.centroid(coarse.assign(x), c);
                for (int d = 0; d < dim; d++) {
                    sample[i * dim + d] -= c[d];
                }
            }
        }
        ProductQuantizer pq = ProductQuantizer.train(sample, s, dim, config.subspaces(), config.kmeansIterations(),
                config.seed() + 2, pool);
        PqIndex index = new PqIndex(config, dim, rotation, coarse, pq, n, pool, reranker);
        long t1 = System.nanoTime();
        index.addAll(matrix.ids(), matrix.data());
        LOG.info("trained {} on {} of {} vectors in {} ms, encoded in {} ms", config, s, n, (t1 - t0) / 1_000_000,
                (System.nanoTime() - t1) / 1_000_000);
        return index;
    }

    /** A deterministic sample of {@code s} rows (partial Fisher–Yates shuffle). */
    private static float[] sample(EmbeddingMatrix matrix, int s, long seed) {
        int n = matrix.rows();
        int dim = matrix.dimension();
        if (s == n) {
            return matrix.data().clone();
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Random r = new Random(seed);
        float[] out = new float[s * dim];
        for (int i = 0; i < s; i++) {
            int j = i + r.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            System.arraycopy(matrix.data(), idx[i] * dim, out, i * dim, dim);
        }
        return out;
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
        quantizer.encode(buf, 0, code, codeOff);
        return list;
    }

    @Override
    public void add(long id, float[] vector) {
        VectorMath.requireVector(vector, dimension, "the vector of image " + id);
        byte[] code = new byte[m];
        int list = encode(vector, 0, new float[dimension], new float[dimension], code, 0);
        lock.writeLock().lock();
        try {
            removeLocked(id);
            append(id, list, code, 0);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Bulk add (encoding in parallel on the pool). */
    public void addAll(long[] ids, float[] data) {
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
                removeLocked(ids[i]);
                append(ids[i], listOf[i], codes, i * m);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void append(long id, int list, byte[] code, int off) {
        int pos = lists[list].append(id, code, off);
        where.put(id, ((long) list << 32) | pos);
    }

    @Override
    public boolean remove(long id) {
        lock.writeLock().lock();
        try {
            return removeLocked(id);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private boolean removeLocked(long id) {
        Long loc = where.remove(id);
        if (loc == null) {
            return false;
        }
        int list = (int) (loc >>> 32);
        int pos = (int) (long) loc;
        long moved = lists[list].removeAt(pos);
        if (moved != id) {
            where.put(moved, ((long) list << 32) | pos);
        }
        return true;
    }

    // ---- reads ---------------------------------------------------------------------------------

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int size() {
        lock.readLock().lock();
        try {
            return where.size();
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

    /** The encoder, e.g. to inspect or export codebooks. */
    public ProductQuantizer quantizer() {
        return quantizer;
    }

    /** Whether the collection has grown past twice the size the quantisers were trained on. */
    public boolean needsRetrain() {
        return size() > 2L * trainedSize;
    }

    @Override
    public List<ScoredId> search(float[] query, int k) {
        List<ScoredId> candidates = candidates(query, reranker == null ? k : safeMul(k, config.rerankFactor()), false);
        return reranker == null ? candidates : reranker.rerank(query, candidates, k);
    }

    /** Reference for {@link #search}: scalar ADC over a 2-D table and a full sort, then the same re-rank. */
    public List<ScoredId> searchReference(float[] query, int k) {
        List<ScoredId> candidates = candidates(query, reranker == null ? k : safeMul(k, config.rerankFactor()), true);
        return reranker == null ? candidates : reranker.rerank(query, candidates, k);
    }

    private static int safeMul(int k, int r) {
        return (int) Math.min(Integer.MAX_VALUE, (long) k * r);
    }

    /** First pass: the {@code count} best codes by ADC score. */
    List<ScoredId> candidates(float[] query, int count, boolean reference) {
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
        quantizer.innerProductTable(q, lut);
        int[] probe;
        float[] base;
        if (coarse == null) {
            probe = new int[]{0};
            base = new float[]{0f};
        } else {
            probe = new int[Math.min(config.nprobe(), coarse.nlist())];
            base = new float[probe.length];
            coarse.probe(q, probe.length, probe, base);
        }
        lock.readLock().lock();
        try {
            if (reference) {
                return referenceScan(probe, base, lut, count);
            }
            long total = 0;
            for (int l : probe) {
                total += lists[l].size;
            }
            int threads = total < parallelMinCodes ? 1 : pool.parallelism();
            if (threads == 1) {
                TopK top = new TopK(count);
                for (int i = 0; i < probe.length; i++) {
                    CodeList cl = lists[probe[i]];
                    scan(cl.codes, cl.ids, 0, cl.size, m, lut, base[i], top);
                }
                return top.toList();
            }
            // Split the total work into equal slices across lists, one slice per thread.
            List<Callable<TopK>> tasks = new ArrayList<>(threads);
            for (int t = 0; t < threads; t++) {
                long from = total * t / threads;
                long to = total * (t + 1) / threads;
                tasks.add(() -> {
                    TopK top = new TopK(count);
                    long offset = 0;
                    for (int i = 0; i < probe.length && offset < to; i++) {
                        CodeList cl = lists[probe[i]];
                        long a = Math.max(from, offset);
                        long b = Math.min(to, offset + cl.size);
                        if (a < b) {
                            scan(cl.codes, cl.ids, (int) (a - offset), (int) (b - offset), m, lut, base[i], top);
                        }
                        offset += cl.size;
                    }
                    return top;
                });
            }
            TopK merged = new TopK(count);
            for (TopK part : pool.invokeAll(tasks)) {
                merged.merge(part);
            }
            return merged.toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** ADC scan of codes [from, to) into {@code top}. */
    static void scan(byte[] codes, long[] ids, int from, int to, int m, float[] lut, float base, TopK top) {
        float th = top.threshold();
        for (int i = from, p = from * m; i < to; i++, p += m) {
            float s = base + adc(codes, p, m, lut);
            if (s >= th) {
                top.offer(ids[i], s);
                th = top.threshold();
            }
        }
    }

    /** Sum of one table entry per code byte, unrolled by four with independent accumulators. */
    public static float adc(byte[] codes, int p, int m, float[] lut) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int j = 0;
        for (; j + 4 <= m; j += 4) {
            int t = j << 8;
            s0 += lut[t + (codes[p + j] & 0xFF)];
            s1 += lut[t + 256 + (codes[p + j + 1] & 0xFF)];
            s2 += lut[t + 512 + (codes[p + j + 2] & 0xFF)];
            s3 += lut[t + 768 + (codes[p + j + 3] & 0xFF)];
        }
        for (; j < m; j++) {
            s0 += lut[(j << 8) + (codes[p + j] & 0xFF)];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Scalar reference for {@link #adc}: a 2-D table, one subspace after another. */
    public static float adcReference(byte[] codes, int p, int m, float[][] table) {
        float s = 0f;
        for (int j = 0; j < m; j++) {
            s += table[j][Byte.toUnsignedInt(codes[p + j])];
        }
        return s;
    }

    private List<ScoredId> referenceScan(int[] probe, float[] base, float[] lut, int count) {
        float[][] table = new float[m][];
        for (int j = 0; j < m; j++) {
            table[j] = Arrays.copyOfRange(lut, j * 256, (j + 1) * 256);
        }
        int total = 0;
        for (int l : probe) {
            total += lists[l].size;
        }
        long[] ids = new long[total];
        float[] scores = new float[total];
        int n = 0;
        for (int i = 0; i < probe.length; i++) {
            CodeList cl = lists[probe[i]];
            for (int r = 0; r < cl.size; r++) {
                ids[n] = cl.ids[r];
                scores[n++] = base[i] + adcReference(cl.codes, r * m, m, table);
            }
        }
        return TopK.reference(ids, scores, count);
    }

    // ---- persistence ---------------------------------------------------------------------------

    /** Writes the trained model and the codes to {@code dir} (each file atomically, with a CRC32). */
    public void save(Path dir) throws IOException {
        byte[] model = modelPayload();
        lock.readLock().lock();
        byte[] codes;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + where.size() * (8 + m) + lists.length * 4);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeLong(crc(model));
            out.writeInt(m);
            out.writeInt(lists.length);
            for (CodeList cl : lists) {
                out.writeInt(cl.size);
                for (int i = 0; i < cl.size; i++) {
                    out.writeLong(cl.ids[i]);
                }
                out.write(cl.codes, 0, cl.size * m);
            }
            out.flush();
            codes = bytes.toByteArray();
        } finally {
            lock.readLock().unlock();
        }
        ChecksummedFile.write(dir.resolve(MODEL_FILE), MODEL_MAGIC, FORMAT_VERSION, model);
        ChecksummedFile.write(dir.resolve(CODES_FILE), CODES_MAGIC, FORMAT_VERSION, codes);
    }

    private byte[] modelPayload() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(config.subspaces());
        out.writeBoolean(config.opq());
        out.writeInt(config.nlist());
        out.writeInt(config.nprobe());
        out.writeInt(config.rerankFactor());
        out.writeInt(config.trainSample());
        out.writeInt(config.kmeansIterations());
        out.writeInt(config.opqIterations());
        out.writeLong(config.seed());
        out.writeInt(dimension);
        out.writeInt(trainedSize);
        writeFloats(out, rotation == null ? new float[0] : rotation.matrix());
        writeFloats(out, coarse == null ? new float[0] : coarse.centroids());
        writeFloats(out, quantizer.codebooks());
        out.flush();
        return bytes.toByteArray();
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        for (float f : a) {
            out.writeFloat(f);
        }
    }

    private static float[] readFloats(DataInputStream in, int max) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > max) {
            throw new ChecksummedFile.CorruptIndexException("implausible array length " + n);
        }
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }

    /**
     * Loads an index saved by {@link #save}. Throws an {@code IOException} (a {@code CorruptIndexException} for
     * missing, damaged or foreign files) when it cannot be used as is.
     */
    public static PqIndex load(Path dir, ScanPool pool, Reranker reranker) throws IOException {
        byte[] model = ChecksummedFile.read(dir.resolve(MODEL_FILE), MODEL_MAGIC, FORMAT_VERSION);
        byte[] codes = ChecksummedFile.read(dir.resolve(CODES_FILE), CODES_MAGIC, FORMAT_VERSION);
        PqIndex index;
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(model));
            PqConfig config = new PqConfig(in.readInt(), in.readBoolean(), in.readInt(), in.readInt(), in.readInt(),
                    in.readInt(), in.readInt(), in.readInt(), in.readLong());
            int dim = in.readInt();
            int trained = in.readInt();
            if (dim < 1 || dim > 65_536) {
                throw new ChecksummedFile.CorruptIndexException("implausible dimension " + dim);
            }
            float[] rot = readFloats(in, dim * dim);
            float[] cent = readFloats(in, 1024 * dim);
            float[] books = readFloats(in, ProductQuantizer.KSUB * dim);
            index = new PqIndex(config, dim, rot.length == 0 ? null : OpqRotation.of(dim, rot),
                    cent.length == 0 ? null : new CoarseQuantizer(dim, cent),
                    ProductQuantizer.fromCodebooks(dim, config.subspaces(), books), trained, pool, reranker);
        } catch (IllegalArgumentException e) {
            throw new ChecksummedFile.CorruptIndexException("the PQ model file is inconsistent: " + e.getMessage());
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(codes));
        if (in.readLong() != crc(model)) {
            throw new ChecksummedFile.CorruptIndexException("the codes were made with a different PQ model");
        }
        if (in.readInt() != index.m || in.readInt() != index.lists.length) {
            throw new ChecksummedFile.CorruptIndexException("the codes do not match the PQ model's layout");
        }
        for (int l = 0; l < index.lists.length; l++) {
            int size = in.readInt();
            if (size < 0 || (long) size * (8 + index.m) > codes.length) {
                throw new ChecksummedFile.CorruptIndexException("implausible list size " + size);
            }
            CodeList cl = index.lists[l];
            cl.ensure(size);
            for (int i = 0; i < size; i++) {
                cl.ids[i] = in.readLong();
            }
            in.readFully(cl.codes, 0, size * index.m);
            cl.size = size;
            for (int i = 0; i < size; i++) {
                if (index.where.put(cl.ids[i], ((long) l << 32) | i) != null) {
                    throw new ChecksummedFile.CorruptIndexException("image " + cl.ids[i] + " appears twice");
                }
            }
        }
        return index;
    }

    /**
     * Loads the index from {@code dir} if it is intact and was built with {@code config}; otherwise (missing,
     * damaged, another version or configuration) trains it afresh from {@code vectors} and saves it.
     */
    public static PqIndex openOrBuild(Path dir, PqConfig config, Supplier<EmbeddingMatrix> vectors, ScanPool pool,
                                      Reranker reranker) {
        try {
            PqIndex loaded = load(dir, pool, reranker);
            if (loaded.config.equals(config)) {
                return loaded;
            }
            LOG.info("compact codes in {} were built with {}; rebuilding with {}", dir, loaded.config, config);
        } catch (IOException e) {
            LOG.warn("rebuilding compact codes: {}", e.getMessage());
        }
        PqIndex built = train(vectors.get(), config, pool, reranker);
        try {
            built.save(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the compact codes to " + dir, e);
        }
        return built;
    }

    /** One inverted list: ids and their codes, dense (removal moves the last entry into the hole). */
    private static final class CodeList {
        private final int m;
        long[] ids = new long[0];
        byte[] codes = new byte[0];
        int size;

        CodeList(int m) {
            this.m = m;
        }

        void ensure(int capacity) {
            if (capacity > ids.length) {
                int c = Math.max(capacity, Math.max(16, ids.length + (ids.length >> 1)));
                ids = Arrays.copyOf(ids, c);
                codes = Arrays.copyOf(codes, c * m);
            }
        }

        int append(long id, byte[] code, int off) {
            ensure(size + 1);
            ids[size] = id;
            System.arraycopy(code, off, codes, size * m, m);
            return size++;
        }

        /** Removes entry {@code pos}; returns the id that now sits at {@code pos} (or the removed id if it was last). */
        long removeAt(int pos) {
            int last = size - 1;
            long removed = ids[pos];
            if (pos != last) {
                ids[pos] = ids[last];
                System.arraycopy(codes, last * m, codes, pos * m, m);
            }
            size = last;
            return pos != last ? ids[pos] : removed;
        }
    }
}
