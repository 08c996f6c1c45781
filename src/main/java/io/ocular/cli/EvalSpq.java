package io.ocular.cli;

import io.ocular.embed.ImageEncoder;
import io.ocular.eval.FeatureCache;
import io.ocular.index.ImageDecoder;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;
import io.ocular.search.IndexPolicy;
import io.ocular.search.SpqModel;
import io.ocular.search.train.CyclePositives;
import io.ocular.search.train.SpqSelfCheck;
import io.ocular.search.train.SpqTrainer;
import io.ocular.search.train.SpqTrainingService;
import io.ocular.search.train.TrainingSet;
import io.ocular.search.train.TrainingSetBuilder;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Trains SPQ for {@code ocular eval --index spq} on the protocol's database photos, without their labels:
 * augmented views of each photo go through the frozen encoder ({@link TrainingSetBuilder}), optionally with
 * cycle-consistent partners across folders ({@link CyclePositives}, folder = "video"), then {@link SpqTrainer}.
 * View features are kept in the {@link FeatureCache} when one is given.
 */
final class EvalSpq {
    /** Seed of the view augmentation (fixed, so cached views are reproducible). */
    static final long VIEW_SEED = 7L;
    private static final int ENCODE_BATCH = 64;

    /**
     * @param bits        code length (subspaces × log2(codewords))
     * @param codewords   codewords per subspace (a power of two, 2..256)
     * @param epochs      training epochs
     * @param views       augmented views per photo (≥ 2)
     * @param cycleWeight λ of the cycle-consistency term (0 = off)
     * @param batchSize   photos per training batch
     * @param seed        training seed (initial weights, batch order, view pairing)
     * @param cycleClose  the album cycle must land on the photo or one of its this many nearest album-mates
     *                    ({@link CyclePositives#findClose}); -1: the looser folder rule ({@link CyclePositives#find})
     * @param learningRate  Adam's learning rate of the head and codebooks
     * @param start         how head and codebooks start ({@link SpqTrainer.Start}; PQ: vector head only)
     * @param selfCheck     hold out the app's share of photos and run the app's self-check (vector head only)
     * @param baseView      the photo's indexed (unaugmented) vector joins its augmented views as one more view
     * @param earlyStop     with selfCheck: keep the epoch (0 = the untrained start) whose codes find the held-out
     *                      photos' other views best (the self-check's measure), not the last
     */
    record Settings(int bits, int codewords, int epochs, int views, float cycleWeight, int batchSize, long seed,
                    int cycleClose, float learningRate, SpqTrainer.Start start, boolean selfCheck, boolean baseView,
                    boolean earlyStop) {
    }

    /** Cycle partners of the training photos by their folders, under the settings' rule. */
    static int[] cyclePartners(List<float[]> features, List<Path> photos, Settings s) {
        float[][] f = features.toArray(new float[0][]);
        int[] groups = folderGroups(photos);
        return s.cycleClose() < 0 ? CyclePositives.find(f, groups) : CyclePositives.findClose(f, groups, s.cycleClose());
    }

    /** What training produced and what it cost. */
    record Result(SpqModel model, int photos, int cyclePartners, boolean viewsCached, double viewsSeconds,
                  double trainSeconds, double trainCpuSeconds, SpqSelfCheck.Result selfCheck,
                  SpqSelfCheck.Result selfCheckApp, int keptEpoch) {
    }

    /**
     * CPU time of the calling thread: training runs PyTorch on this one thread, so on the shared, loaded cores
     * this is the figure that does not depend on the other users (wall time does).
     */
    static long threadCpuNanos() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        return bean.isCurrentThreadCpuTimeSupported() ? bean.getCurrentThreadCpuTime() : 0L;
    }

    private EvalSpq() {
    }

    static SpqTrainer.Config config(Settings s) {
        int k = s.codewords();
        if (k < 2 || k > 256 || Integer.bitCount(k) != 1) {
            throw new OcularException("--codewords must be a power of two from 2 to 256 (got " + k + ").");
        }
        int logK = Integer.numberOfTrailingZeros(k);
        if (s.bits() <= 0 || s.bits() % logK != 0) {
            throw new OcularException("--bits " + s.bits() + " is not a multiple of log2(--codewords " + k + ") = "
                    + logK + ".");
        }
        if (s.epochs() < 1) {
            throw new OcularException("--epochs must be at least 1 (got " + s.epochs() + ").");
        }
        if (s.views() < 2) {
            throw new OcularException("--views must be at least 2: SPQ contrasts two views of each photo.");
        }
        if (s.batchSize() < 4) {
            throw new OcularException("--spq-batch must be at least 4 (got " + s.batchSize() + ").");
        }
        if (s.cycleClose() < -1) {
            throw new OcularException("--cycle-close must be -1 (folder rule), 0 or more (got " + s.cycleClose() + ").");
        }
        if (!(s.cycleWeight() >= 0) || !Float.isFinite(s.cycleWeight())) {
            throw new OcularException("--cycle-weight must be 0 or positive.");
        }
        SpqTrainer.Config d = SpqTrainer.Config.forBits(8, s.epochs());
        if (!(s.learningRate() >= 0) || !Float.isFinite(s.learningRate())) {
            throw new OcularException("--spq-lr must be 0 or positive (got " + s.learningRate() + ").");
        }
        return new SpqTrainer.Config(s.bits() / logK, k, d.subDim(), d.hidden(), s.epochs(), s.batchSize(),
                s.learningRate(), d.softTemperature(), d.contrastTemperature(), s.cycleWeight(), s.seed());
    }

    /**
     * @param photos   the database photos
     * @param features their encoder features (null where the indexer skipped the photo), aligned with photos
     * @param cache    where view features are kept, or null
     */
    static Result train(List<Path> photos, float[][] features, ImageEncoder encoder, ModelInfo model,
                        FeatureCache cache, Settings s, PrintWriter err, BooleanSupplier cancelled) {
        SpqTrainer.Config cfg = config(s);
        List<Path> usable = new ArrayList<>();
        List<float[]> usableFeatures = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            if (features[i] != null) {
                usable.add(photos.get(i));
                usableFeatures.add(features[i]);
            }
        }
        checkEnough(usable.size(), cfg, s.start());

        long t0 = System.nanoTime();
        int viewSize = encoder.preferredShortSide();
        String key = FeatureCache.key("views", model.id(), model.sha256(), usable,
                "views=" + s.views() + ";size=" + viewSize + ";seed=" + VIEW_SEED);
        float[][][] views = cache == null ? null : cache.load(key).orElse(null);
        boolean cached = views != null && views.length == usable.size();
        if (!cached) {
            err.println("Embedding " + s.views() + " augmented views of " + usable.size() + " photos for SPQ training...");
            err.flush();
            ImageDecoder decoder = new ImageDecoder();
            TrainingSetBuilder builder = new TrainingSetBuilder(encoder,
                    p -> decoder.decode(p, viewSize).image(), viewSize, s.views(), ENCODE_BATCH);
            int step = Math.max(1, usable.size() / 10);
            TrainingSetBuilder.Result built = builder.build(usable, VIEW_SEED, (done, total) -> {
                if (done % step == 0 || done == total) {
                    err.println("  views: " + done + "/" + total);
                    err.flush();
                }
            }, cancelled);
            views = new float[usable.size()][][];
            int[] kept = built.keptIndices();
            for (int j = 0; j < kept.length; j++) {
                views[kept[j]] = built.set().features()[j];
            }
            if (cache != null) {
                cache.save(key, views);
            }
        }
        double viewsSeconds = (System.nanoTime() - t0) / 1e9;

        List<float[][]> trainViews = new ArrayList<>();
        List<float[]> trainBase = new ArrayList<>();
        List<Path> trainPhotos = new ArrayList<>();
        for (int i = 0; i < usable.size(); i++) {
            if (views[i] != null) {
                trainViews.add(s.baseView() ? withBase(views[i], usableFeatures.get(i)) : views[i]);
                trainBase.add(usableFeatures.get(i));
                trainPhotos.add(usable.get(i));
            }
        }
        checkEnough(trainViews.size(), cfg, s.start());
        TrainingSet set = TrainingSet.withoutCycles(trainViews.toArray(new float[0][][]));
        int partners = 0;
        if (s.cycleWeight() > 0) {
            int[] cycle = cyclePartners(trainBase, trainPhotos, s);
            for (int p : cycle) {
                if (p >= 0) {
                    partners++;
                }
            }
            err.println("Cycle-consistent partners across folders: " + partners + " of " + cycle.length + " photos.");
            set = set.withCyclePartners(cycle);
        }
        if (s.start() == SpqTrainer.Start.PQ) {
            cfg = SpqTrainer.pqStartConfig(cfg, set.dimension());
        }
        TrainingSet heldOut = null;
        if (s.selfCheck()) {
            TrainingSet[] split = SpqTrainingService.holdOut(set, cfg, SpqTrainer.minimumPhotos(cfg, s.start()));
            if (split[1] == null) {
                throw new OcularException("--self-check: too few photos to hold some out and still train SPQ.");
            }
            set = split[0];
            heldOut = split[1];
            err.println("Self-check: " + heldOut.size() + " photos held out of training, as the app does.");
        }
        long t1 = System.nanoTime();
        long cpu0 = threadCpuNanos();
        EarlyStop stop = null;
        if (s.earlyStop()) {
            if (heldOut == null) {
                throw new OcularException("--spq-early-stop needs --self-check (it selects on the held-out photos).");
            }
            stop = new EarlyStop(heldOut);
            SpqTrainer.Config still = new SpqTrainer.Config(cfg.subspaces(), cfg.codewords(), cfg.subDim(), cfg.hidden(),
                    1, cfg.batchSize(), 0f, cfg.softTemperature(), cfg.contrastTemperature(), cfg.cycleWeight(),
                    cfg.seed());
            stop.offer(0, new SpqTrainer(s.start()).train(set, still, null, (e, n, l) -> { }, null, cancelled));
        }
        EarlyStop watch = stop;
        SpqModel trained = new SpqTrainer(s.start()).train(set, cfg, null, (epoch, epochs, loss) -> {
            err.printf(Locale.ROOT, "  SPQ epoch %d/%d: loss %.4f%n", epoch, epochs, loss);
            err.flush();
        }, watch == null ? null : c -> watch.offer(c.epochsDone(), c.model()), cancelled);
        int keptEpoch = cfg.epochs();
        if (stop != null) {
            trained = stop.best;
            keptEpoch = stop.bestEpoch;
            err.printf(Locale.ROOT, "Early stop: epoch %d kept (held-out MRR %.3f).%n", keptEpoch, stop.bestScore);
        }
        double trainSeconds = (System.nanoTime() - t1) / 1e9;
        double trainCpu = (threadCpuNanos() - cpu0) / 1e9;
        SpqSelfCheck.Result check = null;
        SpqSelfCheck.Result checkApp = null;
        if (heldOut != null) {
            check = SpqSelfCheck.run(set, heldOut, trained, SpqSelfCheck.DEFAULT_MARGIN, cfg.seed());
            err.println("Against PQ of " + trained.bits() + " bits: " + check.summary());
            int appBits = Math.max(s.bits(), IndexPolicy.bits(set.dimension()));
            checkApp = SpqSelfCheck.run(set, heldOut, trained, SpqSelfCheck.DEFAULT_MARGIN, cfg.seed(), appBits);
            err.println("Against the app's PQ of " + appBits + " bits: " + checkApp.summary());
        }
        return new Result(trained, set.size(), partners, cached, viewsSeconds, trainSeconds, trainCpu, check, checkApp,
                keptEpoch);
    }

    /** The model of the epoch whose codes score best on the held-out photos (ties: the earlier epoch). */
    private static final class EarlyStop {
        private final TrainingSet heldOut;
        private SpqModel best;
        private int bestEpoch = -1;
        private double bestScore = Double.NEGATIVE_INFINITY;

        EarlyStop(TrainingSet heldOut) {
            this.heldOut = heldOut;
        }

        void offer(int epoch, SpqModel model) {
            double score = SpqSelfCheck.meanReciprocalRank(model, heldOut);
            if (score > bestScore) {
                bestScore = score;
                best = model;
                bestEpoch = epoch;
            }
        }
    }

    /** The photo's augmented views and its indexed vector as one more view. */
    private static float[][] withBase(float[][] views, float[] base) {
        float[][] out = Arrays.copyOf(views, views.length + 1);
        out[views.length] = base;
        return out;
    }

    /** The parent folder of each photo as its "video" id. */
    static int[] folderGroups(List<Path> photos) {
        Map<Path, Integer> ids = new HashMap<>();
        int[] groups = new int[photos.size()];
        for (int i = 0; i < groups.length; i++) {
            Path parent = photos.get(i).getParent();
            groups[i] = ids.computeIfAbsent(parent, p -> ids.size());
        }
        return groups;
    }

    static void checkEnough(int photos, SpqTrainer.Config cfg) {
        checkEnough(photos, cfg, SpqTrainer.Start.RANDOM);
    }

    static void checkEnough(int photos, SpqTrainer.Config cfg, SpqTrainer.Start start) {
        int minimum = SpqTrainer.minimumPhotos(cfg, start);
        if (photos < minimum) {
            throw new OcularException("SPQ cannot be trained on this dataset: it needs at least " + minimum
                    + " database photos (" + cfg.codewords() + " codewords per subspace, batches of " + cfg.batchSize()
                    + ") and has " + photos + ". Use --index pq or opq, or lower --codewords / --spq-batch.");
        }
    }
}
