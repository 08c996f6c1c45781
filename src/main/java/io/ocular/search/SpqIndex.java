package io.ocular.search;

import io.ocular.model.ScoredId;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link VectorIndex} over SPQ codes: {@link SpqModel#subspaces()} bytes per photo, scored by asymmetric
 * distance tables. Add and remove are incremental (a new photo is coded by the trained head; no retraining).
 * Optionally keeps the full vectors for an exact re-rank of the ADC candidates ({@code rerankFactor} × k).
 */
public final class SpqIndex implements VectorIndex {
    private final SpqModel model;
    private final int rerankFactor;
    private final Map<Long, Integer> rowOf = new HashMap<>();
    private long[] ids = new long[1024];
    private byte[] codes;
    private float[][] vectors;
    private int size;

    /** @param rerankFactor 0 = ADC scores only; r &gt; 0 = exact cosine re-rank of the best r·k candidates */
    public SpqIndex(SpqModel model, int rerankFactor) {
        this.model = model;
        this.rerankFactor = rerankFactor;
        this.codes = new byte[ids.length * model.subspaces()];
        this.vectors = rerankFactor > 0 ? new float[ids.length][] : null;
    }

    public SpqModel model() {
        return model;
    }

    @Override
    public int dimension() {
        return model.inputDim();
    }

    @Override
    public synchronized int size() {
        return size;
    }

    /** Bytes per photo in the code tier (not counting optional re-rank vectors). */
    public int bytesPerImage() {
        return model.subspaces();
    }

    @Override
    public synchronized void add(long id, float[] vector) {
        VectorMath.requireVector(vector, model.inputDim(), "vector");
        byte[] code = model.encode(vector);
        Integer row = rowOf.get(id);
        if (row == null) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                codes = Arrays.copyOf(codes, size * 2 * model.subspaces());
                if (vectors != null) {
                    vectors = Arrays.copyOf(vectors, size * 2);
                }
            }
            row = size++;
            rowOf.put(id, row);
            ids[row] = id;
        }
        System.arraycopy(code, 0, codes, row * model.subspaces(), model.subspaces());
        if (vectors != null) {
            vectors[row] = vector.clone();
        }
    }

    @Override
    public synchronized boolean remove(long id) {
        Integer row = rowOf.remove(id);
        if (row == null) {
            return false;
        }
        int last = --size;
        if (row != last) {
            ids[row] = ids[last];
            System.arraycopy(codes, last * model.subspaces(), codes, row * model.subspaces(), model.subspaces());
            if (vectors != null) {
                vectors[row] = vectors[last];
            }
            rowOf.put(ids[row], row);
        }
        if (vectors != null) {
            vectors[last] = null;
        }
        return true;
    }

    @Override
    public synchronized List<ScoredId> search(float[] query, int k) {
        VectorMath.requireVector(query, model.inputDim(), "query");
        if (k <= 0 || size == 0) {
            return List.of();
        }
        float[] table = model.adcTable(query);
        int first = vectors != null ? Math.min(size, k * rerankFactor) : Math.min(size, k);
        TopK top = new TopK(first);
        for (int r = 0; r < size; r++) {
            float s = model.score(table, codes, r * model.subspaces());
            if (s >= top.threshold()) {
                top.offer(ids[r], s);
            }
        }
        List<ScoredId> out = top.toList();
        if (vectors != null) {
            List<ScoredId> exact = new ArrayList<>(out.size());
            for (ScoredId c : out) {
                exact.add(new ScoredId(c.id(), VectorMath.dot(vectors[rowOf.get(c.id())], query)));
            }
            exact.sort(TopK.BEST_FIRST);
            out = exact;
        }
        return out.size() > k ? List.copyOf(out.subList(0, k)) : out;
    }
}
