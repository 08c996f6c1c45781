package io.ocular.cli;

import io.ocular.embed.FeatureMapEncoder;
import io.ocular.index.ImageDecoder;
import io.ocular.model.OcularException;
import io.ocular.search.MapPooling;
import io.ocular.search.SpqModel;
import io.ocular.search.train.MapTrainingSet;
import io.ocular.search.train.SpqMapTrainer;
import io.ocular.search.train.SpqTrainer;
import io.ocular.search.train.ViewAugmenter;
import io.ocular.store.EmbeddingMatrix;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * SPQ with the map head for {@code ocular eval --index spq --spq-head map}: each database photo is decoded once,
 * {@code --views} augmented square views of it go through the MobileNetV2 feature model at {@code --spq-map-size}
 * and their {@code global_features} maps are kept in memory as bytes ({@link MapTrainingSet}); {@link
 * SpqMapTrainer} learns pooling, head and codebooks; then every photo of the dataset (database and queries) is
 * mapped once more, unaugmented, and pooled by the trained model: those vectors are what the index codes and the
 * queries search with.
 */
final class EvalSpqMap {
    private static final int ENCODE_BATCH = 16;

    /** What training produced, the pooled vectors by dataset id, and what it cost. */
    record Result(SpqModel model, EmbeddingMatrix database, Map<Long, float[]> pooled, int photos,
                  int cyclePartners, long cacheBytes, double viewsSeconds, double trainSeconds, double trainCpuSeconds,
                  double poolSeconds) {
    }

    private EvalSpqMap() {
    }

    /**
     * @param images     every dataset image; dataset id = position in this list
     * @param ids        dataset ids of the images that have an indexer vector
     * @param dbPhotos   the database photos (trained on, without labels)
     * @param dbFeatures their indexer vectors (for the cycle search), aligned with dbPhotos
     * @param database   the database ids (order kept)
     */
    static Result train(Path modelFile, int mapSide, List<Path> images, Map<Path, Long> ids, List<Path> dbPhotos,
                        float[][] dbFeatures, EmbeddingMatrix database, EvalSpq.Settings s,
                        PrintWriter err, BooleanSupplier cancelled) {
        SpqTrainer.Config cfg = EvalSpq.config(s);
        ImageDecoder decoder = new ImageDecoder();
        try (FeatureMapEncoder maps = new FeatureMapEncoder(modelFile, mapSide, Runtime.getRuntime().availableProcessors())) {
            long t0 = System.nanoTime();
            List<Path> trainPhotos = new ArrayList<>();
            List<float[]> trainBase = new ArrayList<>();
            List<byte[][]> views = new ArrayList<>();
            ViewAugmenter augmenter = new ViewAugmenter(mapSide);
            Random rnd = new Random(EvalSpq.VIEW_SEED);
            err.println("Feature maps of " + s.views() + " augmented views of " + dbPhotos.size() + " photos ("
                    + mapSide + "x" + mapSide + ", " + maps.cells() + " cells) for SPQ map-head training...");
            err.flush();
            int step = Math.max(1, dbPhotos.size() / 10);
            for (int i = 0; i < dbPhotos.size(); i++) {
                check(cancelled);
                if (dbFeatures[i] == null) {
                    continue;
                }
                BufferedImage img;
                try {
                    img = decoder.decode(dbPhotos.get(i), 2 * mapSide).image();   // detail for the crops
                } catch (RuntimeException e) {
                    continue;
                }
                List<BufferedImage> v = new ArrayList<>();
                for (int k = 0; k < s.views(); k++) {
                    v.add(augmenter.augment(img, rnd));
                }
                float[][] m = maps.encode(v);
                byte[][] q = new byte[m.length][];
                for (int k = 0; k < m.length; k++) {
                    q[k] = MapPooling.quantise(m[k]);
                }
                views.add(q);
                trainPhotos.add(dbPhotos.get(i));
                trainBase.add(dbFeatures[i]);
                if ((i + 1) % step == 0) {
                    err.println("  maps: " + (i + 1) + "/" + dbPhotos.size());
                    err.flush();
                }
            }
            double viewsSeconds = (System.nanoTime() - t0) / 1e9;
            EvalSpq.checkEnough(views.size(), cfg);
            MapTrainingSet set = new MapTrainingSet(views.toArray(new byte[0][][]), FeatureMapEncoder.CHANNELS,
                    maps.cells(), null);
            int partners = 0;
            if (s.cycleWeight() > 0) {
                int[] cycle = EvalSpq.cyclePartners(trainBase, trainPhotos, s);
                for (int p : cycle) {
                    partners += p >= 0 ? 1 : 0;
                }
                err.println("Cycle-consistent partners across folders: " + partners + " of " + cycle.length + " photos.");
                set = set.withCyclePartners(cycle);
            }
            long t1 = System.nanoTime();
            long cpu0 = EvalSpq.threadCpuNanos();
            SpqModel model = new SpqMapTrainer().train(set, cfg, null, (epoch, epochs, loss) -> {
                err.printf(Locale.ROOT, "  SPQ map-head epoch %d/%d: loss %.4f%n", epoch, epochs, loss);
                err.flush();
            }, null, cancelled);
            double trainSeconds = (System.nanoTime() - t1) / 1e9;
            double trainCpu = (EvalSpq.threadCpuNanos() - cpu0) / 1e9;
            err.printf(Locale.ROOT, "Learned pooling: GeM p = %.3f.%n", model.pooling().effectiveP());

            long t2 = System.nanoTime();
            Map<Long, float[]> pooled = poolAll(images, ids, maps, decoder, model, cancelled);
            int dim = model.inputDim();
            long[] dbIds = database.ids();
            float[] data = new float[dbIds.length * dim];
            for (int r = 0; r < dbIds.length; r++) {
                float[] v = pooled.get(dbIds[r]);
                if (v == null) {
                    throw new OcularException("a database photo could not be mapped a second time: "
                            + images.get((int) dbIds[r]));
                }
                System.arraycopy(v, 0, data, r * dim, dim);
            }
            double poolSeconds = (System.nanoTime() - t2) / 1e9;
            return new Result(model, new EmbeddingMatrix(database.modelId() + "+spq-map", dim, dbIds, data), pooled,
                    set.size(), partners, set.bytes(), viewsSeconds, trainSeconds, trainCpu, poolSeconds);
        }
    }

    private static Map<Long, float[]> poolAll(List<Path> images, Map<Path, Long> ids, FeatureMapEncoder maps,
                                              ImageDecoder decoder, SpqModel model, BooleanSupplier cancelled) {
        Map<Long, float[]> pooled = new HashMap<>();
        List<BufferedImage> batch = new ArrayList<>();
        List<Long> batchIds = new ArrayList<>();
        for (Path p : images) {
            check(cancelled);
            Long id = ids.get(p);
            if (id == null) {
                continue;
            }
            try {
                batch.add(decoder.decode(p, maps.side()).image());
                batchIds.add(id);
            } catch (RuntimeException e) {
                continue;
            }
            if (batch.size() == ENCODE_BATCH) {
                flush(batch, batchIds, maps, model, pooled);
            }
        }
        flush(batch, batchIds, maps, model, pooled);
        return pooled;
    }

    private static void flush(List<BufferedImage> batch, List<Long> batchIds, FeatureMapEncoder maps, SpqModel model,
                              Map<Long, float[]> pooled) {
        if (batch.isEmpty()) {
            return;
        }
        float[][] m = maps.encode(batch);
        for (int i = 0; i < m.length; i++) {
            // the same byte quantisation as in training, so database, queries and training views match
            pooled.put(batchIds.get(i), model.poolMap(MapPooling.dequantise(MapPooling.quantise(m[i])), maps.cells()));
        }
        batch.clear();
        batchIds.clear();
    }

    private static void check(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("cancelled while preparing SPQ map-head training");
        }
    }
}
