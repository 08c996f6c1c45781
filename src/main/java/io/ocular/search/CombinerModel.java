package io.ocular.search;

import io.ocular.model.OcularException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The weights and the forward pass of CLIP4Cir's Combiner (Baldrati et al., "Conditioned and composed image
 * retrieval combining and partially fine-tuning CLIP-based features", CVPRW 2022), in plain Java so that search
 * never loads PyTorch (training: {@code search.train.CombinerTrainer}). For an image feature {@code i} and a text
 * feature {@code t} of the same space (dimension {@code d}):
 *
 * <pre>
 *   ti = relu(Wt·t + bt),  ii = relu(Wi·i + bi)                  projections (d → p), dropout when training
 *   r  = [ti ; ii]                                               (2p)
 *   c  = relu(Wc·r + bc)                                         combiner layer (2p → h), dropout when training
 *   λ  = sigmoid(Ws2·relu(Ws1·r + bs1) + bs2)                    dynamic scalar (2p → h → 1)
 *   out = normalise(Wo·c + bo + λ·t + (1 − λ)·i)                 output layer (h → d) plus the mixed residual
 * </pre>
 *
 * The paper's layer order and names; only the widths differ by default (see docs/decisions/0160-combiner.md).
 * All matrices are row-major {@code [out][in]}, as PyTorch's {@code Linear.weight}. Immutable; thread-safe.
 */
public final class CombinerModel {
    private static final String FILE_MAGIC = "OCCOMBNR";
    private static final int VERSION = 1;

    private final int dim;
    private final int projection;
    private final int hidden;
    private final float[][] weights;

    /** Order of {@link #weights()}: text projection, image projection, combiner, output, scalar layers. */
    public static final String[] NAMES = {"wt", "bt", "wi", "bi", "wc", "bc", "wo", "bo", "ws1", "bs1", "ws2", "bs2"};

    public CombinerModel(int dim, int projection, int hidden, float[][] weights) {
        if (dim < 1 || projection < 1 || hidden < 1) {
            throw new IllegalArgumentException("combiner sizes must be positive: " + dim + ", " + projection + ", " + hidden);
        }
        int[] sizes = sizes(dim, projection, hidden);
        if (weights.length != sizes.length) {
            throw new IllegalArgumentException("a combiner has " + sizes.length + " weight arrays, got " + weights.length);
        }
        this.weights = new float[sizes.length][];
        for (int k = 0; k < sizes.length; k++) {
            if (weights[k].length != sizes[k]) {
                throw new IllegalArgumentException(NAMES[k] + " has " + weights[k].length + " values, expected " + sizes[k]);
            }
            for (float v : weights[k]) {
                if (!Float.isFinite(v)) {
                    throw new OcularException("the combiner has a non-finite weight in " + NAMES[k] + "; train it again");
                }
            }
            this.weights[k] = weights[k].clone();
        }
        this.dim = dim;
        this.projection = projection;
        this.hidden = hidden;
    }

    /** Number of values of each weight array, in {@link #NAMES} order. */
    public static int[] sizes(int dim, int projection, int hidden) {
        return new int[]{projection * dim, projection, projection * dim, projection, hidden * 2 * projection, hidden,
                dim * hidden, dim, hidden * 2 * projection, hidden, hidden, 1};
    }

    public int dimension() {
        return dim;
    }

    public int projection() {
        return projection;
    }

    public int hidden() {
        return hidden;
    }

    /** Copies of the weights in {@link #NAMES} order. */
    public float[][] weights() {
        float[][] out = new float[weights.length][];
        for (int k = 0; k < weights.length; k++) {
            out[k] = weights[k].clone();
        }
        return out;
    }

    /** The mixing coefficient λ the model gives this pair (1 = all text residual, 0 = all image residual). */
    public float lambda(float[] image, float[] text) {
        return forward(image, text, null);
    }

    /** The composed, L2-normalised query vector. */
    public float[] combine(float[] image, float[] text) {
        float[] out = new float[dim];
        forward(image, text, out);
        return out;
    }

    private float lambdaOf(float[] r) {
        float[] s = relu(linear(weights[8], weights[9], r, hidden, 2 * projection));
        float z = linear(weights[10], weights[11], s, 1, hidden)[0];
        return (float) (1 / (1 + Math.exp(-z)));
    }

    /** Returns λ; writes the normalised output to {@code out} when it is not null. */
    private float forward(float[] image, float[] text, float[] out) {
        if (image.length != dim || text.length != dim) {
            throw new IllegalArgumentException("the combiner takes " + dim + "-d vectors, got " + image.length
                    + "-d image and " + text.length + "-d text");
        }
        float[] ti = relu(linear(weights[0], weights[1], text, projection, dim));
        float[] ii = relu(linear(weights[2], weights[3], image, projection, dim));
        float[] r = new float[2 * projection];
        System.arraycopy(ti, 0, r, 0, projection);
        System.arraycopy(ii, 0, r, projection, projection);
        float lambda = lambdaOf(r);
        if (out == null) {
            return lambda;
        }
        float[] c = relu(linear(weights[4], weights[5], r, hidden, 2 * projection));
        float[] o = linear(weights[6], weights[7], c, dim, hidden);
        for (int j = 0; j < dim; j++) {
            o[j] += lambda * text[j] + (1 - lambda) * image[j];
        }
        double norm = VectorMath.l2normReference(o);
        if (!(norm > 1e-12)) {
            throw new OcularException("the combiner produced a zero or non-finite vector; train it again");
        }
        for (int j = 0; j < dim; j++) {
            out[j] = (float) (o[j] / norm);
        }
        return lambda;
    }

    /** {@code w·x + b} for {@code w} of shape [rows][cols] (the reference loop; not a hot path: once per query). */
    private static float[] linear(float[] w, float[] b, float[] x, int rows, int cols) {
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            float s = b[r];
            int off = r * cols;
            for (int c = 0; c < cols; c++) {
                s += w[off + c] * x[c];
            }
            y[r] = s;
        }
        return y;
    }

    private static float[] relu(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(0f, x[i]);
        }
        return x;
    }

    /** Saves atomically with a checksum ({@link ChecksummedFile}). */
    public void save(Path file) throws IOException {
        ChecksummedFile.write(file, FILE_MAGIC, VERSION, (DataOutputStream out) -> {
            out.writeInt(dim);
            out.writeInt(projection);
            out.writeInt(hidden);
            for (float[] w : weights) {
                for (float v : w) {
                    out.writeFloat(v);
                }
            }
        });
    }

    /**
     * Loads a model saved by {@link #save}.
     *
     * @throws ChecksummedFile.CorruptIndexException when the file is missing, truncated, foreign or damaged
     */
    public static CombinerModel load(Path file) throws IOException {
        return ChecksummedFile.read(file, FILE_MAGIC, VERSION, (DataInputStream in) -> {
            int d = in.readInt();
            int p = in.readInt();
            int h = in.readInt();
            if (d < 1 || p < 1 || h < 1 || (long) d * p + (long) h * p * 4 + (long) d * h > 200_000_000L) {
                throw new ChecksummedFile.CorruptIndexException(file + " has implausible combiner sizes " + d + ", "
                        + p + ", " + h);
            }
            int[] sizes = sizes(d, p, h);
            float[][] w = new float[sizes.length][];
            for (int k = 0; k < sizes.length; k++) {
                w[k] = new float[sizes[k]];
                for (int i = 0; i < sizes[k]; i++) {
                    w[k][i] = in.readFloat();
                }
            }
            try {
                return new CombinerModel(d, p, h, w);
            } catch (OcularException e) {
                throw new ChecksummedFile.CorruptIndexException(file + ": " + e.getMessage());
            }
        });
    }
}
