package io.ocular.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.ocular.model.OcularException;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The spatial {@code global_features} map (1280 × S/32 × S/32, after ReLU6) of the MobileNetV2 feature model for
 * square {@code S × S} inputs: what SPQ's map head learns to pool. Every image is resized to the square (the
 * whole photo, aspect not kept: a fixed number of cells per photo), normalised as ImageNet, and run in batches
 * on ONNX Runtime. Maps come back channel-major, {@code channels × cells} floats per image.
 */
public final class FeatureMapEncoder implements AutoCloseable {
    public static final int CHANNELS = 1280;
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    private final ZooModel<NDList, NDList> model;
    private final PredictorPool<NDList, NDList> predictor;
    private final NDManager manager;
    private final int side;

    /**
     * @param modelFile the MobileNetV2 feature ONNX file ({@link LocalFeatureExtractor#findModel})
     * @param side      input side in pixels, a multiple of 32 (e.g. 160: 5 × 5 cells)
     * @param threads   ONNX Runtime intra-op threads
     */
    public FeatureMapEncoder(Path modelFile, int side, int threads) {
        if (side < 32 || side % 32 != 0) {
            throw new OcularException("The feature-map input side must be a multiple of 32, at least 32 (got "
                    + side + ").");
        }
        if (!Files.isRegularFile(modelFile)) {
            throw new OcularException("The MobileNetV2 feature model is missing: " + modelFile);
        }
        this.side = side;
        RawOnnxModel onnx = RawOnnxModel.load(modelFile, "MobileNetV2 feature model", threads);
        this.model = onnx.model();
        this.predictor = onnx.predictor();
        this.manager = onnx.manager();
    }

    /** Cells per map: (side / 32)². */
    public int cells() {
        return (side / 32) * (side / 32);
    }

    public int side() {
        return side;
    }

    /** One {@code channels × cells} map per image, in order. */
    public float[][] encode(List<BufferedImage> images) {
        float[][] out = new float[images.size()][];
        if (images.isEmpty()) {
            return out;
        }
        int plane = side * side;
        float[] input = new float[images.size() * 3 * plane];
        for (int i = 0; i < images.size(); i++) {
            int[] rgb = ImageResampler.resizeToRgb(images.get(i), side, side);
            int base = i * 3 * plane;
            for (int j = 0; j < plane; j++) {
                int p = rgb[j];
                input[base + j] = (((p >>> 16) & 0xFF) / 255f - MEAN[0]) / STD[0];
                input[base + plane + j] = (((p >>> 8) & 0xFF) / 255f - MEAN[1]) / STD[1];
                input[base + 2 * plane + j] = ((p & 0xFF) / 255f - MEAN[2]) / STD[2];
            }
        }
        try {
            return predictor.with(p -> {
                try (NDManager sub = manager.newSubManager()) {
                    NDArray in = sub.create(input, new Shape(images.size(), 3, side, side));
                    in.setName("input");
                    NDList result = p.predict(new NDList(in));
                    NDArray map = null;
                    for (NDArray a : result) {
                        if ("global_features".equals(a.getName())
                                || map == null && a.getShape().dimension() == 4 && a.getShape().get(1) == CHANNELS) {
                            map = a;
                        }
                    }
                    if (map == null) {
                        throw new OcularException("The model has no 'global_features' output; it is not the"
                                + " MobileNetV2 feature model.");
                    }
                    float[] all = map.toFloatArray();
                    int len = CHANNELS * cells();
                    for (int i = 0; i < out.length; i++) {
                        float[] m = new float[len];
                        System.arraycopy(all, i * len, m, 0, len);
                        out[i] = m;
                    }
                    result.close();
                    return out;
                }
            });
        } catch (OcularException e) {
            throw e;
        } catch (TranslateException | RuntimeException e) {
            throw new OcularException("The feature model failed on " + side + "x" + side + " inputs: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
        manager.close();
    }
}
