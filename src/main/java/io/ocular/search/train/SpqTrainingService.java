package io.ocular.search.train;

import io.ocular.model.OcularException;
import io.ocular.search.SpqModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs SPQ training in the background, one job at a time, with progress, cancel and resume.
 *
 * <p>State lives in a folder of its own: after every epoch the weights are checkpointed atomically
 * ({@code checkpoint.bin} + {@code checkpoint.epochs}), so a shutdown, crash or cancel loses at most one epoch
 * and the next {@link #start} continues from there; a corrupt checkpoint is discarded and training restarts.
 * The finished model is written to {@code spq.bin}. When the collection is too small the job ends in
 * {@link State#FELL_BACK_TO_PQ} with the reason, and search keeps using plain PQ.
 *
 * <p>Self-check: a tenth of the photos (at least {@value #MIN_HELD_OUT}) is held out of training; once trained,
 * {@link SpqSelfCheck} compares SPQ's codes with PQ codes of the same length on them, and the verdict is kept
 * ({@code selfcheck.properties}). {@link #preferredModel} hands out the model only when SPQ won: the live
 * engine (compact codes) uses SPQ then, and PQ otherwise.
 *
 * <p>The engine's {@code SpqCodes} runs it for the active model ({@code ocular train spq}, the window's indexing
 * panel) and the live index asks {@link #preferredModel(Path)} at open whether to code with SPQ ({@code eval --index
 * spq} trains in the foreground through {@code EvalSpq}).
 */
public final class SpqTrainingService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpqTrainingService.class);

    public enum State { IDLE, PREPARING, TRAINING, SELF_CHECK, DONE, CANCELLED, FELL_BACK_TO_PQ, FAILED }

    /** Share of the photos held out of training for the self-check, and the fewest held out. */
    static final double HELD_OUT_SHARE = 0.1;
    static final int MIN_HELD_OUT = 40;
    private static final String VERDICT_FILE = "selfcheck.properties";

    /** What the UI and CLI show. */
    public record Status(State state, int epoch, int epochs, double loss, String message) {
    }

    private final Path dir;
    private final SpqTrainer trainer;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ocular-spq-training");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    });
    private final AtomicBoolean cancel = new AtomicBoolean();
    private final AtomicReference<Status> status = new AtomicReference<>(new Status(State.IDLE, 0, 0, Double.NaN, null));
    private Future<?> running;

    public SpqTrainingService(Path dir, SpqTrainer trainer) {
        this.dir = dir;
        this.trainer = trainer;
    }

    public Status status() {
        return status.get();
    }

    /** The finished model, if one was trained. */
    public Optional<SpqModel> trainedModel() {
        return trainedModel(dir);
    }

    /** The finished model kept in {@code dir}, if one was trained and its file is intact. */
    public static Optional<SpqModel> trainedModel(Path dir) {
        Path f = modelFile(dir);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(SpqModel.load(f));
        } catch (IOException | OcularException e) {
            LOG.warn("discarding unreadable SPQ model {}: {}", f, e.getMessage());
            return Optional.empty();
        }
    }

    /** The trained model, only when its self-check beat PQ on held-out views of the user's photos. */
    public Optional<SpqModel> preferredModel() {
        return preferredModel(dir);
    }

    /** {@link #preferredModel()} of the training state kept in {@code dir}. */
    public static Optional<SpqModel> preferredModel(Path dir) {
        return selfCheck(dir).filter(SpqSelfCheck.Result::spqWins).flatMap(r -> trainedModel(dir));
    }

    /** The file of the finished model in {@code dir}. */
    public static Path modelFile(Path dir) {
        return dir.resolve("spq.bin");
    }

    /** The verdict of the last finished training, if there is one. */
    public Optional<SpqSelfCheck.Result> selfCheck() {
        return selfCheck(dir);
    }

    /** The verdict kept in {@code dir}, if there is one (and a model beside it). */
    public static Optional<SpqSelfCheck.Result> selfCheck(Path dir) {
        Path f = dir.resolve(VERDICT_FILE);
        if (!Files.exists(f) || !Files.exists(dir.resolve("spq.bin"))) {
            return Optional.empty();
        }
        try (Reader r = Files.newBufferedReader(f)) {
            Properties p = new Properties();
            p.load(r);
            return Optional.of(new SpqSelfCheck.Result(Double.parseDouble(p.getProperty("spq")),
                    Double.parseDouble(p.getProperty("pq")), Integer.parseInt(p.getProperty("heldOut")),
                    Boolean.parseBoolean(p.getProperty("spqWins"))));
        } catch (IOException | RuntimeException e) {
            LOG.warn("discarding unreadable SPQ self-check {}: {}", f, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Starts (or resumes) training in the background. {@code data} is called on the training thread, so the
     * costly view extraction happens there too.
     */
    public synchronized void start(Supplier<TrainingSet> data, SpqTrainer.Config cfg, Consumer<Status> listener) {
        start(data, cfg, 0, listener);
    }

    /**
     * As {@link #start(Supplier, SpqTrainer.Config, Consumer)}, the self-check comparing with PQ codes of
     * {@code pqBits} bits (0: SPQ's own length), e.g. the length of the PQ codes the live index would otherwise use.
     */
    public synchronized void start(Supplier<TrainingSet> data, SpqTrainer.Config cfg, int pqBits,
                                   Consumer<Status> listener) {
        if (running != null && !running.isDone()) {
            throw new OcularException("SPQ training is already running");
        }
        cancel.set(false);
        running = executor.submit(() -> run(data, cfg, pqBits, listener));
    }

    public void cancel() {
        cancel.set(true);
    }

    /** Waits for the current job (tests, CLI). */
    public void await() throws InterruptedException {
        Future<?> f;
        synchronized (this) {
            f = running;
        }
        if (f == null) {
            return;
        }
        try {
            f.get();
        } catch (ExecutionException e) {
            LOG.debug("SPQ job ended with an exception", e);
        }
    }

    private void run(Supplier<TrainingSet> data, SpqTrainer.Config cfg, int pqBits, Consumer<Status> listener) {
        try {
            Files.createDirectories(dir);
            publish(new Status(State.PREPARING, 0, cfg.epochs(), Double.NaN, "embedding augmented views"), listener);
            TrainingSet all = data.get();
            TrainingSet[] split = holdOut(all, cfg);
            SpqTrainer.Checkpoint resume = loadCheckpoint(cfg);
            SpqModel model = trainer.train(split[0], cfg, resume,
                    (epoch, epochs, loss) -> publish(new Status(State.TRAINING, epoch, epochs, loss, null), listener),
                    this::saveCheckpoint, cancel::get);
            String verdict;
            Files.deleteIfExists(dir.resolve(VERDICT_FILE));
            model.save(dir.resolve("spq.bin"));
            if (split[1] != null) {
                publish(new Status(State.SELF_CHECK, cfg.epochs(), cfg.epochs(), Double.NaN,
                        "comparing SPQ with PQ on " + split[1].size() + " held-out photos"), listener);
                SpqSelfCheck.Result check = SpqSelfCheck.run(split[0], split[1], model, SpqSelfCheck.DEFAULT_MARGIN,
                        cfg.seed(), pqBits > 0 ? pqBits : model.bits());
                saveVerdict(check);
                verdict = check.summary();
            } else {
                verdict = "too few photos to hold some out for a self-check: PQ is kept";
            }
            Files.deleteIfExists(dir.resolve("checkpoint.bin"));
            Files.deleteIfExists(dir.resolve("checkpoint.epochs"));
            publish(new Status(State.DONE, cfg.epochs(), cfg.epochs(), Double.NaN, "trained " + model.bits()
                    + "-bit SPQ codes; " + verdict), listener);
        } catch (CancellationException e) {
            publish(new Status(State.CANCELLED, 0, cfg.epochs(), Double.NaN, "cancelled; the next start resumes from the last finished epoch"), listener);
        } catch (OcularException e) {
            State s = e.getMessage() != null && e.getMessage().contains("PQ") ? State.FELL_BACK_TO_PQ : State.FAILED;
            publish(new Status(s, 0, cfg.epochs(), Double.NaN, e.getMessage()), listener);
        } catch (IOException | RuntimeException e) {
            LOG.warn("SPQ training failed", e);
            publish(new Status(State.FAILED, 0, cfg.epochs(), Double.NaN, "SPQ training failed: " + e.getMessage()), listener);
        }
    }

    /**
     * {training, held-out}: every photo whose seeded hash falls in the first {@link #HELD_OUT_SHARE} is held out
     * (the same photos on a resumed run); held-out null when the rest would be too few to train.
     */
    static TrainingSet[] holdOut(TrainingSet all, SpqTrainer.Config cfg) {
        return holdOut(all, cfg, SpqTrainer.minimumPhotos(cfg));
    }

    /**
     * As {@link #holdOut(TrainingSet, SpqTrainer.Config)} with the fewest training photos given ({@code ocular eval
     * --self-check} with the PQ start, which needs fewer): the app's split, for the eval to run the app's check.
     */
    public static TrainingSet[] holdOut(TrainingSet all, SpqTrainer.Config cfg, int minimumTraining) {
        int n = all.size();
        int held = Math.max(MIN_HELD_OUT, (int) Math.round(n * HELD_OUT_SHARE));
        if (n - held < minimumTraining) {
            return new TrainingSet[]{all, null};
        }
        int[] order = TensorSteps.identity(n);
        TensorSteps.shuffle(order, new Random(cfg.seed() ^ 0x5E1FC4ECL));
        boolean[] out = new boolean[n];
        for (int i = 0; i < held; i++) {
            out[order[i]] = true;
        }
        List<float[][]> train = new ArrayList<>();
        List<float[][]> test = new ArrayList<>();
        List<Integer> trainIndex = new ArrayList<>();
        int[] newIndex = new int[n];
        for (int i = 0; i < n; i++) {
            if (out[i]) {
                if (all.views(i) >= 2) {
                    test.add(all.features()[i]);
                }
            } else {
                newIndex[i] = train.size();
                train.add(all.features()[i]);
                trainIndex.add(i);
            }
        }
        int[] partners = new int[train.size()];
        for (int t = 0; t < partners.length; t++) {
            int p = all.cyclePartner(trainIndex.get(t));
            partners[t] = p >= 0 && !out[p] ? newIndex[p] : -1;
        }
        TrainingSet trainSet = new TrainingSet(train.toArray(new float[0][][]), partners);
        return new TrainingSet[]{trainSet, test.size() < 2 ? null : TrainingSet.withoutCycles(test.toArray(new float[0][][]))};
    }

    private void saveVerdict(SpqSelfCheck.Result r) throws IOException {
        Properties p = new Properties();
        p.setProperty("spq", Double.toString(r.spqScore()));
        p.setProperty("pq", Double.toString(r.pqScore()));
        p.setProperty("heldOut", Integer.toString(r.heldOut()));
        p.setProperty("spqWins", Boolean.toString(r.spqWins()));
        Path tmp = dir.resolve(VERDICT_FILE + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "SPQ self-check: mean reciprocal rank of another view among held-out photos");
        }
        Files.move(tmp, dir.resolve(VERDICT_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void publish(Status s, Consumer<Status> listener) {
        status.set(s);
        if (listener != null) {
            listener.accept(s);
        }
    }

    private void saveCheckpoint(SpqTrainer.Checkpoint c) {
        try {
            c.model().save(dir.resolve("checkpoint.bin"));
            Path tmp = dir.resolve("checkpoint.epochs.tmp");
            Files.writeString(tmp, Integer.toString(c.epochsDone()));
            Files.move(tmp, dir.resolve("checkpoint.epochs"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("could not checkpoint SPQ training: {}", e.getMessage());
        }
    }

    private SpqTrainer.Checkpoint loadCheckpoint(SpqTrainer.Config cfg) {
        Path model = dir.resolve("checkpoint.bin");
        Path epochs = dir.resolve("checkpoint.epochs");
        if (!Files.exists(model) || !Files.exists(epochs)) {
            return null;
        }
        try {
            SpqModel m = SpqModel.load(model);
            int done = Integer.parseInt(Files.readString(epochs).trim());
            if (m.subspaces() != cfg.subspaces() || m.codewords() != cfg.codewords() || m.subDim() != cfg.subDim()
                    || done >= cfg.epochs() || done < 1) {
                return null;
            }
            LOG.info("resuming SPQ training after epoch {}", done);
            return new SpqTrainer.Checkpoint(done, m);
        } catch (IOException | RuntimeException e) {
            LOG.warn("discarding unusable SPQ checkpoint: {}", e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        cancel.set(true);
        executor.shutdown();
    }
}
