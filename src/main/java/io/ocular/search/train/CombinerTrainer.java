package io.ocular.search.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.ocular.model.OcularException;
import io.ocular.search.CombinerModel;
import io.ocular.search.ComposedTriplets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Trains CLIP4Cir's Combiner ({@link CombinerModel}; Baldrati et al., CVPRW 2022) with DJL's PyTorch engine
 * on the CPU, over frozen image and text features.
 *
 * <p>Loss as in the paper: batch-based classification. For a batch of B triplets the composed queries are
 * scored against the batch's B (normalised) target images, scaled by 1/temperature (the paper's logit scale
 * 100, τ = 0.01), and the cross entropy picks each triplet's own target; another triplet with the same target
 * image is masked out rather than counted as a negative. Adam; dropout (p = 0.5 in the paper) on the two
 * projections, the combiner layer and inside the dynamic-scalar branch. Like {@link SpqTrainer}, plain tensors
 * with autograd and a hand-written Adam step: twelve weight arrays do not need DJL's Block/Trainer machinery;
 * a batch with a non-finite loss or gradient is skipped, and training that keeps diverging stops with a message.
 */
public final class CombinerTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(CombinerTrainer.class);

    /** Hyper-parameters; {@link #defaults(int)} gives Ocular's. */
    public record Config(int projection, int hidden, int epochs, int batchSize, float learningRate, float temperature,
                         float dropout, long seed) {
        public Config {
            if (projection < 1 || hidden < 1 || epochs < 1 || batchSize < 2 || !(learningRate > 0)
                    || !(temperature > 0) || !(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("invalid combiner training configuration");
            }
        }

        /**
         * For {@code dim}-dimensional features: projections of 2·dim and a hidden width of 4·dim (the paper
         * uses 4·dim and 8·dim with a 640-d encoder on a GPU; half keeps 30,000 triplets trainable on two cores),
         * batch 128, Adam at 1e-3, τ = 0.01, dropout 0.5, 30 epochs.
         */
        public static Config defaults(int dim) {
            return new Config(2 * dim, 4 * dim, 30, 128, 1e-3f, 0.01f, 0.5f, 42);
        }

        public Config withEpochs(int n) {
            return new Config(projection, hidden, n, batchSize, learningRate, temperature, dropout, seed);
        }

        public Config withSizes(int p, int h) {
            return new Config(p, h, epochs, batchSize, learningRate, temperature, dropout, seed);
        }
    }

    /** Progress per epoch; return quickly. */
    @FunctionalInterface
    public interface Listener {
        void onEpoch(int epoch, int epochs, double loss);
    }

    /** The weights after {@code epochsDone} epochs: saved after each epoch so that training can resume. */
    public record Checkpoint(int epochsDone, CombinerModel model) {
    }

    /**
     * Trains a Combiner on the triplets.
     *
     * @throws OcularException       when there are fewer triplets than one batch, or training diverges
     * @throws CancellationException when {@code cancelled} turns true
     */
    public CombinerModel train(ComposedTriplets data, Config cfg, Listener listener, BooleanSupplier cancelled) {
        return train(data, cfg, null, listener, null, cancelled);
    }

    /**
     * Trains a Combiner on the triplets, starting from {@code resume} (its weights, after its epochs; the Adam
     * moments start afresh) when given, and hands {@code checkpoints} the weights after every epoch.
     *
     * @param resume      a checkpoint of the same sizes, or null to start from PyTorch's initialisation
     * @param checkpoints receives the weights after each epoch, or null
     * @throws OcularException       when there are fewer triplets than one batch, or training diverges
     * @throws CancellationException when {@code cancelled} turns true
     */
    public CombinerModel train(ComposedTriplets data, Config cfg, Checkpoint resume, Listener listener,
                               Consumer<Checkpoint> checkpoints, BooleanSupplier cancelled) {
        int n = data.size();
        int batch = Math.min(cfg.batchSize(), n);
        if (n < 8) {
            throw new OcularException("training a combiner needs at least 8 triplets, there are " + n);
        }
        int dim = data.dimension();
        Random rnd = new Random(cfg.seed());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Engine.getEngine("PyTorch").setRandomSeed((int) cfg.seed());
            int[] sizes = CombinerModel.sizes(dim, cfg.projection(), cfg.hidden());
            int[] fanIn = {dim, dim, dim, dim, 2 * cfg.projection(), 2 * cfg.projection(), cfg.hidden(), cfg.hidden(),
                    2 * cfg.projection(), 2 * cfg.projection(), cfg.hidden(), cfg.hidden()};
            List<NDArray> params = new ArrayList<>();
            boolean resuming = resume != null && resume.model().dimension() == dim
                    && resume.model().projection() == cfg.projection() && resume.model().hidden() == cfg.hidden()
                    && resume.epochsDone() > 0 && resume.epochsDone() < cfg.epochs();
            for (int k = 0; k < sizes.length; k++) {
                // PyTorch's nn.Linear initialisation: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases
                float[] init = uniform(rnd, sizes[k], 1 / Math.sqrt(fanIn[k]));
                params.add(manager.create(resuming ? resume.model().weights()[k] : init, shape(k, dim, cfg)));
            }
            List<NDArray> m1 = new ArrayList<>();
            List<NDArray> m2 = new ArrayList<>();
            TensorSteps.prepareAdam(manager, params, m1, m2);
            int[] order = TensorSteps.identity(n);
            int step = 0;
            int first = resuming ? resume.epochsDone() : 0;
            if (resuming) {
                LOG.info("resuming combiner training after epoch {}", first);
            }
            for (int epoch = first; epoch < cfg.epochs(); epoch++) {
                TensorSteps.shuffle(order, rnd);
                double lossSum = 0;
                int batches = 0;
                int skipped = 0;
                for (int start = 0; start + batch <= n; start += batch) {
                    if (cancelled.getAsBoolean()) {
                        throw new CancellationException("combiner training cancelled");
                    }
                    step++;
                    try (NDScope scope = new NDScope()) {
                        NDArray loss;
                        boolean finite;
                        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                            loss = loss(manager, data, order, start, batch, params, cfg);
                            finite = Float.isFinite(loss.getFloat());
                            if (finite) {
                                gc.backward(loss);   // a non-finite loss is never back-propagated
                                finite = TensorSteps.finiteGradients(params);
                            }
                            if (finite) {
                                TensorSteps.adam(params, m1, m2, step, cfg.learningRate());
                            } else {
                                TensorSteps.zeroGradients(params);   // a rare non-finite batch is skipped
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
                if (skipped > Math.max(1, (batches + skipped) / 10) || batches == 0) {
                    throw new OcularException("combiner training diverged (loss is not finite); the weighted sum stays in use");
                }
                if (skipped > 0) {
                    LOG.warn("combiner epoch {}: skipped {} batches with a non-finite loss or gradient", epoch + 1, skipped);
                }
                double meanLoss = lossSum / batches;
                LOG.info("combiner epoch {}/{}: loss {}", epoch + 1, cfg.epochs(), meanLoss);
                listener.onEpoch(epoch + 1, cfg.epochs(), meanLoss);
                if (checkpoints != null && epoch + 1 < cfg.epochs()) {
                    checkpoints.accept(new Checkpoint(epoch + 1, snapshot(params, dim, cfg)));
                }
            }
            return snapshot(params, dim, cfg);
        }
    }

    private static CombinerModel snapshot(List<NDArray> params, int dim, Config cfg) {
        float[][] w = new float[params.size()][];
        for (int k = 0; k < w.length; k++) {
            w[k] = params.get(k).toFloatArray();
        }
        return new CombinerModel(dim, cfg.projection(), cfg.hidden(), w);
    }

    private static Shape shape(int k, int dim, Config cfg) {
        int p = cfg.projection();
        int h = cfg.hidden();
        return switch (k) {
            case 0, 2 -> new Shape(p, dim);
            case 1, 3 -> new Shape(p);
            case 4, 8 -> new Shape(h, 2L * p);
            case 5, 9 -> new Shape(h);
            case 6 -> new Shape(dim, h);
            case 7 -> new Shape(dim);
            case 10 -> new Shape(1, h);
            case 11 -> new Shape(1);
            default -> throw new IllegalArgumentException("no weight " + k);
        };
    }

    private static NDArray loss(NDManager manager, ComposedTriplets data, int[] order, int start, int size,
                                List<NDArray> params, Config cfg) {
        int dim = data.dimension();
        float[] ref = new float[size * dim];
        float[] txt = new float[size * dim];
        float[] tgt = new float[size * dim];
        float[] mask = new float[size * size];
        for (int r = 0; r < size; r++) {
            int i = order[start + r];
            System.arraycopy(data.references()[i], 0, ref, r * dim, dim);
            System.arraycopy(data.texts()[i], 0, txt, r * dim, dim);
            System.arraycopy(data.targets()[i], 0, tgt, r * dim, dim);
            for (int c = 0; c < size; c++) {
                if (c != r && data.targetIds()[order[start + c]] == data.targetIds()[i]) {
                    mask[r * size + c] = -1e4f;   // the same target image is not a negative
                }
            }
        }
        NDArray image = manager.create(ref, new Shape(size, dim));
        NDArray text = manager.create(txt, new Shape(size, dim));
        NDArray target = manager.create(tgt, new Shape(size, dim));
        target = target.div(target.norm(new int[]{1}, true).add(1e-8f));
        NDArray predicted = combine(params, image, text, cfg.dropout());
        NDArray logits = predicted.matMul(target.transpose()).div(cfg.temperature())
                .add(manager.create(mask, new Shape(size, size)));
        NDArray logp = logits.logSoftmax(1);
        return logp.mul(manager.eye(size)).sum().neg().div(size);
    }

    /** The Combiner's forward pass on (B, d) batches; {@code dropout} 0 is inference. */
    static NDArray combine(List<NDArray> p, NDArray image, NDArray text, float dropout) {
        NDArray ti = dropout(linear(text, p.get(0), p.get(1)).maximum(0f), dropout);
        NDArray ii = dropout(linear(image, p.get(2), p.get(3)).maximum(0f), dropout);
        NDArray raw = NDArrays.concat(new NDList(ti, ii), 1);
        NDArray combined = dropout(linear(raw, p.get(4), p.get(5)).maximum(0f), dropout);
        NDArray s = dropout(linear(raw, p.get(8), p.get(9)).maximum(0f), dropout);
        NDArray lambda = linear(s, p.get(10), p.get(11)).getNDArrayInternal().sigmoid();   // (B, 1)
        NDArray out = linear(combined, p.get(6), p.get(7)).add(lambda.mul(text))
                .add(lambda.neg().add(1f).mul(image));
        return out.div(out.norm(new int[]{1}, true).add(1e-8f));
    }

    private static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return x.matMul(w.transpose()).add(b);
    }

    /** Inverted dropout: zero with probability p, scale the rest by 1/(1-p). */
    private static NDArray dropout(NDArray x, float p) {
        if (p <= 0) {
            return x;
        }
        NDArray keep = x.getManager().randomUniform(0f, 1f, x.getShape(), DataType.FLOAT32).gte(p)
                .toType(DataType.FLOAT32, false);
        return x.mul(keep).div(1 - p);
    }

    /**
     * The PyTorch forward pass of a trained model at inference (no dropout), for the equivalence test against
     * {@link CombinerModel#combine}: row i of the result composes {@code images[i]} with {@code texts[i]}.
     */
    static float[][] forward(CombinerModel model, float[][] images, float[][] texts) {
        int n = images.length;
        int dim = model.dimension();
        Config cfg = new Config(model.projection(), model.hidden(), 1, 2, 1e-3f, 0.01f, 0f, 0);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            float[][] w = model.weights();
            List<NDArray> params = new ArrayList<>();
            for (int k = 0; k < w.length; k++) {
                params.add(manager.create(w[k], shape(k, dim, cfg)));
            }
            NDArray out = combine(params, manager.create(flat(images), new Shape(n, dim)),
                    manager.create(flat(texts), new Shape(n, dim)), 0f);
            float[] f = out.toFloatArray();
            float[][] rows = new float[n][dim];
            for (int i = 0; i < n; i++) {
                System.arraycopy(f, i * dim, rows[i], 0, dim);
            }
            return rows;
        }
    }

    private static float[] flat(float[][] rows) {
        int d = rows[0].length;
        float[] f = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, f, i * d, d);
        }
        return f;
    }

    private static float[] uniform(Random rnd, int n, double bound) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        }
        return a;
    }
}
