package io.ocular.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.ocular.model.DenseLocalFeatures;
import io.ocular.model.OcularException;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Dense DELF-style local features from the MobileNetV2 feature model (ONNX Runtime through DJL): the
 * stride-16 {@code local_features} map [N,96,H/16,W/16] over an image pyramid, each cell mapped back to
 * original-image coordinates via its receptive-field centre (16x + 7.5, 16y + 7.5) input pixels. The global
 * descriptor (average-pooled, L2-normalised {@code global_features}) comes from the pyramid level nearest
 * scale 1 of the same forward passes.
 *
 * <p>Thread-safe: one DJL predictor per calling thread would be faster, but the ONNX Runtime session is
 * already multi-threaded inside, so calls are serialised on one predictor ({@link PredictorPool} of one).
 */
public final class LocalFeatureExtractor implements DenseFeatureExtractor {

    public static final int DIM = 96;
    /** Model store id the MobileNetV2 feature model gets when imported (ModelStore recognises its checksum). */
    public static final String MODEL_ID = KnownModels.MOBILENETV2_FEATURES.id();
    /** SHA-256 of the MobileNetV2 INT8 feature model file (the only model with a {@code local_features} output). */
    public static final String MODEL_SHA256 = KnownModels.MOBILENETV2_FEATURES.sha256();
    private static final int STRIDE = 16;
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    /** Pyramid configuration. */
    public record Pyramid(int baseLongSide, double[] scales, double maxUpscale, int minSide) {
        /**
         * Four half-octave steps around a 512 px longer side; small images are upscaled at most 2x (more adds
         * no detail, only cost; levels that coincide after the cap are run once); under 32 px: no features.
         */
        public static Pyramid standard() {
            return new Pyramid(512, new double[]{0.5, Math.sqrt(0.5), 1.0, Math.sqrt(2.0)}, 2.0, 32);
        }
    }

    private final ZooModel<NDList, NDList> model;
    private final PredictorPool<NDList, NDList> predictor;
    private final NDManager manager;
    private final Pyramid pyramid;

    /**
     * @param modelFile the MobileNetV2 feature ONNX file (outputs {@code local_features}, {@code global_features})
     * @param threads   ONNX Runtime intra-op threads
     */
    public LocalFeatureExtractor(Path modelFile, Pyramid pyramid, int threads) {
        if (!Files.isRegularFile(modelFile)) {
            throw new OcularException("The local feature model is missing: " + modelFile);
        }
        this.pyramid = pyramid;
        RawOnnxModel onnx = RawOnnxModel.load(modelFile, "local feature model", threads);
        this.model = onnx.model();
        this.predictor = onnx.predictor();
        this.manager = onnx.manager();
    }

    /**
     * The installed MobileNetV2 feature model file: the model whose ONNX file has {@link #MODEL_SHA256} (under
     * any id), else the one installed as {@link #MODEL_ID}.
     */
    public static Optional<Path> findModel(ModelStore store) {
        Optional<Path> byId = Optional.empty();
        for (InstalledModel m : store.list()) {
            var onnx = m.manifest().firstOnnxFile();
            if (onnx.isEmpty()) {
                continue;
            }
            if (MODEL_SHA256.equalsIgnoreCase(onnx.get().sha256())) {
                return Optional.of(m.file(onnx.get().name()));
            }
            if (MODEL_ID.equals(m.manifest().id())) {
                byId = Optional.of(m.file(onnx.get().name()));
            }
        }
        return byId;
    }

    @Override
    public int dimension() {
        return DIM;
    }

    @Override
    public DenseLocalFeatures extract(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (Math.min(w, h) < pyramid.minSide()) {
            return DenseLocalFeatures.empty(w, h, DIM, new float[0]);
        }
        List<float[]> xs = new ArrayList<>();
        List<float[]> ys = new ArrayList<>();
        List<float[]> ss = new ArrayList<>();
        List<float[]> ns = new ArrayList<>();
        List<float[]> ds = new ArrayList<>();
        float[] global = new float[0];
        double bestGlobalDist = Double.MAX_VALUE;
        double base = pyramid.baseLongSide() / (double) Math.max(w, h);
        Set<Long> done = new HashSet<>();
        for (double s : pyramid.scales()) {
            double f = Math.min(base * s, pyramid.maxUpscale());
            int iw = roundTo32(w * f);
            int ih = roundTo32(h * f);
            if (!done.add(((long) iw << 32) | ih)) {
                continue; // same input size as a previous level (upscale cap)
            }
            Level level = runLevel(image, iw, ih);
            double fx = iw / (double) w;
            double fy = ih / (double) h;
            int gw = level.gw;
            int gh = level.gh;
            int n = gw * gh;
            float[] x = new float[n];
            float[] y = new float[n];
            float[] sc = new float[n];
            float[] nm = new float[n];
            float[] d = new float[n * DIM];
            float[] map = level.local;
            for (int cy = 0; cy < gh; cy++) {
                for (int cx = 0; cx < gw; cx++) {
                    int i = cy * gw + cx;
                    x[i] = (float) ((STRIDE * cx + 8.0) / fx - 0.5);
                    y[i] = (float) ((STRIDE * cy + 8.0) / fy - 0.5);
                    sc[i] = (float) Math.sqrt(fx * fy);
                    double sq = 0;
                    for (int c = 0; c < DIM; c++) {
                        float v = map[(c * gh + cy) * gw + cx]; // NCHW
                        d[i * DIM + c] = v;
                        sq += v * v;
                    }
                    nm[i] = (float) Math.sqrt(sq);
                }
            }
            xs.add(x);
            ys.add(y);
            ss.add(sc);
            ns.add(nm);
            ds.add(d);
            double dist = Math.abs(Math.log(s));
            if (dist < bestGlobalDist) {
                bestGlobalDist = dist;
                global = level.global;
            }
        }
        return new DenseLocalFeatures(w, h, DIM, concat(xs), concat(ys), concat(ss), concat(ns), concat(ds), global);
    }

    private record Level(int gw, int gh, float[] local, float[] global) {
    }

    private Level runLevel(BufferedImage image, int iw, int ih) {
        float[] input = toInput(image, iw, ih);
        try {
            // one predictor, calls serialised: the ONNX Runtime session is already multi-threaded inside
            return predictor.with(p -> {
                try (NDManager sub = manager.newSubManager()) {
                    NDArray in = sub.create(input, new Shape(1, 3, ih, iw));
                    in.setName("input");
                    NDList out = p.predict(new NDList(in));
                    NDArray local = byName(out, "local_features", 3);
                    NDArray glob = byName(out, "global_features", 0);
                    Shape ls = local.getShape();
                    float[] localData = local.toFloatArray();
                    float[] g = pooledNormalised(glob);
                    out.close();
                    return new Level((int) ls.get(3), (int) ls.get(2), localData, g);
                }
            });
        } catch (OcularException e) {
            throw e;
        } catch (TranslateException | RuntimeException e) {
            throw new OcularException("The local feature model failed on a " + iw + "x" + ih
                    + " input: " + e.getMessage(), e);
        }
    }

    /** Finds an output by name; falls back to position (ONNX output order) when names are missing. */
    private static NDArray byName(NDList out, String name, int fallbackChannelsIndexHint) {
        for (NDArray a : out) {
            if (name.equals(a.getName())) {
                return a;
            }
        }
        for (NDArray a : out) {
            Shape s = a.getShape();
            if (s.dimension() == 4 && s.get(1) == (name.equals("local_features") ? DIM : 1280)) {
                return a;
            }
        }
        throw new OcularException("The local feature model has no '" + name + "' output; it is not the "
                + "MobileNetV2 feature model.");
    }

    private static float[] pooledNormalised(NDArray glob) {
        Shape s = glob.getShape();
        int c = (int) s.get(1);
        int hw = (int) (s.get(2) * s.get(3));
        float[] data = glob.toFloatArray();
        float[] g = new float[c];
        double sq = 0;
        for (int k = 0; k < c; k++) {
            double acc = 0;
            for (int i = 0; i < hw; i++) {
                acc += data[k * hw + i];
            }
            g[k] = (float) (acc / hw);
            sq += g[k] * g[k];
        }
        float inv = sq > 0 ? (float) (1 / Math.sqrt(sq)) : 0f;
        for (int k = 0; k < c; k++) {
            g[k] *= inv;
        }
        return g;
    }

    private static float[] toInput(BufferedImage image, int iw, int ih) {
        BufferedImage scaled = new BufferedImage(iw, ih, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(image, 0, 0, iw, ih, null);
        g.dispose();
        int[] rgb = scaled.getRGB(0, 0, iw, ih, null, 0, iw);
        int plane = iw * ih;
        float[] out = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            out[i] = (((p >> 16) & 0xFF) / 255f - MEAN[0]) / STD[0];
            out[plane + i] = (((p >> 8) & 0xFF) / 255f - MEAN[1]) / STD[1];
            out[2 * plane + i] = ((p & 0xFF) / 255f - MEAN[2]) / STD[2];
        }
        return out;
    }

    private static int roundTo32(double v) {
        return Math.max(32, (int) Math.round(v / 32.0) * 32);
    }

    private static float[] concat(List<float[]> parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    @Override
    public void close() {
        predictor.close();
        manager.close();
        model.close();
    }
}
