package io.ocular.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.ocular.model.OcularException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sentence-transformers {@code Dense} layer of a text tower ({@code 2_Dense/model.safetensors}):
 * {@code y = W·x (+ b)} with {@code linear.weight} [out, in] and an optional {@code linear.bias} [out],
 * identity activation. The file is read with DJL's safetensors decoder ({@link NDList#decode}, part of
 * DJL's API that Ocular already uses), so no hand-written parser is needed; the weights are then kept as
 * a plain Java array, because the projection of one query is a 768×512 multiply that needs no engine.
 * Immutable and thread-safe.
 */
public final class DenseProjection {

    static final String WEIGHT = "linear.weight";
    static final String BIAS = "linear.bias";
    /** Far above any real Dense layer (the multilingual one is 1.6 MB); refuses absurd files early. */
    private static final long MAX_BYTES = 256L << 20;

    private final float[] weight; // row-major [out, in]
    private final float[] bias;   // [out] or null
    private final int in;
    private final int out;

    DenseProjection(float[] weight, float[] bias, int in, int out) {
        if (weight.length != (long) in * out || (bias != null && bias.length != out)) {
            throw new IllegalArgumentException("weight/bias sizes do not match " + out + "x" + in);
        }
        this.weight = weight;
        this.bias = bias;
        this.in = in;
        this.out = out;
    }

    /**
     * Reads the layer from a safetensors file and checks that it maps {@code in} to {@code out} values.
     *
     * @param in  the input size, or 0 to take it from the file (the transformer's width is checked later)
     * @param out the output size, or 0 to take it from the file
     *
     * @throws OcularException when the file is missing, damaged, not safetensors, lacks
     *                         {@code linear.weight}, or has another shape
     */
    public static DenseProjection read(Path safetensors, int in, int out) {
        String name = safetensors.getFileName().toString();
        if (!Files.isRegularFile(safetensors)) {
            throw new OcularException("The text model's projection file is missing: " + safetensors
                    + ". Reinstall the model from the model catalogue.");
        }
        try {
            long size = Files.size(safetensors);
            if (size < 16 || size > MAX_BYTES) {
                throw new OcularException("The projection file " + name + " has " + size + " bytes; it is not"
                        + " the Dense layer of a text model (damaged or the wrong file).");
            }
            try (InputStream is = new BufferedInputStream(Files.newInputStream(safetensors));
                 NDManager manager = NDManager.newBaseManager("OnnxRuntime")) {
                NDList list = NDList.decode(manager, is);
                NDArray w = named(list, WEIGHT);
                if (w == null) {
                    throw new OcularException("The projection file " + name + " has no tensor '" + WEIGHT
                            + "' (it has " + names(list) + "); it is not a sentence-transformers Dense layer.");
                }
                Shape ws = w.getShape();
                if (ws.dimension() != 2 || (out > 0 && ws.get(0) != out) || (in > 0 && ws.get(1) != in) || ws.get(1) < 1
                        || ws.get(0) < 1) {
                    throw new OcularException("The projection file " + name + " maps " + shapeText(ws) + ", but "
                            + (in > 0 ? in : "hidden") + " → " + (out > 0 ? out : "any") + " values are needed.");
                }
                NDArray b = named(list, BIAS);
                if (b != null && (b.getShape().dimension() != 1 || b.getShape().get(0) != ws.get(0))) {
                    throw new OcularException("The projection file " + name + " has a bias of shape "
                            + b.getShape() + "; [" + ws.get(0) + "] is needed.");
                }
                return new DenseProjection(floats(w), b == null ? null : floats(b), (int) ws.get(1), (int) ws.get(0));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof OcularException oe) {
                throw oe;
            }
            throw new OcularException("Cannot read the projection file " + name + " (damaged, truncated or not"
                    + " a safetensors file): " + e.getMessage(), e);
        }
    }

    public int inputSize() {
        return in;
    }

    public int outputSize() {
        return out;
    }

    /** {@code W·x (+ b)}, accumulated in double. */
    public float[] apply(float[] x) {
        if (x.length != in) {
            throw new IllegalArgumentException("expected " + in + " values, got " + x.length);
        }
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            double s = bias == null ? 0 : bias[o];
            int row = o * in;
            for (int i = 0; i < in; i++) {
                s += (double) weight[row + i] * x[i];
            }
            y[o] = (float) s;
        }
        return y;
    }

    private static NDArray named(NDList list, String name) {
        for (NDArray a : list) {
            if (name.equals(a.getName())) {
                return a;
            }
        }
        return null;
    }

    private static String names(NDList list) {
        StringBuilder sb = new StringBuilder("[");
        for (NDArray a : list) {
            sb.append(sb.length() > 1 ? ", " : "").append(a.getName());
        }
        return sb.append(']').toString();
    }

    private static String shapeText(Shape s) {
        return s.dimension() == 2 ? s.get(1) + " → " + s.get(0) + " values" : "a tensor of shape " + s;
    }

    private static float[] floats(NDArray a) {
        return a.getDataType() == DataType.FLOAT32 ? a.toFloatArray() : a.toType(DataType.FLOAT32, false).toFloatArray();
    }
}
