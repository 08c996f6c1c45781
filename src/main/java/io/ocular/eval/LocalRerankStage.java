package io.ocular.eval;

import io.ocular.model.DenseLocalFeatures;
import io.ocular.search.ScanPool;
import io.ocular.search.local.InMemoryLocalFeatureStore;
import io.ocular.search.local.LocalFeatureCodec;
import io.ocular.search.local.LocalFeatureCompressor;
import io.ocular.search.local.LocalFeatureModel;
import io.ocular.search.local.LocalFeatures;
import io.ocular.search.local.LocalVerifier;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Local features for {@code eval --rerank local}, computed the way a library's follow-up pass computes them
 * (same decode size, same seeded sample of up to 60 photos to fit the PCA and, with two or more folders, the
 * attention; blobs through the same int8 codec), but straight from the extractor with a {@link DenseFeatureCache}
 * instead of through a throwaway catalog. Queries are described in float precision, as a search describes
 * its example image; with rotations also turned by 90°, 180° and 270°.
 */
public final class LocalRerankStage {
    /** The same seed as the library's pass, so the eval fits on the same kind of sample. */
    static final long SAMPLE_SEED = 20261127L;

    /** What {@link #prepare} made. */
    public record Prepared(LocalVerifier verifier, LocalFeatureModel model, Map<Long, LocalFeatures[]> queryViews,
                           long bytes, int blobs, double seconds) {
    }

    private final DenseFeatureCache dense;
    private final int maxFeatures;
    private final float nmsRadius;
    private final int sampleImages;
    private final LocalVerifier.Config verifierConfig;
    private final ScanPool pool;

    /** @param pool threads each query's candidates are verified on (as the app does), or null for one */
    public LocalRerankStage(DenseFeatureCache dense, int maxFeatures, float nmsRadius, int sampleImages,
                            LocalVerifier.Config verifierConfig, ScanPool pool) {
        this.pool = pool;
        this.dense = dense;
        this.maxFeatures = maxFeatures;
        this.nmsRadius = nmsRadius;
        this.sampleImages = sampleImages;
        this.verifierConfig = verifierConfig;
    }

    /**
     * @param ids       evaluation id of each usable photo
     * @param rotations also describe each query turned by 90°, 180°, 270°
     */
    public Prepared prepare(GroundTruth truth, Map<Path, Long> ids, boolean rotations, PrintWriter err,
                            BooleanSupplier cancelled) {
        long t0 = System.nanoTime();
        List<Path> db = new ArrayList<>();
        for (Path p : truth.database()) {
            if (ids.containsKey(p)) {
                db.add(p);
            }
        }
        List<Path> shuffled = new ArrayList<>(db);
        Collections.shuffle(shuffled, new Random(SAMPLE_SEED));
        List<Path> sample = shuffled.subList(0, Math.min(sampleImages, shuffled.size()));
        List<DenseLocalFeatures> sampleDense = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Path p : sample) {
            sampleDense.add(dense.get(p, 0));
            labels.add(p.getParent() == null ? null : p.getParent().toString());
        }
        LocalFeatureModel model = LocalFeatureModel.fit(sampleDense, labels, SAMPLE_SEED);
        LocalFeatureCompressor compressor = model.compressor(maxFeatures, nmsRadius);
        InMemoryLocalFeatureStore store = new InMemoryLocalFeatureStore();
        long bytes = 0;
        int done = 0;
        int step = Math.max(1, ids.size() / 10);
        for (Path p : truth.images()) {
            Long id = ids.get(p);
            if (id == null) {
                continue;
            }
            if (cancelled.getAsBoolean()) {
                throw new CancellationException();
            }
            byte[] blob = LocalFeatureCodec.encode(compressor.compress(dense.get(p, 0)), model.pca().id());
            store.put(id, blob);
            bytes += blob.length;
            if (++done % step == 0) {
                err.println("  local features: " + done + "/" + ids.size());
                err.flush();
            }
        }
        Map<Long, LocalFeatures[]> views = new HashMap<>();
        int turns = rotations ? 4 : 1;
        for (GroundTruth.QuerySpec q : truth.queries()) {
            Long id = ids.get(q.image());
            if (id == null) {
                continue;
            }
            LocalFeatures[] v = new LocalFeatures[turns];
            for (int t = 0; t < turns; t++) {
                v[t] = compressor.compress(dense.get(q.image(), t));
            }
            views.put(id, v);
        }
        LocalVerifier verifier = new LocalVerifier(null, compressor, store, verifierConfig, pool);
        return new Prepared(verifier, model, views, bytes, (int) store.count(), (System.nanoTime() - t0) / 1e9);
    }
}
