package io.ocular.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Image → global descriptor for CNN feature extractors: resizes the whole image by the
 * {@link ShorterSideResize} rule, normalises RGB as {@code (x*scale - mean)/std} into a {@code [3,H,W]}
 * tensor, and turns the {@code [C,h,w]} feature map of the chosen output into the spatial average of each
 * channel, L2-normalised. Batches same-shaped images with {@link HeapStackBatchifier}.
 */
final class CnnFeatureTranslator implements Translator<BufferedImage, float[]> {
    private final ShorterSideResize resize;
    private final String inputName;
    private final String outputName;
    private final float scale;
    private final float[] mean;
    private final float[] std;
    private final Batchifier batchifier = new HeapStackBatchifier();

    CnnFeatureTranslator(ModelManifest.Preprocessing p) {
        this(p, p.shortSide());
    }

    /**
     * The manifest's preprocessing with the shorter side of the input set to {@code shortSide} (the longest side
     * allowed scales with it).
     */
    CnnFeatureTranslator(ModelManifest.Preprocessing p, int shortSide) {
        this.resize = shortSide == p.shortSide() ? ShorterSideResize.of(p)
                : new ShorterSideResize(shortSide, Math.max(shortSide,
                        (int) ((long) p.maxLongSide() * shortSide / p.shortSide())), p.multipleOf());
        this.inputName = p.inputName();
        this.outputName = p.outputName();
        this.scale = (float) p.scale();
        this.mean = toFloats(p.mean());
        this.std = toFloats(p.std());
    }

    /** The network input size {width, height} this translator gives an image of that size. */
    int[] inputSize(int width, int height) {
        return resize.targetSize(width, height);
    }

    @Override
    public NDList processInput(TranslatorContext ctx, BufferedImage image) {
        int[] size = inputSize(image.getWidth(), image.getHeight());
        NDArray x = ctx.getNDManager().create(toChw(image, size[0], size[1]), new Shape(3, size[1], size[0]));
        x.setName(inputName);
        return new NDList(x);
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList outputs) {
        NDArray map = outputs.get(outputName);
        if (map == null || map.getShape().dimension() != 3) {
            throw new IllegalStateException("model output '" + outputName + "' missing or not a [C,h,w] feature map");
        }
        Shape s = map.getShape();
        return averagePoolL2(map.toFloatArray(), Math.toIntExact(s.get(0)), Math.toIntExact(s.get(1) * s.get(2)));
    }

    @Override
    public Batchifier getBatchifier() {
        return batchifier;
    }

    /** RGB pixels resized to {@code width x height}, normalised, in channel-major (CHW) order. */
    float[] toChw(BufferedImage image, int width, int height) {
        int[] rgb = ImageResampler.resizeToRgb(image, width, height);
        int plane = width * height;
        float[] chw = new float[3 * plane];
        float sr = scale / std[0];
        float sg = scale / std[1];
        float sb = scale / std[2];
        float or = mean[0] / std[0];
        float og = mean[1] / std[1];
        float ob = mean[2] / std[2];
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            chw[i] = ((p >>> 16) & 0xFF) * sr - or;
            chw[plane + i] = ((p >>> 8) & 0xFF) * sg - og;
            chw[2 * plane + i] = (p & 0xFF) * sb - ob;
        }
        return chw;
    }

    /** Mean of each channel over {@code cells} positions ({@code data} is channel-major), L2-normalised. */
    static float[] averagePoolL2(float[] data, int channels, int cells) {
        float[] v = new float[channels];
        double norm = 0;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            int base = c * cells;
            for (int i = 0; i < cells; i++) {
                sum += data[base + i];
            }
            v[c] = (float) (sum / cells);
            norm += (double) v[c] * v[c];
        }
        return Vectors.l2Normalise(v, norm);
    }

    private static float[] toFloats(List<Double> values) {
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = values.get(i).floatValue();
        }
        return f;
    }
}
