package io.ocular.search.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.ocular.model.OcularException;
import io.ocular.search.MapPooling;
import io.ocular.search.SpqModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * SPQ with the map head: learns, jointly with the head and the codebooks of {@link SpqTrainer}, how to pool the
 * encoder's spatial feature map ({@link MapPooling}: cell attention and a GeM exponent), with the same
 * cross-quantised contrastive loss (and optional cycle term). Each step draws two of the photo's cached view
 * maps ({@link MapTrainingSet}); the encoder itself stays frozen (training MobileNetV2 on 2 CPU cores is out
 * of reach), so the views are computed once and their pairings are fresh every epoch.
 *
 * <p>The pooling exponent and attention learn ten times faster than the head (Adam, lr × 10): they are
 * {@code 1 + channels} numbers whose useful range (p from 1 to ~6) is far from the head's weight scale.
 */
public final class SpqMapTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SpqMapTrainer.class);
    /** GeM's usual start (Radenović et al.): between average (1) and max pooling. */
    static final float INITIAL_P = 3f;
    private static final float POOLING_LR_FACTOR = 10f;

    /**
     * Trains from scratch, or continues from {@code resumeFrom} (a map-head model; Adam's moments restart).
     *
     * @throws OcularException when the collection is too small
     * @throws CancellationException when {@code cancelled} turns true
     */
    public SpqModel train(MapTrainingSet data, SpqTrainer.Config cfg, SpqTrainer.Checkpoint resumeFrom,
                          SpqTrainer.Listener listener, Consumer<SpqTrainer.Checkpoint> onCheckpoint,
                          BooleanSupplier cancelled) {
        int n = data.size();
        int minimum = SpqTrainer.minimumPhotos(cfg);
        if (n < minimum) {
            throw new OcularException("SPQ needs at least " + minimum + " photos to learn " + cfg.codewords()
                    + " codewords; the collection has " + n + " (plain PQ is used instead)");
        }
        int ch = data.channels();
        int outDim = cfg.subspaces() * cfg.subDim();
        Random rnd = new Random(cfg.seed());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Engine.getEngine("PyTorch").setRandomSeed((int) cfg.seed());
            TensorSteps.singleThreaded();
            Params w;
            int startEpoch = 0;
            if (resumeFrom != null) {
                SpqModel m = resumeFrom.model();
                if (m.pooling() == null || m.inputDim() != ch || m.subspaces() != cfg.subspaces()
                        || m.codewords() != cfg.codewords() || m.subDim() != cfg.subDim()) {
                    throw new OcularException("the saved SPQ training state does not match this configuration; restarting is needed");
                }
                w = Params.of(manager, m, cfg);
                startEpoch = resumeFrom.epochsDone();
            } else {
                NDArray p = manager.create(new float[]{INITIAL_P});
                NDArray att = manager.zeros(new Shape(ch));
                NDArray w1 = manager.create(SpqTrainer.gaussian(rnd, cfg.hidden() * ch, Math.sqrt(2.0 / ch)),
                        new Shape(cfg.hidden(), ch));
                NDArray b1 = manager.zeros(new Shape(cfg.hidden()));
                NDArray w2 = manager.create(SpqTrainer.gaussian(rnd, outDim * cfg.hidden(), Math.sqrt(1.0 / cfg.hidden())),
                        new Shape(outDim, cfg.hidden()));
                NDArray b2 = manager.zeros(new Shape(outDim));
                w = new Params(p, att, w1, b1, w2, b2, null);
                w = w.withCodebooks(initialCodebooks(manager, data, w, cfg, rnd));
            }
            List<NDArray> head = List.of(w.w1, w.b1, w.w2, w.b2, w.cb);
            List<NDArray> pool = List.of(w.p, w.att);
            List<NDArray> hm1 = new ArrayList<>();
            List<NDArray> hm2 = new ArrayList<>();
            List<NDArray> pm1 = new ArrayList<>();
            List<NDArray> pm2 = new ArrayList<>();
            TensorSteps.prepareAdam(manager, head, hm1, hm2);
            TensorSteps.prepareAdam(manager, pool, pm1, pm2);
            List<NDArray> all = List.of(w.p, w.att, w.w1, w.b1, w.w2, w.b2, w.cb);
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
                        NDArray[] b = batch(manager, data, order, start, cfg.batchSize(), rnd);
                        NDArray loss;
                        boolean finite;
                        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                            NDArray ya = forward(b[0], w, cfg);
                            NDArray yb = forward(b[1], w, cfg);
                            NDArray yp = cfg.cycleWeight() > 0 ? forward(b[2], w, cfg) : null;
                            loss = SpqTrainer.crossQuantisedLoss(ya, yb, yp, b[3], w.cb, cfg);
                            finite = Float.isFinite(loss.getFloat());
                            if (finite) {
                                gc.backward(loss);
                                finite = TensorSteps.finiteGradients(all);
                            }
                            if (finite) {
                                TensorSteps.adam(head, hm1, hm2, step, cfg.learningRate());
                                TensorSteps.adam(pool, pm1, pm2, step, cfg.learningRate() * POOLING_LR_FACTOR);
                            } else {
                                TensorSteps.zeroGradients(all);
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
                    throw new OcularException("SPQ training diverged (loss is not finite); PQ is used instead");
                }
                double meanLoss = lossSum / batches;
                LOG.info("SPQ map head epoch {}/{}: loss {}, p {}", epoch + 1, cfg.epochs(), meanLoss,
                        w.p.getFloat(0));
                listener.onEpoch(epoch + 1, cfg.epochs(), meanLoss);
                if (onCheckpoint != null) {
                    onCheckpoint.accept(new SpqTrainer.Checkpoint(epoch + 1, w.toModel(ch, cfg)));
                }
            }
            return w.toModel(ch, cfg);
        }
    }

    /** The parameters as tensors (pooling exponent, attention, head, codebooks). */
    record Params(NDArray p, NDArray att, NDArray w1, NDArray b1, NDArray w2, NDArray b2, NDArray cb) {
        static Params of(NDManager manager, SpqModel m, SpqTrainer.Config cfg) {
            float[][] q = m.weights();
            int ch = m.inputDim();
            int outDim = cfg.subspaces() * cfg.subDim();
            return new Params(manager.create(new float[]{m.pooling().p()}),
                    manager.create(m.pooling().attention(), new Shape(ch)),
                    manager.create(q[0], new Shape(cfg.hidden(), ch)), manager.create(q[1], new Shape(cfg.hidden())),
                    manager.create(q[2], new Shape(outDim, cfg.hidden())), manager.create(q[3], new Shape(outDim)),
                    manager.create(q[4], new Shape(cfg.subspaces(), cfg.codewords(), cfg.subDim())));
        }

        Params withCodebooks(NDArray codebooks) {
            return new Params(p, att, w1, b1, w2, b2, codebooks);
        }

        SpqModel toModel(int channels, SpqTrainer.Config cfg) {
            return new SpqModel(channels, cfg.hidden(), cfg.subspaces(), cfg.codewords(), cfg.subDim(),
                    w1.toFloatArray(), b1.toFloatArray(), w2.toFloatArray(), b2.toFloatArray(), cb.toFloatArray(),
                    new MapPooling(channels, p.getFloat(0), att.toFloatArray()));
        }
    }

    /** Maps (B, C, N) → learned pooling (B, C), L2-normalised: the PyTorch twin of {@link MapPooling#pool}. */
    static NDArray pool(NDArray maps, NDArray p, NDArray att) {
        Shape s = maps.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long cells = s.get(2);
        NDArray logits = maps.transpose(0, 2, 1).matMul(att.reshape(c, 1)).reshape(b, cells);   // (B, N)
        NDArray alpha = logits.softmax(1).reshape(b, cells, 1);
        NDArray pe = p.maximum(1f);
        NDArray powered = maps.maximum(MapPooling.EPSILON).log().mul(pe).exp();                 // (B, C, N)
        NDArray g = powered.matMul(alpha).reshape(b, c).log().div(pe).exp();
        return g.div(g.norm(new int[]{1}, true).add(1e-12f));
    }

    private static NDArray forward(NDArray maps, Params w, SpqTrainer.Config cfg) {
        return SpqTrainer.project(pool(maps, w.p, w.att), w.w1, w.b1, w.w2, w.b2, cfg);
    }

    /**
     * The PyTorch forward of a trained map head on one map (pooling, then the head, per-subspace normalised), for
     * the equivalence test against {@link SpqModel#project}({@link SpqModel#poolMap}).
     */
    static float[] torchForward(SpqModel model, SpqTrainer.Config cfg, float[] map, int cells) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Params w = Params.of(manager, model, cfg);
            NDArray x = manager.create(map, new Shape(1, model.inputDim(), cells));
            return forward(x, w, cfg).toFloatArray();
        }
    }

    /** Two views of each photo of the batch, the cycle partner's view, and whether there is one. */
    private static NDArray[] batch(NDManager manager, MapTrainingSet data, int[] order, int start, int size,
                                   Random rnd) {
        int len = data.channels() * data.cells();
        float[] a = new float[size * len];
        float[] b = new float[size * len];
        boolean cycles = false;
        float[] has = new float[size];
        int[] partners = new int[size];
        for (int r = 0; r < size; r++) {
            int i = order[start + r];
            int views = data.views(i);
            int va = rnd.nextInt(views);
            int vb = views > 1 ? (va + 1 + rnd.nextInt(views - 1)) % views : va;
            dequantise(data.maps()[i][va], a, r * len);
            dequantise(data.maps()[i][vb], b, r * len);
            partners[r] = data.cyclePartners()[i];
            if (partners[r] >= 0) {
                has[r] = 1f;
                cycles = true;
            }
        }
        float[] p = new float[cycles ? size * len : len];
        if (cycles) {
            for (int r = 0; r < size; r++) {
                if (partners[r] >= 0) {
                    byte[][] pv = data.maps()[partners[r]];
                    dequantise(pv[rnd.nextInt(pv.length)], p, r * len);
                }
            }
        }
        Shape shape = new Shape(size, data.channels(), data.cells());
        return new NDArray[]{manager.create(a, shape), manager.create(b, shape),
                manager.create(p, cycles ? shape : new Shape(1, data.channels(), data.cells())), manager.create(has)};
    }

    private static void dequantise(byte[] q, float[] out, int off) {
        float scale = MapPooling.RELU6_MAX / 255f;
        for (int i = 0; i < q.length; i++) {
            out[off + i] = (q[i] & 0xFF) * scale;
        }
    }

    private static NDArray initialCodebooks(NDManager manager, MapTrainingSet data, Params w, SpqTrainer.Config cfg,
                                            Random rnd) {
        int k = cfg.codewords();
        int len = data.channels() * data.cells();
        float[] sample = new float[k * len];
        for (int i = 0; i < k; i++) {
            dequantise(data.maps()[rnd.nextInt(data.size())][0], sample, i * len);
        }
        try (NDScope scope = new NDScope()) {
            NDArray y = forward(manager.create(sample, new Shape(k, data.channels(), data.cells())), w, cfg);
            NDArray c = y.transpose(1, 0, 2);                                                       // (M, K, d)
            NDArray noise = manager.randomNormal(0f, 0.01f, c.getShape(), DataType.FLOAT32);
            NDArray out = manager.create(c.add(noise).toFloatArray(), c.getShape());   // contiguous (see SpqTrainer)
            NDScope.unregister(out);
            return out;
        }
    }
}
