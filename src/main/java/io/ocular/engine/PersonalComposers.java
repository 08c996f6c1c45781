package io.ocular.engine;

import io.ocular.embed.TextEncoder;
import io.ocular.model.ComposeMark;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;
import io.ocular.search.CombinerComposer;
import io.ocular.search.CombinerModel;
import io.ocular.search.ComposedTriplets;
import io.ocular.search.QueryComposer;
import io.ocular.search.SwitchableComposer;
import io.ocular.search.VectorIndex;
import io.ocular.search.WeightedSumComposer;
import io.ocular.search.train.CombinerTrainer;
import io.ocular.search.train.PersonalCombiner;
import io.ocular.store.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * The composers of the data folder's image spaces and the personal Combiner's background training (issue 19,
 * decision 0160). Each model's composed searches go through one {@link SwitchableComposer}: the personal Combiner
 * ({@code composers/MODEL.personal.combiner}) when one was trained and beat the sum, else an imported one
 * ({@code composers/MODEL.combiner}, from {@code ocular train combiner}), else the weighted sum.
 *
 * <p>Training runs on one low-priority daemon thread, once the active model has {@link Options#minimum} good-match
 * marks and again whenever they have grown by half since the last attempt. After every epoch the weights are
 * checkpointed ({@code MODEL.personal.checkpoint} + {@code .epochs}, atomically), so a shutdown or crash loses at
 * most one epoch and the next attempt on the same marks resumes there. The finished model is saved atomically with a
 * checksum and switched on only when it beats the sum on held-out triplets ({@link PersonalCombiner}).
 */
public final class PersonalComposers implements ComposeLearning, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersonalComposers.class);
    /** Setting per model: the held-out comparison of the last training. */
    static final String RESULT_KEY = "compose.personal.result.";
    /** Setting per model: the number of good-match marks at the last attempt (or reset). */
    static final String ATTEMPT_KEY = "compose.personal.attempt.";

    /** What the engine's searches and the job need of the active model. */
    interface Target {
        ModelInfo model();

        Optional<TextEncoder> textEncoder();

        VectorIndex index();
    }

    /**
     * @param minimum good-match marks before a first training ({@link PersonalCombiner#MIN_TRIPLETS})
     * @param config  the training configuration for a dimension
     */
    public record Options(int minimum, IntFunction<CombinerTrainer.Config> config) {
        public static Options defaults() {
            return new Options(PersonalCombiner.MIN_TRIPLETS, PersonalCombiner::config);
        }
    }

    private record Current(QueryComposer composer, Active kind) {
    }

    private final Catalog catalog;
    private final Path dataDir;
    private final Options options;
    private final Map<String, SwitchableComposer> composers = new ConcurrentHashMap<>();
    private final Map<String, Active> kinds = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ocular-combiner-training");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    });
    private final AtomicBoolean cancel = new AtomicBoolean();
    private volatile Target target;
    private volatile boolean training;
    private volatile int epoch;
    private volatile int epochs;
    private volatile String lastOutcome;
    private Future<?> running;

    public PersonalComposers(Catalog catalog, Path dataDir, Options options) {
        this.catalog = catalog;
        this.dataDir = dataDir;
        this.options = options;
    }

    /**
     * Connects the active model (once the engine exists) and resumes a job that a shutdown, crash or stop left
     * unfinished (its checkpoint is there).
     */
    void attach(Target target) {
        this.target = target;
        String model = target.model().id();
        if (Files.isRegularFile(sibling(CombinerComposer.fileFor(dataDir, model), ".personal.epochs"))) {
            LOG.info("resuming the personal combiner training of {}", model);
            start(target);
        }
    }

    static Path personalFile(Path dataDir, String modelId) {
        return sibling(CombinerComposer.fileFor(dataDir, modelId), ".personal.combiner");
    }

    private static Path sibling(Path imported, String suffix) {
        String name = imported.getFileName().toString();
        return imported.resolveSibling(name.substring(0, name.length() - ".combiner".length()) + suffix);
    }

    /** The composer {@code modelId}'s composed searches use (the same object for the model's whole life). */
    public QueryComposer composerFor(String modelId, int dimension) {
        return composers.computeIfAbsent(modelId, id -> new SwitchableComposer(load(id, dimension)));
    }

    private QueryComposer load(String modelId, int dimension) {
        Path personal = personalFile(dataDir, modelId);
        if (Files.isRegularFile(personal)) {
            try {
                CombinerModel m = CombinerModel.load(personal);
                if (m.dimension() == dimension) {
                    kinds.put(modelId, Active.PERSONAL);
                    LOG.info("composed queries of {} use the personal combiner {}", modelId, personal);
                    return new CombinerComposer(m);
                }
                LOG.warn("{} was trained for {}-d vectors; not used for {}", personal, m.dimension(), modelId);
            } catch (IOException | RuntimeException e) {
                LOG.warn("the personal combiner {} cannot be used ({}); trying the others", personal, e.getMessage());
            }
        }
        QueryComposer c = CombinerComposer.forModel(dataDir, modelId, dimension);
        kinds.put(modelId, c instanceof CombinerComposer ? Active.IMPORTED : Active.SUM);
        return c;
    }

    private void use(String modelId, Current c) {
        SwitchableComposer s = composers.get(modelId);
        if (s != null) {
            s.set(c.composer());
        }
        kinds.put(modelId, c.kind());
    }

    private ModelInfo activeModel() {
        Target t = target;
        if (t == null) {
            throw new OcularException("Composed search is not ready yet.");
        }
        return t.model();
    }

    @Override
    public void mark(long referenceId, String words, double weight, long targetId, Boolean relevant) {
        String model = activeModel().id();
        if (relevant == null) {
            catalog.deleteComposeMark(model, referenceId, words, targetId);
            return;
        }
        ComposeMark m;
        try {
            m = new ComposeMark(model, referenceId, words, targetId, relevant, weight, Instant.now());
        } catch (IllegalArgumentException e) {
            throw new OcularException("The mark was not kept: " + e.getMessage() + ".");
        }
        catalog.putComposeMark(m);
        if (relevant) {
            maybeTrain();
        }
    }

    @Override
    public Map<Long, Boolean> marks(long referenceId, String words) {
        Target t = target;
        if (t == null || words == null) {
            return Map.of();
        }
        String w = words.strip();
        Map<Long, Boolean> out = new HashMap<>();
        for (ComposeMark m : catalog.composeMarks(t.model().id())) {
            if (m.referenceId() == referenceId && m.modification().equals(w)) {
                out.put(m.targetId(), m.relevant());
            }
        }
        return out;
    }

    /** Starts a training job when the active model has enough new good-match marks and none is running. */
    synchronized void maybeTrain() {
        Target t = target;
        if (t == null || t.textEncoder().isEmpty() || (running != null && !running.isDone())) {
            return;
        }
        String model = t.model().id();
        long relevant = catalog.countComposeMarks(model, true);
        long attempt = catalog.setting(ATTEMPT_KEY + model).map(Long::parseLong).orElse(0L);
        if (relevant < options.minimum() || (attempt > 0 && relevant < attempt + Math.max(1, attempt / 2))) {
            return;
        }
        start(t);
    }

    private synchronized void start(Target t) {
        if (t.textEncoder().isEmpty() || (running != null && !running.isDone())) {
            return;
        }
        cancel.set(false);
        training = true;
        epoch = 0;
        epochs = options.config().apply(t.model().dimension()).epochs();
        running = executor.submit(() -> run(t));
    }

    /** Waits for the running job, if any (tests, shutdown). */
    void await(long seconds) throws InterruptedException, TimeoutException {
        Future<?> f;
        synchronized (this) {
            f = running;
        }
        if (f != null) {
            try {
                f.get(seconds, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                LOG.debug("combiner job ended with an exception", e);
            }
        }
    }

    private void run(Target t) {
        ModelInfo model = t.model();
        String id = model.id();
        try {
            Data data = data(t, id);
            long relevant = data.marks();
            catalog.putSetting(ATTEMPT_KEY + id, Long.toString(relevant));
            CombinerTrainer.Config cfg = options.config().apply(model.dimension());
            CombinerTrainer.Checkpoint resume = loadCheckpoint(id, cfg, data.triplets().size());
            PersonalCombiner.Outcome o = new PersonalCombiner(new CombinerTrainer()).train(data.triplets(),
                    data.referenceIds(), data.weights(), t.index(), cfg, resume,
                    (done, all, loss) -> {
                        epoch = done;
                        epochs = all;
                    },
                    c -> saveCheckpoint(id, c, data.triplets().size()), cancel::get, options.minimum());
            String figures = String.format(Locale.ROOT, "combiner=%.4f;sum=%.4f;heldOut=%d;trained=%d;used=%s",
                    o.combinerRecall(), o.sumRecall(), o.heldOut(), o.trained(), o.beatsSum());
            if (o.beatsSum() || kinds.get(id) != Active.PERSONAL) { // a loser never hides the figures of the one in use
                catalog.putSetting(RESULT_KEY + id, figures);
            }
            if (o.beatsSum()) {
                o.model().save(personalFile(dataDir, id));
                use(id, new Current(new CombinerComposer(o.model()), Active.PERSONAL));
                lastOutcome = String.format(Locale.ROOT, "trained on %d marks; it found %.0f%% of %d held-out targets"
                        + " in the top 10, the sum %.0f%%: now in use", o.trained(), 100 * o.combinerRecall(),
                        o.heldOut(), 100 * o.sumRecall());
            } else {
                lastOutcome = String.format(Locale.ROOT, "trained on %d marks; it found %.0f%% of %d held-out targets"
                        + " in the top 10, the sum %.0f%%: not better, so not used", o.trained(),
                        100 * o.combinerRecall(), o.heldOut(), 100 * o.sumRecall());
            }
            LOG.info("personal combiner of {}: {}", id, lastOutcome);
            deleteCheckpoint(id);
        } catch (CancellationException e) {
            lastOutcome = "stopped; it resumes from the last finished epoch when Ocular next starts";
        } catch (OcularException e) {
            lastOutcome = e.getMessage();
        } catch (IOException | RuntimeException e) {
            LOG.warn("personal combiner training failed", e);
            lastOutcome = "training failed: " + e.getMessage();
        } finally {
            training = false;
        }
    }

    private record Data(ComposedTriplets triplets, long[] referenceIds, double[] weights, long marks) {
    }

    /** The good-match marks as triplets: stored image vectors and the words read by the model's text tower. */
    private Data data(Target t, String model) {
        TextEncoder text = t.textEncoder().orElseThrow(() -> new OcularException("the model reads no words"));
        List<ComposeMark> marks = catalog.composeMarks(model).stream().filter(ComposeMark::relevant).toList();
        Map<String, float[]> words = new LinkedHashMap<>();
        marks.forEach(m -> words.put(m.modification(), null));
        List<String> distinct = new ArrayList<>(words.keySet());
        for (int from = 0; from < distinct.size(); from += 64) {
            List<String> batch = distinct.subList(from, Math.min(distinct.size(), from + 64));
            float[][] v = text.encodeText(batch);
            for (int i = 0; i < batch.size(); i++) {
                words.put(batch.get(i), v[i]);
            }
        }
        List<float[]> refs = new ArrayList<>();
        List<float[]> texts = new ArrayList<>();
        List<float[]> targets = new ArrayList<>();
        List<Long> targetIds = new ArrayList<>();
        List<Long> refIds = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (ComposeMark m : marks) {
            Optional<float[]> r = catalog.embedding(m.referenceId(), model);
            Optional<float[]> g = catalog.embedding(m.targetId(), model);
            if (r.isPresent() && g.isPresent()) { // a photo not (yet) embedded by this model is left out
                refs.add(r.get());
                texts.add(words.get(m.modification()));
                targets.add(g.get());
                targetIds.add(m.targetId());
                refIds.add(m.referenceId());
                weights.add(m.weight());
            }
        }
        ComposedTriplets triplets = new ComposedTriplets(refs.toArray(new float[0][]), texts.toArray(new float[0][]),
                targets.toArray(new float[0][]), targetIds.stream().mapToLong(Long::longValue).toArray());
        return new Data(triplets, refIds.stream().mapToLong(Long::longValue).toArray(),
                weights.stream().mapToDouble(Double::doubleValue).toArray(), marks.size());
    }

    private void saveCheckpoint(String model, CombinerTrainer.Checkpoint c, int triplets) {
        Path file = sibling(CombinerComposer.fileFor(dataDir, model), ".personal.checkpoint");
        Path epochs = sibling(CombinerComposer.fileFor(dataDir, model), ".personal.epochs");
        try {
            c.model().save(file);
            Path tmp = epochs.resolveSibling(epochs.getFileName() + ".tmp");
            Files.writeString(tmp, c.epochsDone() + " " + triplets);
            Files.move(tmp, epochs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("could not checkpoint the personal combiner: {}", e.getMessage());
        }
    }

    private CombinerTrainer.Checkpoint loadCheckpoint(String model, CombinerTrainer.Config cfg, int triplets) {
        Path file = sibling(CombinerComposer.fileFor(dataDir, model), ".personal.checkpoint");
        Path epochs = sibling(CombinerComposer.fileFor(dataDir, model), ".personal.epochs");
        if (!Files.isRegularFile(file) || !Files.isRegularFile(epochs)) {
            return null;
        }
        try {
            String[] parts = Files.readString(epochs).trim().split(" ");
            int done = Integer.parseInt(parts[0]);
            if (Integer.parseInt(parts[1]) != triplets || done < 1 || done >= cfg.epochs()) {
                return null; // other marks (or a finished run): start afresh
            }
            CombinerModel m = CombinerModel.load(file);
            LOG.info("resuming the personal combiner of {} after epoch {}", model, done);
            return new CombinerTrainer.Checkpoint(done, m);
        } catch (IOException | RuntimeException e) {
            LOG.warn("discarding an unusable personal combiner checkpoint: {}", e.getMessage());
            return null;
        }
    }

    private void deleteCheckpoint(String model) throws IOException {
        Files.deleteIfExists(sibling(CombinerComposer.fileFor(dataDir, model), ".personal.checkpoint"));
        Files.deleteIfExists(sibling(CombinerComposer.fileFor(dataDir, model), ".personal.epochs"));
    }

    @Override
    public Status status() {
        Target t = target;
        if (t == null) {
            return ComposeLearning.unavailable().status();
        }
        String model = t.model().id();
        double personal = Double.NaN;
        double sum = Double.NaN;
        int heldOut = 0;
        boolean won = false;
        Optional<String> result = catalog.setting(RESULT_KEY + model);
        if (result.isPresent()) {
            Map<String, String> f = new HashMap<>();
            for (String kv : result.get().split(";")) {
                String[] p = kv.split("=", 2);
                if (p.length == 2) {
                    f.put(p[0], p[1]);
                }
            }
            try {
                personal = Double.parseDouble(f.getOrDefault("combiner", "NaN"));
                sum = Double.parseDouble(f.getOrDefault("sum", "NaN"));
                heldOut = Integer.parseInt(f.getOrDefault("heldOut", "0"));
                won = Boolean.parseBoolean(f.get("used"));
            } catch (NumberFormatException e) {
                LOG.debug("unreadable personal combiner result {}", result.get());
            }
        }
        return new Status(model, t.textEncoder().isPresent(), kinds.getOrDefault(model, Active.SUM),
                catalog.countComposeMarks(model, true), catalog.countComposeMarks(model, false), options.minimum(),
                personal, sum, heldOut, won, training, epoch, epochs, lastOutcome);
    }

    @Override
    public void reset(boolean forgetMarks) {
        String model = activeModel().id();
        cancel.set(true);
        try {
            await(60);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            LOG.warn("the combiner job did not stop within a minute of the reset");
        }
        try {
            Files.deleteIfExists(personalFile(dataDir, model));
            deleteCheckpoint(model);
            Path imported = CombinerComposer.fileFor(dataDir, model);
            if (Files.isRegularFile(imported)) { // set aside, not deleted: it may have taken hours to train
                Files.move(imported, sibling(imported, ".combiner.reset"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new OcularException("Could not reset the composed search: " + e.getMessage(), e);
        }
        use(model, new Current(new WeightedSumComposer(), Active.SUM));
        catalog.putSetting(RESULT_KEY + model, null);
        if (forgetMarks) {
            catalog.forgetComposeMarks(model);
            catalog.putSetting(ATTEMPT_KEY + model, null);
        } else {
            catalog.putSetting(ATTEMPT_KEY + model, Long.toString(catalog.countComposeMarks(model, true)));
        }
        lastOutcome = forgetMarks ? "reset to the weighted sum; the marks were forgotten"
                : "reset to the weighted sum; the marks were kept";
    }

    @Override
    public void stopTraining() {
        cancel.set(true);
    }

    /** Stops a running job (its last epoch is checkpointed) and waits for it briefly, before the catalog closes. */
    @Override
    public void close() {
        cancel.set(true);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the personal combiner job did not stop within 10 s of closing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
