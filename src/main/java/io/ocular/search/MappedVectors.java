package io.ocular.search;

import io.ocular.model.ScoredId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongPredicate;

/**
 * The full-vector tier of a large library with bounded heap: a {@link MappedVectorFile} (the base, paged in
 * by the OS: only rows a re-rank or a fallback scan touches become resident), the vectors added or replaced
 * since it was written in a small {@link ExactIndex} (the delta), the base ids removed or replaced since in a
 * primitive set, and every such change appended to a {@link VectorJournal} so the next start sees it too.
 * {@link #compact} folds delta and removals into a new base file. The heap cost is that of the changes, not
 * of the library; no array ever holds all n·dim floats.
 *
 * <p>Thread-safety: searches and reads share a read lock; add/remove/compact take the write lock.
 */
public final class MappedVectors implements FullVectors, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MappedVectors.class);
    public static final String BASE_FILE = "vectors.bin";
    public static final String JOURNAL_FILE = "vectors-journal.bin";
    private static final int PARALLEL_MIN_ROWS = 16_384;

    private final Path dir;
    private final int dimension;
    private final ScanPool pool;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private MappedVectorFile base;
    private ExactIndex delta;
    private LongLongMap removed = new LongLongMap(); // base ids removed or replaced (as a set)
    private VectorJournal journal;

    private MappedVectors(Path dir, MappedVectorFile base, ScanPool pool) {
        this.dir = dir;
        this.base = base;
        this.dimension = base.dimension();
        this.pool = pool;
        this.delta = new ExactIndex(dimension, pool);
    }

    /**
     * Opens {@code dir}'s base file and replays its journal.
     *
     * @throws IOException when the base file is missing, damaged or of another dimension (the caller rewrites
     *                     it from the catalog)
     */
    public static MappedVectors open(Path dir, int dimension, ScanPool pool) throws IOException {
        MappedVectorFile base = MappedVectorFile.open(dir.resolve(BASE_FILE));
        if (base.dimension() != dimension) {
            base.close();
            throw new IOException(dir.resolve(BASE_FILE) + " holds vectors of " + base.dimension()
                    + " values, not " + dimension);
        }
        MappedVectors v = new MappedVectors(dir, base, pool);
        try {
            v.journal = VectorJournal.open(dir.resolve(JOURNAL_FILE), dimension, v::replay);
        } catch (IOException | RuntimeException e) {
            base.close();
            throw e;
        }
        return v;
    }

    private void replay(long id, float[] vector) {
        if (vector == null) {
            removeInMemory(id);
        } else {
            addInMemory(id, vector);
        }
    }

    private void addInMemory(long id, float[] vector) {
        if (base.rowOf(id) >= 0) {
            removed.put(id, 0);
        }
        delta.add(id, vector);
    }

    private boolean removeInMemory(long id) {
        boolean had = delta.remove(id);
        if (base.rowOf(id) >= 0 && removed.put(id, 0)) {
            had = true;
        }
        return had;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int size() {
        lock.readLock().lock();
        try {
            return base.rows() - removed.size() + delta.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Changes held on the heap since the base file was written (delta vectors and removed base rows). */
    public int pendingChanges() {
        lock.readLock().lock();
        try {
            return delta.size() + removed.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void add(long id, float[] vector) {
        VectorMath.requireVector(vector, dimension, "the vector of image " + id);
        lock.writeLock().lock();
        try {
            journal.append(id, vector);
            addInMemory(id, vector);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The whole batch under one write lock; every vector is checked before any is written. */
    @Override
    public void addBatch(List<Long> ids, List<float[]> vectors) {
        VectorMath.requireSameSize(ids, vectors);
        for (int i = 0; i < ids.size(); i++) {
            VectorMath.requireVector(vectors.get(i), dimension, "the vector of image " + ids.get(i));
        }
        lock.writeLock().lock();
        try {
            for (int i = 0; i < ids.size(); i++) {
                journal.append(ids.get(i), vectors.get(i));
                addInMemory(ids.get(i), vectors.get(i));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public boolean remove(long id) {
        lock.writeLock().lock();
        try {
            boolean had = removeInMemory(id);
            if (had) {
                journal.append(id, null);
            }
            return had;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private boolean liveInBase(long id) {
        return base.rowOf(id) >= 0 && !removed.containsKey(id);
    }

    @Override
    public boolean contains(long id) {
        lock.readLock().lock();
        try {
            return delta.contains(id) || liveInBase(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public float[] vector(long id) {
        lock.readLock().lock();
        try {
            float[] v = delta.vector(id);
            if (v != null) {
                return v;
            }
            int row = base.rowOf(id);
            if (row < 0 || removed.containsKey(id)) {
                return null;
            }
            v = new float[dimension];
            base.copy(row, v, 0);
            return v;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public float dot(long id, float[] query) {
        lock.readLock().lock();
        try {
            if (delta.contains(id)) {
                return delta.dot(id, query);
            }
            return removed.containsKey(id) ? Float.NaN : base.dot(id, query);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long[] ids() {
        lock.readLock().lock();
        try {
            long[] out = new long[base.rows() - removed.size() + delta.size()];
            int n = 0;
            for (int r = 0; r < base.rows(); r++) {
                long id = base.id(r);
                if (!removed.containsKey(id)) {
                    out[n++] = id;
                }
            }
            for (long id : delta.ids()) {
                out[n++] = id;
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<ScoredId> search(float[] query, int k) {
        return search(query, k, SearchFilter.all());
    }

    /** Exact search (the fallback while compact codes are prepared): a scan of the mapped rows and the delta. */
    @Override
    public List<ScoredId> search(float[] query, int k, SearchFilter filter) {
        VectorMath.requireVector(query, dimension, "the query vector");
        if (k < 0) {
            throw new IllegalArgumentException("k must not be negative: " + k);
        }
        lock.readLock().lock();
        try {
            if (k == 0) {
                return List.of();
            }
            LongLongMap gone = removed;
            LongPredicate skip = filter.allowsAll()
                    ? (gone.size() == 0 ? null : gone::containsKey)
                    : id -> gone.containsKey(id) || !filter.allows(id);
            int n = base.rows();
            MappedVectorFile b = base;
            TopK merged = ScanPool.topK(pool, n, k, PARALLEL_MIN_ROWS, (from, to) -> {
                TopK top = new TopK(k);
                b.scan(query, top, from, to, skip);
                return top;
            });
            for (ScoredId s : delta.search(query, k, filter)) {
                merged.offer(s.id(), s.score());
            }
            return merged.toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public VectorRows snapshot() {
        lock.readLock().lock();
        try {
            MappedVectorFile b = base;
            int[] liveRows = new int[b.rows() - removed.size()];
            int n = 0;
            for (int r = 0; r < b.rows(); r++) {
                if (!removed.containsKey(b.id(r))) {
                    liveRows[n++] = r;
                }
            }
            long[] deltaIds = delta.ids();
            float[] deltaData = new float[deltaIds.length * dimension];
            for (int i = 0; i < deltaIds.length; i++) {
                System.arraycopy(delta.vector(deltaIds[i]), 0, deltaData, i * dimension, dimension);
            }
            int baseRows = n;
            return new VectorRows() {
                @Override
                public int rows() {
                    return baseRows + deltaIds.length;
                }

                @Override
                public int dimension() {
                    return dimension;
                }

                @Override
                public long id(int row) {
                    return row < baseRows ? b.id(liveRows[row]) : deltaIds[row - baseRows];
                }

                @Override
                public void copy(int row, float[] dst, int off) {
                    if (row < baseRows) {
                        b.copy(liveRows[row], dst, off);
                    } else {
                        System.arraycopy(deltaData, (row - baseRows) * dimension, dst, off, dimension);
                    }
                }
            };
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Writes base ∖ removed ∪ delta as a new base file (ids ascending, streamed: one row at a time), maps it and
     * empties the delta and the journal. A crash before the journal is reset replays changes the new base
     * already holds, which is harmless (replay is idempotent).
     */
    public void compact() throws IOException {
        lock.writeLock().lock();
        try {
            long[] deltaIds = delta.ids();
            Arrays.sort(deltaIds);
            Path file = dir.resolve(BASE_FILE);
            try (MappedVectorFile.Writer w = MappedVectorFile.Writer.create(file, dimension)) {
                float[] row = new float[dimension];
                int di = 0;
                for (int r = 0; r < base.rows(); r++) {
                    long id = base.id(r);
                    for (; di < deltaIds.length && deltaIds[di] < id; di++) {
                        w.append(deltaIds[di], delta.vector(deltaIds[di]));
                    }
                    if (!removed.containsKey(id)) {
                        base.copy(r, row, 0);
                        w.append(id, row);
                    }
                }
                for (; di < deltaIds.length; di++) {
                    w.append(deltaIds[di], delta.vector(deltaIds[di]));
                }
                w.finish();
            }
            MappedVectorFile old = base;
            base = MappedVectorFile.open(file);
            old.close();
            delta = new ExactIndex(dimension, pool);
            removed = new LongLongMap();
            journal.reset();
            LOG.info("full vectors in {} compacted: {} rows", dir, base.rows());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Writes a base file for {@code dir} from vectors streamed in ascending id order by {@code source} and starts
     * an empty journal; then opens it.
     */
    public static MappedVectors create(Path dir, int dimension, ScanPool pool, RowSource source) throws IOException {
        Files.createDirectories(dir);
        try (MappedVectorFile.Writer w = MappedVectorFile.Writer.create(dir.resolve(BASE_FILE), dimension)) {
            source.writeTo(w);
            w.finish();
        }
        Files.deleteIfExists(dir.resolve(JOURNAL_FILE));
        return open(dir, dimension, pool);
    }

    /** Vectors in ascending id order, written to a base file. */
    @FunctionalInterface
    public interface RowSource {
        void writeTo(MappedVectorFile.Writer writer) throws IOException;
    }

    @Override
    public void close() throws IOException {
        lock.writeLock().lock();
        try {
            journal.close();
            base.close();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
