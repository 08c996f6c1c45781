package io.ocular.search;

import io.ocular.model.ScoredId;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.IOUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Peer index for {@link SearchBench}: Lucene 9.12's HNSW graph with Lucene's default build settings
 * ({@link Lucene99HnswVectorsFormat#DEFAULT_MAX_CONN} = 16 neighbours, build beam
 * {@link Lucene99HnswVectorsFormat#DEFAULT_BEAM_WIDTH} = 100) over an in-memory directory, or, for the
 * benchmark at a million vectors, a memory-mapped temporary folder (so the graph and vectors sit in the page
 * cache, as in a real Lucene deployment, not on the Java heap). Not used by the app; it is the yardstick the
 * PQ/IVF tiers are measured against. Lucene scores unit vectors with DOT_PRODUCT as {@code (1 + dot) / 2};
 * scores are mapped back to the dot.
 */
public final class LuceneHnswIndex implements VectorIndex, AutoCloseable {
    private static final String VEC = "v";
    private static final String ID = "id";
    private static final String ID_POINT = "idp";

    private final int dimension;
    private final int candidates;
    private final Directory directory;
    private final Path folder;
    private final ExecutorService mergeExec;
    private final IndexWriter writer;
    private DirectoryReader reader;
    private boolean dirty;

    /** @param candidates HNSW search beam (Lucene's numCandidates), at least k */
    public LuceneHnswIndex(int dimension, int candidates) {
        this(dimension, candidates, 1, false);
    }

    /**
     * @param candidates   HNSW search beam (Lucene's numCandidates), at least k
     * @param mergeWorkers threads that build the merged graph in {@link #mergeToOneGraph} (Lucene's
     *                     numMergeWorkers; 1 = the merging thread alone)
     * @param onDisk       keep the index in a memory-mapped temporary folder (deleted on {@link #close}) instead
     *                     of on the heap
     */
    public LuceneHnswIndex(int dimension, int candidates, int mergeWorkers, boolean onDisk) {
        if (mergeWorkers < 1) {
            throw new IllegalArgumentException("mergeWorkers must be at least 1: " + mergeWorkers);
        }
        this.dimension = dimension;
        this.candidates = candidates;
        try {
            this.folder = onDisk ? Files.createTempDirectory("ocular-hnsw-") : null;
            this.directory = onDisk ? new MMapDirectory(folder) : new ByteBuffersDirectory();
            this.mergeExec = mergeWorkers == 1 ? null : Executors.newFixedThreadPool(mergeWorkers, daemon());
            KnnVectorsFormat hnsw = mergeWorkers == 1 ? new Lucene99HnswVectorsFormat()
                    : new Lucene99HnswVectorsFormat(Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN,
                    Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH, mergeWorkers, mergeExec);
            IndexWriterConfig cfg = new IndexWriterConfig().setRAMBufferSizeMB(1800)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE).setCodec(new WideVectorsCodec(hnsw));
            this.writer = new IndexWriter(directory, cfg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ThreadFactory daemon() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "ocular-hnsw-merge-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Merges every segment into one (Lucene's forceMerge(1)): one graph over all vectors instead of one per
     * indexing thread and flush, each of which a query would otherwise search in turn. Returns the segments
     * there were before.
     */
    public int mergeToOneGraph() {
        int before = segments();
        try {
            writer.forceMerge(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (this) {
            dirty = true;
        }
        refresh();
        return before;
    }

    /** The memory-mapped temporary folder, or null for an index on the heap. */
    Path folder() {
        return folder;
    }

    /** Segments (separate HNSW graphs) a search visits now. */
    public synchronized int segments() {
        refresh();
        return reader == null ? 0 : reader.leaves().size();
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public synchronized int size() {
        refresh();
        return reader == null ? 0 : reader.numDocs();
    }

    @Override
    public void add(long id, float[] vector) {
        VectorMath.requireVector(vector, dimension, "the vector of image " + id);
        Document d = new Document();
        d.add(new KnnFloatVectorField(VEC, vector, VectorSimilarityFunction.DOT_PRODUCT));
        d.add(new NumericDocValuesField(ID, id));
        d.add(new LongPoint(ID_POINT, id));
        try {
            writer.deleteDocuments(LongPoint.newExactQuery(ID_POINT, id));
            writer.addDocument(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (this) {
            dirty = true;
        }
    }

    /** Bulk insert without the delete-by-id step (ids must be new); thread-safe, so callers may parallelise. */
    public void addNew(long id, float[] vector) {
        Document d = new Document();
        d.add(new KnnFloatVectorField(VEC, vector, VectorSimilarityFunction.DOT_PRODUCT));
        d.add(new NumericDocValuesField(ID, id));
        d.add(new LongPoint(ID_POINT, id));
        try {
            writer.addDocument(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (this) {
            dirty = true;
        }
    }

    @Override
    public boolean remove(long id) {
        try {
            long before = writer.getDocStats().numDocs;
            writer.deleteDocuments(LongPoint.newExactQuery(ID_POINT, id));
            synchronized (this) {
                dirty = true;
            }
            writer.flush();
            return writer.getDocStats().numDocs < before;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void refresh() {
        if (!dirty && reader != null) {
            return;
        }
        try {
            writer.commit();
            if (reader == null) {
                reader = DirectoryReader.open(directory);
            } else {
                DirectoryReader r = DirectoryReader.openIfChanged(reader);
                if (r != null) {
                    reader.close();
                    reader = r;
                }
            }
            dirty = false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<ScoredId> search(float[] query, int k) {
        return search(query, k, null, candidates);
    }

    /** The {@code k} best with a search beam of {@code numCandidates} (at least k) instead of the index's own. */
    public List<ScoredId> search(float[] query, int k, int numCandidates) {
        return search(query, k, null, numCandidates);
    }

    /**
     * Exclusions and known id sets (a folder, a date range) go into Lucene's filtered kNN search (a MUST_NOT, or
     * a FILTER, over the id points), which returns exactly {@code k} allowed hits; any other filter takes the
     * interface's widening fallback.
     */
    @Override
    public List<ScoredId> search(float[] query, int k, SearchFilter filter) {
        if (filter instanceof SearchFilter.Excluding ex) {
            BooleanQuery.Builder b = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER);
            b.add(LongPoint.newSetQuery(ID_POINT, ex.ids()), BooleanClause.Occur.MUST_NOT);
            return search(query, k, b.build(), candidates);
        }
        BitSet known = filter.knownIds();
        if (known != null) {
            long[] allowed = known.stream().filter(filter::allows).asLongStream().toArray();
            if (allowed.length == 0) {
                return List.of();
            }
            return search(query, k, LongPoint.newSetQuery(ID_POINT, allowed), candidates);
        }
        return VectorIndex.super.search(query, k, filter);
    }

    private List<ScoredId> search(float[] query, int k, Query filter, int numCandidates) {
        VectorMath.requireVector(query, dimension, "the query vector");
        DirectoryReader r;
        synchronized (this) {
            refresh();
            r = reader;
        }
        try {
            TopDocs top = new IndexSearcher(r).search(
                    new KnnFloatVectorQuery(VEC, query, Math.max(k, numCandidates), filter), Math.max(k, numCandidates));
            List<ScoredId> out = new ArrayList<>(k);
            List<LeafReaderContext> leaves = r.leaves();
            for (ScoreDoc sd : top.scoreDocs) {
                if (out.size() == k) {
                    break;
                }
                LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sd.doc, leaves));
                NumericDocValues ids = leaf.reader().getNumericDocValues(ID);
                if (ids != null && ids.advanceExact(sd.doc - leaf.docBase)) {
                    out.add(new ScoredId(ids.longValue(), 2 * sd.score - 1));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes held by the index files (vectors + graph), after a commit. */
    public long ramBytes() {
        refresh();
        try {
            long sum = 0;
            for (String f : directory.listAll()) {
                sum += directory.fileLength(f);
            }
            return sum;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (reader != null) {
                reader.close();
            }
            writer.close();
            directory.close();
            if (mergeExec != null) {
                mergeExec.shutdownNow();
            }
            if (folder != null) {
                IOUtils.rm(folder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Lucene's default codec, except that vector fields accept up to {@value #MAX_DIMENSIONS} dimensions (the
     * default format refuses more than 1024, and MobileNetV2's vectors have 1280). The graph format itself is
     * the stock Lucene99 HNSW one, under its own name, so segments read back with the stock reader.
     */
    private static final class WideVectorsCodec extends Lucene912Codec {
        static final int MAX_DIMENSIONS = 4096;
        private final KnnVectorsFormat wide;

        WideVectorsCodec(KnnVectorsFormat hnsw) {
            this.wide = new KnnVectorsFormat("Lucene99HnswVectorsFormat") {
                @Override
                public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
                    return hnsw.fieldsWriter(state);
                }

                @Override
                public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
                    return hnsw.fieldsReader(state);
                }

                @Override
                public int getMaxDimensions(String fieldName) {
                    return MAX_DIMENSIONS;
                }
            };
        }

        @Override
        public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return wide;
        }
    }
}
