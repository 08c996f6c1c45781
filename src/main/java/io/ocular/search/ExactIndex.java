package io.ocular.search;

import io.ocular.model.ScoredId;
import io.ocular.store.EmbeddingMatrix;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Exact (brute-force) inner-product search over every stored vector.
 *
 * <p>Layout: rows of {@code dimension} floats, row-major and contiguous inside fixed-size chunks of
 * {@value #CHUNK_ROWS} rows (growing appends a chunk instead of copying everything, and the collection is
 * not capped by the 2^31 element limit of one Java array). An id→row map finds a row ({@link LongLongMap}:
 * two flat arrays, ~16–43 bytes a photo where a {@code HashMap<Long, Integer>} cost ~60 and three objects, which
 * the 100,000-photo soak saw as the library-sized part of the heap besides the vectors); removal moves the
 * last row into the hole (swap-with-last), so rows stay dense. A search splits the rows into one range per
 * thread of the {@link ScanPool}, each range keeps its own {@link TopK}, and the partial heaps are merged.
 *
 * <p>Thread-safety: searches share a read lock; add/remove take the write lock.
 */
public final class ExactIndex implements FullVectors {
    /** Rows per chunk of vector storage (each chunk one {@code float[]} of {@code CHUNK_ROWS × dimension}). */
    public static final int CHUNK_ROWS = 8192;
    /** Below this many rows a search runs on the calling thread only (handing off costs more than it saves). */
    private static final int PARALLEL_MIN_ROWS = 16_384;

    private final int dimension;
    private final ScanPool pool;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private float[][] chunks = new float[0][];
    private long[] rowIds = new long[0];
    private final LongLongMap rowOf = new LongLongMap();
    private int size;

    public ExactIndex(int dimension, ScanPool pool) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive: " + dimension);
        }
        this.dimension = dimension;
        this.pool = pool;
    }

    /** An index holding every row of {@code matrix}. */
    public static ExactIndex of(EmbeddingMatrix matrix, ScanPool pool) {
        ExactIndex index = new ExactIndex(matrix.dimension(), pool);
        index.addAll(matrix.ids(), matrix.data());
        return index;
    }

    /** Bulk add of row-major {@code data} (row i belongs to {@code ids[i]}); validates every row first. */
    public void addAll(long[] ids, float[] data) {
        VectorMath.requireRows(ids, data, dimension);
        lock.writeLock().lock();
        try {
            for (int i = 0; i < ids.length; i++) {
                put(ids[i], data, i * dimension);
            }
        } finally {
            lock.writeLock().unlock();
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
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void add(long id, float[] vector) {
        VectorMath.requireVector(vector, dimension, "the vector of image " + id);
        lock.writeLock().lock();
        try {
            put(id, vector, 0);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void put(long id, float[] src, int srcOff) {
        long existing = rowOf.get(id, -1);
        int row;
        if (existing >= 0) {
            row = (int) existing;
        } else {
            row = size;
            ensureCapacity(size + 1);
            rowIds[row] = id;
            rowOf.put(id, row);
            size++;
        }
        System.arraycopy(src, srcOff, chunks[row / CHUNK_ROWS], (row % CHUNK_ROWS) * dimension, dimension);
    }

    private void ensureCapacity(int rows) {
        if (rows > rowIds.length) {
            rowIds = Arrays.copyOf(rowIds, Math.max(rows, Math.max(16, rowIds.length + (rowIds.length >> 1))));
        }
        int needChunks = (rows + CHUNK_ROWS - 1) / CHUNK_ROWS;
        if (needChunks > chunks.length) {
            int old = chunks.length;
            chunks = Arrays.copyOf(chunks, needChunks);
            for (int c = old; c < needChunks; c++) {
                chunks[c] = new float[CHUNK_ROWS * dimension];
            }
        }
    }

    /** The whole batch under one write lock; every vector is checked before any is stored. */
    @Override
    public void addBatch(List<Long> ids, List<float[]> vectors) {
        VectorMath.requireSameSize(ids, vectors);
        for (int i = 0; i < ids.size(); i++) {
            VectorMath.requireVector(vectors.get(i), dimension, "the vector of image " + ids.get(i));
        }
        lock.writeLock().lock();
        try {
            for (int i = 0; i < ids.size(); i++) {
                put(ids.get(i), vectors.get(i), 0);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public boolean remove(long id) {
        lock.writeLock().lock();
        try {
            int row = (int) rowOf.get(id, -1);
            if (row < 0) {
                return false;
            }
            rowOf.remove(id);
            int last = size - 1;
            if (row != last) {
                long lastId = rowIds[last];
                System.arraycopy(chunks[last / CHUNK_ROWS], (last % CHUNK_ROWS) * dimension,
                        chunks[row / CHUNK_ROWS], (row % CHUNK_ROWS) * dimension, dimension);
                rowIds[row] = lastId;
                rowOf.put(lastId, row);
            }
            size = last;
            // Drop a trailing chunk that became empty (keep one spare to avoid thrashing at a boundary).
            int needChunks = (size + CHUNK_ROWS - 1) / CHUNK_ROWS;
            if (chunks.length > needChunks + 1) {
                chunks = Arrays.copyOf(chunks, needChunks + 1);
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The stored ids, in row order. */
    public long[] ids() {
        lock.readLock().lock();
        try {
            return Arrays.copyOf(rowIds, size);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Whether {@code id} is stored. */
    public boolean contains(long id) {
        lock.readLock().lock();
        try {
            return rowOf.containsKey(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A copy of the stored vector of {@code id}, or null. */
    public float[] vector(long id) {
        lock.readLock().lock();
        try {
            int row = (int) rowOf.get(id, -1);
            if (row < 0) {
                return null;
            }
            float[] v = new float[dimension];
            System.arraycopy(chunks[row / CHUNK_ROWS], (row % CHUNK_ROWS) * dimension, v, 0, dimension);
            return v;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public float dot(long id, float[] query) {
        lock.readLock().lock();
        try {
            int row = (int) rowOf.get(id, -1);
            if (row < 0) {
                return Float.NaN;
            }
            return VectorMath.dot(query, 0, chunks[row / CHUNK_ROWS], (row % CHUNK_ROWS) * dimension, dimension);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<ScoredId> search(float[] query, int k) {
        return search(query, k, SearchFilter.all());
    }

    /** Native filtering: a disallowed row is skipped in the scan, so exactly min(k, allowed rows) come back. */
    @Override
    public List<ScoredId> search(float[] query, int k, SearchFilter filter) {
        VectorMath.requireVector(query, dimension, "the query vector");
        SearchFilter only = filter.allowsAll() ? null : filter; // null: no check in the hot loop
        if (k < 0) {
            throw new IllegalArgumentException("k must not be negative: " + k);
        }
        lock.readLock().lock();
        try {
            int n = size;
            if (n == 0 || k == 0) {
                return List.of();
            }
            return ScanPool.topK(pool, n, k, PARALLEL_MIN_ROWS, (from, to) -> scan(query, k, from, to, only)).toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Scores rows [from, to) into a fresh heap, skipping rows {@code filter} disallows (checked only for rows
     * that would enter the heap; null = all allowed). Caller holds the read lock.
     */
    private TopK scan(float[] q, int k, int from, int to, SearchFilter filter) {
        TopK top = new TopK(k);
        float[] scores = new float[4];
        int dim = dimension;
        int row = from;
        while (row < to) {
            int c = row / CHUNK_ROWS;
            float[] chunk = chunks[c];
            int end = Math.min(to, (c + 1) * CHUNK_ROWS);
            int off = (row % CHUNK_ROWS) * dim;
            for (; row + 4 <= end; row += 4, off += 4 * dim) {
                VectorMath.dot4(q, chunk, off, dim, scores, 0);
                float th = top.threshold();
                for (int j = 0; j < 4; j++) {
                    if (scores[j] >= th && (filter == null || filter.allows(rowIds[row + j]))) {
                        top.offer(rowIds[row + j], scores[j]);
                        th = top.threshold();
                    }
                }
            }
            for (; row < end; row++, off += dim) {
                float s = VectorMath.dot(q, 0, chunk, off, dim);
                if (s >= top.threshold() && (filter == null || filter.allows(rowIds[row]))) {
                    top.offer(rowIds[row], s);
                }
            }
        }
        return top;
    }

    /** Scalar reference for {@link #search}: one naive loop over all rows, then a full sort. */
    public List<ScoredId> searchReference(float[] query, int k) {
        return searchReference(query, k, SearchFilter.all());
    }

    /** Scalar reference for the filtered {@link #search}: the allowed rows only, naive loop, full sort. */
    public List<ScoredId> searchReference(float[] query, int k, SearchFilter filter) {
        VectorMath.requireVector(query, dimension, "the query vector");
        lock.readLock().lock();
        try {
            long[] ids = new long[size];
            float[] scores = new float[size];
            int m = 0;
            for (int row = 0; row < size; row++) {
                if (filter.allows(rowIds[row])) {
                    ids[m] = rowIds[row];
                    scores[m++] = VectorMath.dotReference(query, 0, chunks[row / CHUNK_ROWS],
                            (row % CHUNK_ROWS) * dimension, dimension);
                }
            }
            return TopK.reference(Arrays.copyOf(ids, m), Arrays.copyOf(scores, m), k);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A copy of every stored vector (this tier is for libraries small enough to hold twice). */
    @Override
    public VectorRows snapshot() {
        lock.readLock().lock();
        try {
            float[] data = new float[Math.multiplyExact(size, dimension)];
            for (int row = 0; row < size; row++) {
                System.arraycopy(chunks[row / CHUNK_ROWS], (row % CHUNK_ROWS) * dimension, data, row * dimension,
                        dimension);
            }
            return VectorRows.of(new EmbeddingMatrix("snapshot", dimension, Arrays.copyOf(rowIds, size), data));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Bytes of the id bookkeeping held: the row → id array and the id → row map's tables. Like the vectors it
     * grows with the library by design (the soak subtracts both from the heap it watches for leaks).
     */
    public long idBytes() {
        lock.readLock().lock();
        try {
            return (long) rowIds.length * Long.BYTES + rowOf.bytes();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Bytes of vector storage held (allocated chunks), for benchmarks. */
    public long vectorBytes() {
        lock.readLock().lock();
        try {
            return (long) chunks.length * CHUNK_ROWS * dimension * Float.BYTES;
        } finally {
            lock.readLock().unlock();
        }
    }
}
