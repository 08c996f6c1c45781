package io.ocular.search.local;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Weakly supervised training of {@link AttentionMlp} the DELF way: the attention scores weight the frozen
 * features, the weighted mean is pooled into one image vector, and a linear softmax classifier on top is
 * trained with cross-entropy against image-level labels (e.g. the photo's folder). Only locations that help
 * recognise the image get high attention. Backprop and Adam are written out by hand: the model is two tiny
 * dense layers plus a linear classifier (see {@link AttentionMlp} for why no DL framework).
 */
public final class AttentionTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(AttentionTrainer.class);

    /** One training image: its dense features {@code [n][dim]} row-major and a class label. */
    public record Example(float[] features, int count, int label) {
    }

    public record Config(int hidden, int epochs, double learningRate, long seed) {
        public static Config defaults() {
            return new Config(64, 12, 3e-3, 7);
        }
    }

    private final Config config;

    public AttentionTrainer(Config config) {
        this.config = config;
    }

    /** Trains on the examples; {@code classes} is the number of distinct labels (0..classes-1). */
    public AttentionMlp train(List<Example> examples, int dim, int classes) {
        if (examples.isEmpty() || classes < 2) {
            throw new IllegalArgumentException("attention training needs examples of at least two classes");
        }
        double normSum = 0;
        long normCount = 0;
        for (Example e : examples) {
            for (int i = 0; i < e.count(); i++) {
                double sq = 0;
                for (int k = 0; k < dim; k++) {
                    float v = e.features()[i * dim + k];
                    sq += v * v;
                }
                normSum += Math.sqrt(sq);
                normCount++;
            }
        }
        float inputScale = (float) Math.max(1e-6, normSum / Math.max(1, normCount));
        AttentionMlp m = new AttentionMlp(dim, config.hidden(), inputScale, config.seed());
        int h = config.hidden();
        float[] wc = new float[classes * dim];
        float[] bc = new float[classes];
        Random r = new Random(config.seed() + 1);
        for (int i = 0; i < wc.length; i++) {
            wc[i] = (float) (r.nextGaussian() * 0.01);
        }
        Adam adam = new Adam(config.learningRate(), m.w1.length, m.b1.length, m.w2.length, 1, wc.length, bc.length);
        float[] gw1 = new float[m.w1.length];
        float[] gb1 = new float[h];
        float[] gw2 = new float[h];
        float[] gb2 = new float[1];
        float[] gwc = new float[wc.length];
        float[] gbc = new float[classes];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            order.add(i);
        }
        float inv = 1f / inputScale;
        float[] hid = new float[h];
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            Collections.shuffle(order, r);
            double lossSum = 0;
            int correct = 0;
            for (int idx : order) {
                Example ex = examples.get(idx);
                int n = ex.count();
                float[] f = ex.features();
                // forward: a_i = softplus(z_i); p = (1/n) sum a_i x_i / inputScale; logits = Wc p + bc
                double[] z = new double[n];
                float[] a = new float[n];
                float[] p = new float[dim];
                for (int i = 0; i < n; i++) {
                    z[i] = m.preActivation(f, i * dim, null);
                    a[i] = (float) AttentionMlp.softplus(z[i]);
                    float w = a[i] * inv / n;
                    for (int k = 0; k < dim; k++) {
                        p[k] += w * f[i * dim + k];
                    }
                }
                double[] logits = new double[classes];
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    double s = bc[c];
                    for (int k = 0; k < dim; k++) {
                        s += wc[c * dim + k] * p[k];
                    }
                    logits[c] = s;
                    max = Math.max(max, s);
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    logits[c] = Math.exp(logits[c] - max);
                    sum += logits[c];
                }
                int best = 0;
                for (int c = 0; c < classes; c++) {
                    logits[c] /= sum; // now probabilities
                    if (logits[c] > logits[best]) {
                        best = c;
                    }
                }
                if (best == ex.label()) {
                    correct++;
                }
                lossSum += -Math.log(Math.max(1e-12, logits[ex.label()]));
                // backward
                float[] dp = new float[dim];
                for (int c = 0; c < classes; c++) {
                    float dz = (float) (logits[c] - (c == ex.label() ? 1 : 0));
                    gbc[c] += dz;
                    for (int k = 0; k < dim; k++) {
                        gwc[c * dim + k] += dz * p[k];
                        dp[k] += dz * wc[c * dim + k];
                    }
                }
                for (int i = 0; i < n; i++) {
                    double da = 0;
                    for (int k = 0; k < dim; k++) {
                        da += dp[k] * f[i * dim + k];
                    }
                    da *= inv / n;
                    float dzi = (float) (da * AttentionMlp.sigmoid(z[i]));
                    if (dzi == 0) {
                        continue;
                    }
                    m.preActivation(f, i * dim, hid);
                    gb2[0] += dzi;
                    for (int j = 0; j < h; j++) {
                        gw2[j] += dzi * hid[j];
                        if (hid[j] > 0) {
                            float dh = dzi * m.w2[j];
                            gb1[j] += dh;
                            float dhx = dh * inv;
                            int row = j * dim;
                            for (int k = 0; k < dim; k++) {
                                gw1[row + k] += dhx * f[i * dim + k];
                            }
                        }
                    }
                }
                // one Adam step per image (mini-batch of 1 image, many locations)
                float[] b2 = {m.b2};
                adam.step(new float[][]{m.w1, m.b1, m.w2, b2, wc, bc}, new float[][]{gw1, gb1, gw2, gb2, gwc, gbc});
                m.b2 = b2[0];
            }
            LOG.info("attention epoch {}: loss {}, train accuracy {}", epoch, lossSum / examples.size(),
                    correct / (double) examples.size());
        }
        return m;
    }

    /** Adam over several parameter arrays; gradients are consumed (zeroed) by each step. */
    private static final class Adam {
        private final double lr;
        private final float[][] m1;
        private final float[][] m2;
        private int t;

        Adam(double lr, int... sizes) {
            this.lr = lr;
            m1 = new float[sizes.length][];
            m2 = new float[sizes.length][];
            for (int i = 0; i < sizes.length; i++) {
                m1[i] = new float[sizes[i]];
                m2[i] = new float[sizes[i]];
            }
        }

        void step(float[][] params, float[][] grads) {
            t++;
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            for (int a = 0; a < params.length; a++) {
                float[] p = params[a];
                float[] g = grads[a];
                for (int i = 0; i < p.length; i++) {
                    m1[a][i] = 0.9f * m1[a][i] + 0.1f * g[i];
                    m2[a][i] = 0.999f * m2[a][i] + 0.001f * g[i] * g[i];
                    p[i] -= (float) (lr * (m1[a][i] / c1) / (Math.sqrt(m2[a][i] / c2) + 1e-8));
                    g[i] = 0;
                }
            }
        }
    }
}
