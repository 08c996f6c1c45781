package io.ocular.search.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.ocular.model.OcularException;
import io.ocular.search.SpqModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Trains SPQ (Jang &amp; Cho, "Self-supervised Product Quantization for Deep Unsupervised Image Retrieval",
 * ICCV 2021) on the user's own unlabelled photos, with DJL's PyTorch engine.
 *
 * <p>Input: for every photo, several features of augmented views from the frozen image encoder
 * ({@link TrainingSet}). Model: a small head (linear → ReLU → linear) to {@code M} sub-vectors; {@code M}
 * codebooks of {@code K} codewords; soft assignment = softmax over cosine similarity divided by a temperature;
 * the soft-quantised vector is the probability-weighted sum of codewords. Loss: cross-quantised contrastive
 * (NT-Xent): the feature of one view against the soft-quantised vectors of the batch, the other view's
 * quantisation being the positive, in both directions, with a photo's own quantisation (self-pair) excluded.
 * Optional cycle-consistent positives (Wu &amp; Wang, ICCV 2021; {@link CyclePositives}) add a second positive
 * per photo with weight λ.
 *
 * <p>Plain tensors with autograd and a hand-written Adam step keep this small: the head is two matrices and
 * the codebooks one tensor, so DJL's Block/Trainer machinery would add more code than it saves.
 */
public final class SpqTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SpqTrainer.class);

    /** Hyper-parameters. {@link #forBits(int, int)} gives the defaults used by Ocular. */
    public record Config(int subspaces, int codewords, int subDim, int hidden, int epochs, int batchSize,
                         float learningRate, float softTemperature, float contrastTemperature, float cycleWeight,
                         long seed) {
        public Config {
            if (subspaces < 1 || codewords < 2 || codewords > 256 || subDim < 2 || hidden < 1 || epochs < 1
                    || batchSize < 4) {
                throw new IllegalArgumentException("invalid SPQ configuration");
            }
        }

        /** {@code bits} = 16, 32 or 64 with 256 codewords per subspace (2, 4 or 8 subspaces). */
        public static Config forBits(int bits, int epochs) {
            if (bits % 8 != 0 || bits < 8 || bits > 128) {
                throw new IllegalArgumentException("bits must be a multiple of 8 in 8..128");
            }
            return new Config(bits / 8, 256, 32, 512, epochs, 256, 1e-3f, 0.2f, 0.5f, 0f, 42);
        }

        public Config withCycleWeight(float lambda) {
            return new Config(subspaces, codewords, subDim, hidden, epochs, batchSize, learningRate,
                    softTemperature, contrastTemperature, lambda, seed);
        }

        public Config withEpochs(int n) {
            return new Config(subspaces, codewords, subDim, hidden, n, batchSize, learningRate,
                    softTemperature, contrastTemperature, cycleWeight, seed);
        }
    }

    /**
     * How the head and codebooks start. RANDOM: a random head, codewords at the projections of random photos (the
     * design of 0100). PQ: the identity head and k-means codebooks of {@link PqStart}, so training starts from PQ.
     */
    public enum Start {
        RANDOM, PQ;

        /** {@code random} or {@code pq}, as the CLI spells it. */
        public static Start parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "random" -> RANDOM;
                case "pq" -> PQ;
                default -> throw new OcularException("Unknown SPQ start '" + s + "'; use random or pq.");
            };
        }
    }

    private final Start start;

    /** The random start of 0100. */
    public SpqTrainer() {
        this(Start.RANDOM);
    }

    public SpqTrainer(Start start) {
        this.start = start;
    }

    /** The fewest photos {@link #train} accepts for {@code cfg}: two batches, and four photos per codeword. */
    public static int minimumPhotos(Config cfg) {
        return Math.max(2 * cfg.batchSize(), 4 * cfg.codewords());
    }

    /**
     * As {@link #minimumPhotos(Config)} for {@code start}: k-means codebooks ({@link Start#PQ}) need only as many
     * photos as codewords (every codeword starts on data, none dead), as PQ itself does.
     */
    public static int minimumPhotos(Config cfg, Start start) {
        return start == Start.PQ ? Math.max(2 * cfg.batchSize(), cfg.codewords()) : minimumPhotos(cfg);
    }

    /** A configuration that holds {@link Start#PQ}'s identity head for {@code inDim}-d input: hidden 2·inDim, subDim inDim / M. */
    public static Config pqStartConfig(Config cfg, int inDim) {
        if (inDim % cfg.subspaces() != 0) {
            throw new OcularException("the PQ start needs the feature size (" + inDim + ") to be a multiple of the "
                    + cfg.subspaces() + " subspaces");
        }
        return new Config(cfg.subspaces(), cfg.codewords(), inDim / cfg.subspaces(), 2 * inDim, cfg.epochs(),
                cfg.batchSize(), cfg.learningRate(), cfg.softTemperature(), cfg.contrastTemperature(),
                cfg.cycleWeight(), cfg.seed());
    }

    /** Progress per epoch; return quickly. */
    @FunctionalInterface
    public interface Listener {
        void onEpoch(int epoch, int epochs, double loss);
    }

    /** Weights and Adam state between epochs, so training can stop and resume. */
    public record Checkpoint(int epochsDone, SpqModel model) {
    }

    /**
     * Trains from scratch, or continues from {@code resumeFrom} (its weights; Adam's moments restart).
     *
     * @throws OcularException when the collection is too small to train (caller falls back to PQ)
     * @throws java.util.concurrent.CancellationException when {@code cancelled} turns true (the last completed
     *                                                     epoch is reported through {@code onCheckpoint})
     */
    public SpqModel train(TrainingSet data, Config cfg, Checkpoint resumeFrom, Listener listener,
                          Consumer<Checkpoint> onCheckpoint, BooleanSupplier cancelled) {
        int n = data.size();
        int minimum = minimumPhotos(cfg, start);
        if (n < minimum) {
            throw new OcularException("SPQ needs at least " + minimum + " photos to learn " + cfg.codewords()
                    + " codewords; the collection has " + n + " (plain PQ is used instead)");
        }
        int inDim = data.dimension();
        int outDim = cfg.subspaces() * cfg.subDim();
        Random rnd = new Random(cfg.seed());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Engine.getEngine("PyTorch").setRandomSeed((int) cfg.seed());
            TensorSteps.singleThreaded();
            NDArray w1;
            NDArray b1;
            NDArray w2;
            NDArray b2;
            NDArray cb;
            int startEpoch = 0;
            if (resumeFrom != null) {
                SpqModel m = resumeFrom.model();
                if (m.inputDim() != inDim || m.subspaces() != cfg.subspaces() || m.codewords() != cfg.codewords()
                        || m.subDim() != cfg.subDim()) {
                    throw new OcularException("the saved SPQ training state does not match this configuration; restarting is needed");
                }
                float[][] p = m.weights();
                w1 = manager.create(p[0], new Shape(cfg.hidden(), inDim));
                b1 = manager.create(p[1], new Shape(cfg.hidden()));
                w2 = manager.create(p[2], new Shape(outDim, cfg.hidden()));
                b2 = manager.create(p[3], new Shape(outDim));
                cb = manager.create(p[4], new Shape(cfg.subspaces(), cfg.codewords(), cfg.subDim()));
                startEpoch = resumeFrom.epochsDone();
            } else if (start == Start.PQ) {
                float[][] p = PqStart.weights(data, cfg);
                w1 = manager.create(p[0], new Shape(cfg.hidden(), inDim));
                b1 = manager.create(p[1], new Shape(cfg.hidden()));
                w2 = manager.create(p[2], new Shape(outDim, cfg.hidden()));
                b2 = manager.create(p[3], new Shape(outDim));
                cb = manager.create(p[4], new Shape(cfg.subspaces(), cfg.codewords(), cfg.subDim()));
            } else {
                w1 = manager.create(gaussian(rnd, cfg.hidden() * inDim, Math.sqrt(2.0 / inDim)), new Shape(cfg.hidden(), inDim));
                b1 = manager.zeros(new Shape(cfg.hidden()));
                w2 = manager.create(gaussian(rnd, outDim * cfg.hidden(), Math.sqrt(1.0 / cfg.hidden())), new Shape(outDim, cfg.hidden()));
                b2 = manager.zeros(new Shape(outDim));
                cb = initialCodebooks(manager, data, w1, b1, w2, b2, cfg, rnd);
            }
            List<NDArray> params = List.of(w1, b1, w2, b2, cb);
            List<NDArray> m1 = new ArrayList<>();
            List<NDArray> m2 = new ArrayList<>();
            TensorSteps.prepareAdam(manager, params, m1, m2);
            int[] order = TensorSteps.identity(n);
            int step = 0;
            for (int epoch = startEpoch; epoch < cfg.epochs(); epoch++) {
                TensorSteps.shuffle(order, rnd);
                double lossSum = 0;
                int batches = 0;
                int skipped = 0;
                for (int start = 0; start + cfg.batchSize() <= n; start += cfg.batchSize()) {
                    if (cancelled.getAsBoolean()) {
                        throw new CancellationException("SPQ training cancelled");
                    }
                    step++;
                    try (NDScope scope = new NDScope()) {
                        Batch b = batch(manager, data, order, start, cfg.batchSize(), rnd);
                        NDArray loss;
                        boolean finite;
                        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                            loss = loss(b, w1, b1, w2, b2, cb, cfg);
                            finite = Float.isFinite(loss.getFloat());
                            if (finite) {
                                gc.backward(loss);   // a non-finite loss is never back-propagated
                                finite = TensorSteps.finiteGradients(params);
                            }
                            if (finite) {
                                TensorSteps.adam(params, m1, m2, step, cfg.learningRate());
                            } else {
                                TensorSteps.zeroGradients(params);   // a rare non-finite batch is skipped, not applied
                                step--;
                            }
                        }
                        if (finite) {
                            lossSum += loss.getFloat();
                            batches++;
                        } else {
                            skipped++;
                        }
                    }
                }
                if (skipped > 0) {
                    LOG.warn("SPQ epoch {}: skipped {} batches with a non-finite loss or gradient", epoch + 1, skipped);
                }
                if (skipped > Math.max(1, (batches + skipped) / 10)) {
                    throw new OcularException("SPQ training diverged (loss is not finite); PQ is used instead");
                }
                double meanLoss = batches == 0 ? Double.NaN : lossSum / batches;
                if (!Double.isFinite(meanLoss)) {
                    throw new OcularException("SPQ training diverged (loss is not finite); PQ is used instead");
                }
                LOG.info("SPQ epoch {}/{}: loss {}", epoch + 1, cfg.epochs(), meanLoss);
                listener.onEpoch(epoch + 1, cfg.epochs(), meanLoss);
                if (onCheckpoint != null) {
                    onCheckpoint.accept(new Checkpoint(epoch + 1, toModel(inDim, cfg, w1, b1, w2, b2, cb)));
                }
            }
            return toModel(inDim, cfg, w1, b1, w2, b2, cb);
        }
    }

    private record Batch(NDArray viewA, NDArray viewB, NDArray partner, NDArray hasPartner) {
    }

    private static Batch batch(NDManager manager, TrainingSet data, int[] order, int start, int size, Random rnd) {
        int dim = data.dimension();
        float[] a = new float[size * dim];
        float[] b = new float[size * dim];
        float[] p = new float[size * dim];
        float[] has = new float[size];
        for (int r = 0; r < size; r++) {
            int i = order[start + r];
            int views = data.views(i);
            int va = rnd.nextInt(views);
            int vb = views > 1 ? (va + 1 + rnd.nextInt(views - 1)) % views : va;
            System.arraycopy(data.view(i, va), 0, a, r * dim, dim);
            System.arraycopy(data.view(i, vb), 0, b, r * dim, dim);
            int partner = data.cyclePartner(i);
            if (partner >= 0) {
                System.arraycopy(data.view(partner, rnd.nextInt(data.views(partner))), 0, p, r * dim, dim);
                has[r] = 1f;
            }
        }
        return new Batch(manager.create(a, new Shape(size, dim)), manager.create(b, new Shape(size, dim)),
                manager.create(p, new Shape(size, dim)), manager.create(has));
    }

    /** Head output, per-subspace L2-normalised: (B, M, d). */
    static NDArray project(NDArray x, NDArray w1, NDArray b1, NDArray w2, NDArray b2, Config cfg) {
        NDArray h = x.matMul(w1.transpose()).add(b1);
        h = h.maximum(0f);
        NDArray y = h.matMul(w2.transpose()).add(b2);
        y = y.reshape(x.getShape().get(0), cfg.subspaces(), cfg.subDim());
        return y.div(y.norm(new int[]{2}, true).add(1e-8f));
    }

    /** Soft quantisation of projected sub-vectors (B, M, d) with codebooks (M, K, d) → (B, M, d). */
    static NDArray softQuantise(NDArray y, NDArray cb, Config cfg) {
        NDArray c = cb.div(cb.norm(new int[]{2}, true).add(1e-8f));
        NDArray ym = y.transpose(1, 0, 2);                       // (M, B, d)
        NDArray sim = ym.matMul(c.transpose(0, 2, 1));            // (M, B, K)
        NDArray p = sim.div(cfg.softTemperature()).softmax(2);    // soft assignment
        NDArray z = p.matMul(c);                                  // (M, B, d)
        return z.transpose(1, 0, 2);
    }

    private static NDArray flatNormalised(NDArray t) {
        NDArray f = t.reshape(t.getShape().get(0), -1);
        return f.div(f.norm(new int[]{1}, true).add(1e-8f));
    }

    private static NDArray loss(Batch b, NDArray w1, NDArray b1, NDArray w2, NDArray b2, NDArray cb, Config cfg) {
        NDArray ya = project(b.viewA(), w1, b1, w2, b2, cfg);
        NDArray yb = project(b.viewB(), w1, b1, w2, b2, cfg);
        NDArray yp = cfg.cycleWeight() > 0 ? project(b.partner(), w1, b1, w2, b2, cfg) : null;
        return crossQuantisedLoss(ya, yb, yp, b.hasPartner(), cb, cfg);
    }

    /**
     * The cross-quantised contrastive loss of projected views {@code ya}, {@code yb} (B, M, d); with {@code yp}
     * (the cycle partners' projections, or null) the cycle term weighted by λ over the rows where
     * {@code hasPartner} is 1.
     */
    static NDArray crossQuantisedLoss(NDArray ya, NDArray yb, NDArray yp, NDArray hasPartner, NDArray cb,
                                      Config cfg) {
        long size = ya.getShape().get(0);
        NDArray x = NDArrays.concat(new NDList(flatNormalised(ya), flatNormalised(yb)), 0);
        NDArray z = NDArrays.concat(new NDList(flatNormalised(softQuantise(ya, cb, cfg)),
                flatNormalised(softQuantise(yb, cb, cfg))), 0);
        NDArray logits = x.matMul(z.transpose()).div(cfg.contrastTemperature());   // (2B, 2B)
        NDManager m = logits.getManager();
        NDArray selfMask = m.eye((int) (2 * size)).mul(-1e4f);                   // no self-pairs
        logits = logits.add(selfMask);
        NDArray logp = logits.logSoftmax(1);
        NDArray target = targetMask(m, (int) size);
        NDArray loss = logp.mul(target).sum().neg().div(2 * size);
        if (cfg.cycleWeight() > 0 && yp != null) {
            NDArray zp = flatNormalised(softQuantise(yp, cb, cfg));
            NDArray xa = x.get(new NDIndex("0:{}", size));
            NDArray extra = xa.mul(zp).sum(new int[]{1}, true).div(cfg.contrastTemperature());    // (B, 1)
            NDArray rows = NDArrays.concat(new NDList(logits.get(new NDIndex("0:{}", size)), extra), 1);
            NDArray lp = rows.logSoftmax(1).get(new NDIndex(":, -1"));
            NDArray count = hasPartner.sum().maximum(1f);
            loss = loss.add(lp.mul(hasPartner).sum().neg().div(count).mul(cfg.cycleWeight()));
        }
        return loss;
    }

    /** One-hot (2B, 2B): row i's positive is the other view of the same photo. */
    private static NDArray targetMask(NDManager m, int size) {
        float[] t = new float[4 * size * size];
        for (int i = 0; i < 2 * size; i++) {
            int j = i < size ? i + size : i - size;
            t[i * 2 * size + j] = 1f;
        }
        return m.create(t, new Shape(2L * size, 2L * size));
    }

    private NDArray initialCodebooks(NDManager manager, TrainingSet data, NDArray w1, NDArray b1, NDArray w2,
                                     NDArray b2, Config cfg, Random rnd) {
        // Codewords start at the projections of random photos (plus a little noise), a k-means++-free but
        // data-aware start: random Gaussian codewords leave many of them dead.
        int k = cfg.codewords();
        int dim = data.dimension();
        float[] sample = new float[k * dim];
        for (int i = 0; i < k; i++) {
            int idx = rnd.nextInt(data.size());
            System.arraycopy(data.view(idx, 0), 0, sample, i * dim, dim);
        }
        try (NDScope scope = new NDScope()) {
            NDArray y = project(manager.create(sample, new Shape(k, dim)), w1, b1, w2, b2, cfg);   // (K, M, d)
            NDArray c = y.transpose(1, 0, 2);                                                       // (M, K, d)
            NDArray noise = manager.randomNormal(0f, 0.01f, c.getShape(), ai.djl.ndarray.types.DataType.FLOAT32);
            // a fresh contiguous tensor: a transposed view as a parameter breaks PyTorch's gradient layout
            // contract and the in-place Adam step then writes through odd strides
            NDArray out = manager.create(c.add(noise).toFloatArray(), c.getShape());
            NDScope.unregister(out);
            return out;
        }
    }

    private static SpqModel toModel(int inDim, Config cfg, NDArray w1, NDArray b1, NDArray w2, NDArray b2, NDArray cb) {
        return new SpqModel(inDim, cfg.hidden(), cfg.subspaces(), cfg.codewords(), cfg.subDim(),
                w1.toFloatArray(), b1.toFloatArray(), w2.toFloatArray(), b2.toFloatArray(), cb.toFloatArray());
    }

    static float[] gaussian(Random rnd, int n, double std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextGaussian() * std);
        }
        return a;
    }
}
