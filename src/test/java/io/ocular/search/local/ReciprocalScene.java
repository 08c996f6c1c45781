package io.ocular.search.local;

import io.ocular.embed.DenseFeatureExtractor;
import io.ocular.model.DenseLocalFeatures;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.Query;
import io.ocular.model.ScoredId;
import io.ocular.model.SearchHit;
import io.ocular.model.SearchResult;
import io.ocular.search.ExactIndex;
import io.ocular.search.SearchService;
import io.ocular.testing.InMemoryCatalog;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A small library for the reciprocal promotion rule (decision record 0115, Amendment 8), real except for the
 * network: an in-memory catalog with 30 photos, their global vectors in an {@link ExactIndex}, local features stored
 * as the app stores them, and a dense-feature "network" that always returns the query's features.
 *
 * <p>Global scores with the query (vector e0) fall from 0.90 (photo 1) by 0.01 per photo, so photo 21 (rank 20) is
 * the margin's reference, 0.70. Photo {@link #RECIPROCAL} (0.73) and photo {@link #NOT_RECIPROCAL} (0.72) both share
 * 16 geometrically consistent points with the query: evidence {@code ln(1 + ~16) + 10 · margin} ≈ 3.0–3.1, under the
 * old threshold 3.9 and over the new 2.7. The query is photo 18's nearest library photo (every vector is
 * {@code s·e0 + √(1−s²)·e_i} with its own axis e_i); photo 19 shares its axis with photos 25–30 (a series of its own
 * scene), so six photos are closer to it than the query: rank 7, {@code 0.5 · ln 7 ≈ 0.97} off its evidence. Every
 * other photo has unrelated local features.
 */
final class ReciprocalScene implements AutoCloseable {
    static final int PHOTOS = 30;
    static final long RECIPROCAL = 18;
    static final long NOT_RECIPROCAL = 19;
    /** The query as a library photo (only in {@link #withQueryInLibrary()}). */
    static final long QUERY_ID = 31;
    static final String MODEL = "fake-global";
    static final int DIM = 64;

    final InMemoryCatalog catalog = new InMemoryCatalog();
    final ExactIndex index = new ExactIndex(DIM, null);
    final Map<Long, float[]> vectors = new HashMap<>();
    final Path queryFile = Path.of("/outside/query.jpg").toAbsolutePath();
    final InstanceSearch instance;
    final LocalFeatures queryFeatures;

    private ReciprocalScene(boolean queryInLibrary) {
        catalog.registerModel(new ModelInfo(MODEL, MODEL, ModelKind.IMAGE, DIM, "0"));
        long folder = catalog.addFolder(Path.of("/lib").toAbsolutePath()).id();
        for (int i = 1; i <= PHOTOS; i++) {
            float s = 0.90f - 0.01f * (i - 1);
            int axis = i >= 25 ? (int) NOT_RECIPROCAL : i;
            add(folder, Path.of("/lib/p" + i + ".jpg").toAbsolutePath(), unit(s, axis));
        }
        if (queryInLibrary) {
            add(folder, queryFile, unit(1f, 0));
        }
        DenseLocalFeatures dense = dense(new Random(5));
        LocalFeatureModel model = new LocalFeatureModel(Pca.fit(randomRows(400, new Random(2)), 400, 96,
                LocalFeatureModel.PCA_DIM), null, 8);
        model.toSettings().forEach((k, v) -> {
            if (v != null) {
                catalog.putSetting(k, v);
            }
        });
        catalog.putSetting(InstanceSearch.ENABLED_SETTING, "on");
        DenseFeatureExtractor network = new DenseFeatureExtractor() {
            @Override
            public int dimension() {
                return 96;
            }

            @Override
            public DenseLocalFeatures extract(BufferedImage image) {
                return dense;
            }

            @Override
            public void close() {
            }
        };
        instance = new InstanceSearch(catalog, () -> Optional.of(Path.of("feature-model.onnx")), f -> network,
                f -> new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB), InstanceSearch.Config.defaults(), null);
        LocalVerifier store = instance.verifier().orElseThrow();
        queryFeatures = store.describe(new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB));
        for (long id = 1; id <= PHOTOS; id++) {
            LocalFeatures f = id == RECIPROCAL ? Fixtures.transformed(queryFeatures, 16, 200, 3)
                    : id == NOT_RECIPROCAL ? Fixtures.transformed(queryFeatures, 16, 200, 4)
                    : Fixtures.random(216, LocalFeatureModel.PCA_DIM, 400, 300, 100 + id);
            store.index(id, f);
        }
    }

    /** The query is a file from outside the library. */
    static ReciprocalScene outside() {
        return new ReciprocalScene(false);
    }

    /** The query is library photo {@link #QUERY_ID} (More like this, the holidays protocol). */
    static ReciprocalScene withQueryInLibrary() {
        return new ReciprocalScene(true);
    }

    private void add(long folder, Path path, float[] v) {
        ImageRecord r = new ImageRecord(0, folder, path, 1000, 0, path.toString(), 400, 300, Instant.EPOCH, 1,
                ImageStatus.INDEXED, null);
        long id = catalog.commitBatch(List.of(r), MODEL, List.of(v)).get(0).id();
        vectors.put(id, v);
        index.add(id, v);
    }

    /** {@code s·e0 + √(1−s²)·e_axis}. */
    private static float[] unit(float s, int axis) {
        float[] v = new float[DIM];
        v[0] = s;
        if (axis > 0) {
            v[axis] = (float) Math.sqrt(1 - s * s);
        }
        return v;
    }

    private static float[] randomRows(int n, Random r) {
        float[] d = new float[n * 96];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextGaussian();
        }
        return d;
    }

    /** 216 cells of random 96-d descriptors on one pyramid level (all kept: fewer than the 300 keypoints). */
    private static DenseLocalFeatures dense(Random r) {
        int n = 216;
        float[] x = new float[n];
        float[] y = new float[n];
        float[] scale = new float[n];
        float[] norm = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = 16 * (i % 18) + 7.5f + 40;
            y[i] = 16 * (i / 18) + 7.5f + 40;
            scale[i] = 1f;
            norm[i] = 1f + r.nextFloat();
        }
        return new DenseLocalFeatures(400, 300, 96, x, y, scale, norm, randomRows(n, r), new float[0]);
    }

    /** The library's stored vectors and exact neighbour search, as the engine gives them to the app. */
    ReciprocalNeighbours.Library library() {
        return new ReciprocalNeighbours.Library(vectors::get, index::search);
    }

    /**
     * The global search the app's verification starts from: the index searched with the example's vector, the
     * example's own photo (by id, or a file that is one) left out, as the app's rotating search does.
     */
    SearchService globalSearch() {
        return (query, k) -> {
            long self = query instanceof Query.ByImage i ? i.imageId()
                    : catalog.imageByPath(((Query.ByFile) query).file()).map(ImageRecord::id).orElse(-1L);
            float[] q = self > 0 ? vectors.get(self) : unit(1f, 0);
            List<SearchHit> hits = new ArrayList<>();
            for (ScoredId s : index.search(q, k + 1)) {
                if (s.id() != self && hits.size() < k) {
                    hits.add(SearchHit.of(catalog.image(s.id()).orElseThrow(), s.score()));
                }
            }
            return new SearchResult(hits, MODEL, 1, null, null);
        };
    }

    /** The global order (ids), the example left out. */
    List<Long> globalOrder() {
        return globalSearch().search(new Query.ByFile(queryFile), 100).hits().stream().map(SearchHit::imageId)
                .toList();
    }

    @Override
    public void close() {
        instance.close();
    }
}
