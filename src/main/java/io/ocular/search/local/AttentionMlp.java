package io.ocular.search.local;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * DELF-style attention: a per-location MLP (a 1x1 "convolution") {@code in -> hidden -> 1} with ReLU and a
 * softplus output, applied to frozen CNN features. Input features are divided by {@code inputScale} (the mean
 * feature norm of the training data) so the weights stay in a sane range.
 *
 * <p>Hand-written rather than a DJL/PyTorch block: it is ~6k parameters, inference is a few thousand tiny dot
 * products per image, and training it needs no autograd engine (see {@link AttentionTrainer}); pulling in the
 * ~440 MB PyTorch native runtime for this would be absurd.
 */
public final class AttentionMlp {
    private static final int MAGIC = 0x4F41544E; // "OATN"

    final int in;
    final int hidden;
    final float[] w1; // [hidden][in]
    final float[] b1;
    final float[] w2; // [hidden]
    float b2;
    float inputScale;

    AttentionMlp(int in, int hidden, float inputScale, long seed) {
        this.in = in;
        this.hidden = hidden;
        this.w1 = new float[hidden * in];
        this.b1 = new float[hidden];
        this.w2 = new float[hidden];
        this.inputScale = inputScale;
        Random r = new Random(seed);
        float s1 = (float) Math.sqrt(2.0 / in);
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (float) r.nextGaussian() * s1;
        }
        float s2 = (float) Math.sqrt(1.0 / hidden);
        for (int i = 0; i < w2.length; i++) {
            w2[i] = (float) r.nextGaussian() * s2;
        }
    }

    public int inputDimension() {
        return in;
    }

    /** Attention score (>= 0) of one feature at {@code x[off .. off + in)}. */
    public float score(float[] x, int off) {
        return (float) softplus(preActivation(x, off, null));
    }

    /** Pre-softplus output; fills {@code h} (post-ReLU hidden) when non-null. */
    double preActivation(float[] x, int off, float[] h) {
        float inv = 1f / inputScale;
        double out = b2;
        for (int j = 0; j < hidden; j++) {
            float a = 0;
            int row = j * in;
            for (int k = 0; k < in; k++) {
                a += w1[row + k] * x[off + k];
            }
            float v = Math.max(0f, a * inv + b1[j]);
            if (h != null) {
                h[j] = v;
            }
            out += w2[j] * v;
        }
        return out;
    }

    static double softplus(double z) {
        return z > 20 ? z : Math.log1p(Math.exp(z));
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(4 * (5 + w1.length + b1.length + w2.length)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(in).putInt(hidden).putFloat(inputScale).putFloat(b2);
        for (float v : w1) {
            b.putFloat(v);
        }
        for (float v : b1) {
            b.putFloat(v);
        }
        for (float v : w2) {
            b.putFloat(v);
        }
        return b.array();
    }

    public static AttentionMlp fromBytes(byte[] data) {
        try {
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            if (b.getInt() != MAGIC) {
                throw new IllegalArgumentException("not an attention model");
            }
            int in = b.getInt();
            int hidden = b.getInt();
            if (in <= 0 || hidden <= 0 || in > 4096 || hidden > 4096) {
                throw new IllegalArgumentException("bad attention model shape " + in + "x" + hidden);
            }
            AttentionMlp m = new AttentionMlp(in, hidden, b.getFloat(), 0);
            m.b2 = b.getFloat();
            b.asFloatBuffer().get(m.w1);
            b.position(b.position() + 4 * m.w1.length);
            b.asFloatBuffer().get(m.b1);
            b.position(b.position() + 4 * m.b1.length);
            b.asFloatBuffer().get(m.w2);
            return m;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated attention model", e);
        }
    }
}
