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
import org.apache.lucene.store.ByteBuffersDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Peer index for {@link SearchBench}: Lucene 9.12's HNSW graph (default M = 16, beam width 100) over an
 * in-memory directory. Not used by the app; it is the yardstick the PQ/IVF tiers are measured against.
 * Lucene scores unit vectors with DOT_PRODUCT as {@code (1 + dot) / 2}; scores are mapped back to the dot.
 */
public final class LuceneHnswIndex implements VectorIndex, AutoCloseable {
    private static final String VEC = "v";
    private static final String ID = "id";
    private static final String ID_POINT = "idp";

    private final int dimension;
    private final int candidates;
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final IndexWriter writer;
    private DirectoryReader reader;
    private boolean dirty;

    /** @param candidates HNSW search beam (Lucene's numCandidates), at least k */
    public LuceneHnswIndex(int dimension, int candidates) {
        this.dimension = dimension;
        this.candidates = candidates;
        try {
            IndexWriterConfig cfg = new IndexWriterConfig().setRAMBufferSizeMB(1800)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE).setCodec(new WideVectorsCodec());
            this.writer = new IndexWriter(directory, cfg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        return search(query, k, (Query) null);
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
            return search(query, k, b.build());
        }
        BitSet known = filter.knownIds();
        if (known != null) {
            long[] allowed = known.stream().filter(filter::allows).asLongStream().toArray();
            if (allowed.length == 0) {
                return List.of();
            }
            return search(query, k, LongPoint.newSetQuery(ID_POINT, allowed));
        }
        return VectorIndex.super.search(query, k, filter);
    }

    private List<ScoredId> search(float[] query, int k, Query filter) {
        VectorMath.requireVector(query, dimension, "the query vector");
        DirectoryReader r;
        synchronized (this) {
            refresh();
            r = reader;
        }
        try {
            TopDocs top = new IndexSearcher(r).search(
                    new KnnFloatVectorQuery(VEC, query, Math.max(k, candidates), filter), Math.max(k, candidates));
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Lucene's default codec, except that vector fields accept up to {@value #MAX_DIMENSIONS} dimensions (the
     * default format refuses more than 1024, and MobileNetV2's vectors have 1280). The graph format itself is
     * the stock Lucene99 HNSW one, under its own name, so segments read back with the stock reader.
     */
    private static final class WideVectorsCodec extends org.apache.lucene.codecs.lucene912.Lucene912Codec {
        static final int MAX_DIMENSIONS = 4096;
        private static final org.apache.lucene.codecs.KnnVectorsFormat WIDE =
                new org.apache.lucene.codecs.KnnVectorsFormat("Lucene99HnswVectorsFormat") {
                    private final org.apache.lucene.codecs.KnnVectorsFormat hnsw =
                            new org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat();

                    @Override
                    public org.apache.lucene.codecs.KnnVectorsWriter fieldsWriter(
                            org.apache.lucene.index.SegmentWriteState state) throws IOException {
                        return hnsw.fieldsWriter(state);
                    }

                    @Override
                    public org.apache.lucene.codecs.KnnVectorsReader fieldsReader(
                            org.apache.lucene.index.SegmentReadState state) throws IOException {
                        return hnsw.fieldsReader(state);
                    }

                    @Override
                    public int getMaxDimensions(String fieldName) {
                        return MAX_DIMENSIONS;
                    }
                };

        @Override
        public org.apache.lucene.codecs.KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return WIDE;
        }
    }
}
