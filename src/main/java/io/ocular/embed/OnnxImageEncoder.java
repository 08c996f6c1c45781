package io.ocular.embed;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.ocular.model.OcularException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ImageEncoder} for CNN feature extractors in ONNX format ({@link ModelManifest#ENCODER_CNN_AVGPOOL}),
 * e.g. MobileNetV2 with its {@code global_features} output: the global descriptor is the spatial average
 * of the feature map, L2-normalised (see {@link CnnFeatureTranslator}).
 *
 * <p>Runs on DJL's ONNX Runtime engine, offline. Images are grouped by network input size; each group
 * goes through {@link Predictor#batchPredict} (one stacked forward pass per at most {@code maxBatch}
 * images). Predictors are not thread-safe, so each concurrent caller borrows one from a {@link PredictorPool}
 * (created on demand, at most one per caller); all are closed before the model.
 */
public final class OnnxImageEncoder implements ImageEncoder {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxImageEncoder.class);
    public static final int DEFAULT_MAX_BATCH = 16;

    private final ModelManifest manifest;
    private final CnnFeatureTranslator translator;
    private final ZooModel<BufferedImage, float[]> model;
    private final int maxBatch;
    private final PredictorPool<BufferedImage, float[]> predictors;
    /** Translators and predictors for smaller inputs ({@link #encode(List, int)}), by shorter side. */
    private final Map<Integer, Sized> smaller = new ConcurrentHashMap<>();

    /** One input size: its translator and the predictors that use it. */
    private record Sized(CnnFeatureTranslator translator, PredictorPool<BufferedImage, float[]> predictors) {
    }

    /** Opens the model with ONNX Runtime threads suited to this machine and batches of up to 16. */
    public OnnxImageEncoder(InstalledModel installed) {
        this(installed, defaultIntraOpThreads(), DEFAULT_MAX_BATCH);
    }

    /**
     * @param intraOpThreads ONNX Runtime threads per forward pass (operators run one after another:
     *                       sequential execution, one inter-op thread)
     * @param maxBatch       most images per forward pass (bounds memory)
     */
    public OnnxImageEncoder(InstalledModel installed, int intraOpThreads, int maxBatch) {
        this.manifest = installed.manifest();
        if (!ModelManifest.ENCODER_CNN_AVGPOOL.equals(manifest.encoder()) || manifest.preprocessing() == null) {
            throw new OcularException("Model '" + manifest.id() + "' is not a CNN image encoder (encoder type '"
                    + manifest.encoder() + "').");
        }
        if (intraOpThreads < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("threads and batch size must be positive");
        }
        this.translator = new CnnFeatureTranslator(manifest.preprocessing());
        this.maxBatch = maxBatch;
        Criteria<BufferedImage, float[]> criteria = Criteria.builder()
                .setTypes(BufferedImage.class, float[].class)
                // The model folder plus the file's base name (a bare file path makes DJL warn).
                .optModelPath(installed.directory())
                .optModelName(baseName(installed.onnxFile()))
                .optEngine("OnnxRuntime")
                .optDevice(Device.cpu())
                .optTranslator(translator)
                // Both thread options must be set: DJL applies intraOpNumThreads only with interOpNumThreads.
                .optOption("interOpNumThreads", "1")
                .optOption("intraOpNumThreads", Integer.toString(intraOpThreads))
                .optOption("executionMode", "SEQUENTIAL")
                .optOption("optLevel", "ALL_OPT")
                .build();
        try {
            this.model = criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw new OcularException("Cannot open model '" + manifest.id() + "' (" + installed.onnxFile()
                    + "): " + e.getMessage() + ". Re-import or re-download it.", e);
        }
        this.predictors = PredictorPool.perCaller("model '" + manifest.id() + "'", model::newPredictor);
        LOG.debug("Opened {} with {} intra-op threads, batches of {}", manifest.id(), intraOpThreads, maxBatch);
    }

    private static String baseName(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".onnx") ? n.substring(0, n.length() - 5) : n;
    }

    /** ONNX Runtime threads per forward pass: the processors Java sees, at most 4. */
    public static int defaultIntraOpThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public String modelId() {
        return manifest.id();
    }

    @Override
    public int dimension() {
        return manifest.dimension();
    }

    @Override
    public int preferredShortSide() {
        return manifest.preprocessing().shortSide();
    }

    @Override
    public float[][] encode(List<BufferedImage> images) {
        return encode(images, translator, predictors);
    }

    @Override
    public boolean takesAnySize() {
        return true;
    }

    @Override
    public float[][] encode(List<BufferedImage> images, int shortSide) {
        if (shortSide < 32) {
            throw new IllegalArgumentException("input side must be at least 32 pixels (got " + shortSide + ")");
        }
        if (shortSide == manifest.preprocessing().shortSide()) {
            return encode(images);
        }
        Sized sized = smaller.computeIfAbsent(shortSide, side -> {
            CnnFeatureTranslator t = new CnnFeatureTranslator(manifest.preprocessing(), side);
            return new Sized(t, PredictorPool.perCaller("model '" + manifest.id() + "' at " + side + " px",
                    () -> model.newPredictor(t)));
        });
        return encode(images, sized.translator(), sized.predictors());
    }

    private float[][] encode(List<BufferedImage> images, CnnFeatureTranslator sizeRule,
                             PredictorPool<BufferedImage, float[]> pool) {
        float[][] out = new float[images.size()][];
        if (images.isEmpty()) {
            return out;
        }
        Map<Long, List<Integer>> byShape = new LinkedHashMap<>();
        for (int i = 0; i < images.size(); i++) {
            BufferedImage img = images.get(i);
            if (img == null || img.getWidth() <= 0 || img.getHeight() <= 0) {
                throw new OcularException("Cannot encode image " + i + " of the batch: it is missing or empty.");
            }
            int[] size = sizeRule.inputSize(img.getWidth(), img.getHeight());
            byShape.computeIfAbsent(((long) size[0] << 32) | size[1], k -> new ArrayList<>()).add(i);
        }
        try {
            pool.with(predictor -> {
                for (List<Integer> group : byShape.values()) {
                    for (int from = 0; from < group.size(); from += maxBatch) {
                        List<Integer> chunk = group.subList(from, Math.min(group.size(), from + maxBatch));
                        List<BufferedImage> batch = new ArrayList<>(chunk.size());
                        chunk.forEach(i -> batch.add(images.get(i)));
                        List<float[]> vectors = predictor.batchPredict(batch);
                        for (int j = 0; j < chunk.size(); j++) {
                            float[] v = vectors.get(j);
                            if (v.length != manifest.dimension()) {
                                throw new OcularException("Model '" + manifest.id() + "' produced " + v.length
                                        + "-dimensional vectors, its manifest says " + manifest.dimension() + ".");
                            }
                            out[chunk.get(j)] = v;
                        }
                    }
                }
                return null;
            });
        } catch (TranslateException | RuntimeException e) {
            if (e instanceof OcularException oe) {
                throw oe;
            }
            throw new OcularException("Model '" + manifest.id() + "' failed to encode images: " + e.getMessage(), e);
        }
        return out;
    }

    /** Closes every predictor, then the model. Call it once no {@link #encode} call is running. */
    @Override
    public void close() {
        smaller.values().forEach(s -> s.predictors().close());
        predictors.close();
        model.close();
    }
}
