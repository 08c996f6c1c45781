package io.ocular.engine;

import io.ocular.embed.ImageEncoder;
import io.ocular.index.ImageDecoder;
import io.ocular.index.ImageFormats;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;
import io.ocular.search.AdaptiveIndex;
import io.ocular.search.IndexPolicy;
import io.ocular.search.SpqModel;
import io.ocular.search.TrainedCodes;
import io.ocular.search.VectorIndex;
import io.ocular.search.train.SpqSelfCheck;
import io.ocular.search.train.SpqTrainer;
import io.ocular.search.train.SpqTrainingService;
import io.ocular.search.train.TrainingSet;
import io.ocular.search.train.TrainingSetBuilder;
import io.ocular.store.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * The user's SPQ codes (issues 13 and 17, decision 0200): trains the active model's codes on the library's own
 * photos in the background ({@link SpqTrainingService}: one job, progress, cancel, per-epoch checkpoints, resume,
 * a self-check on held-out photos) and, when the self-check says SPQ beat PQ, makes the live {@link AdaptiveIndex}
 * code with them ({@link #preferred}, also read whenever a model's index opens).
 *
 * <p>Training uses the <b>vector head</b>: it learns from the encoder's pooled vectors of augmented views, which the
 * library can make again from its photos. The map head needs the encoder's spatial feature maps, which the catalog
 * does not store (0100's amendment). Each model's state lives in {@code DATA/spq/MODEL/}; a lock file there keeps
 * two processes (the window and {@code ocular train spq}) from training the same codes at once.
 */
public final class SpqCodes implements CodeTraining, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpqCodes.class);
    private static final int ENCODE_BATCH = 32;
    private static final long VIEW_SEED = 7L;

    /**
     * @param bits      code length (subspaces × log2 codewords)
     * @param codewords codewords per subspace, a power of two 2..256
     * @param batch     photos per training batch
     * @param epochs    training epochs
     * @param views     augmented views per photo (≥ 2)
     * @param maxPhotos at most this many photos are trained on (a seeded sample of a larger library)
     */
    public record Options(int bits, int codewords, int batch, int epochs, int views, int maxPhotos) {
        public Options {
            if (codewords < 2 || codewords > 256 || Integer.bitCount(codewords) != 1) {
                throw new OcularException("codewords must be a power of two from 2 to 256 (got " + codewords + ").");
            }
            int logK = Integer.numberOfTrailingZeros(codewords);
            if (bits < logK || bits % logK != 0 || bits / logK > 128) {
                throw new OcularException("the code length " + bits + " bits is not a multiple of log2(" + codewords
                        + " codewords) = " + logK + " (at most 128 subspaces).");
            }
            if (batch < 4 || epochs < 1 || epochs > 10_000 || views < 2 || maxPhotos < 1) {
                throw new OcularException("batch must be at least 4, epochs 1..10000, views at least 2.");
            }
        }

        /** 64-bit codes (8 subspaces × 256 codewords), 30 epochs of 256 photos, 2 views, at most 10,000 photos. */
        public static Options defaults() {
            return new Options(64, 256, 256, 30, 2, 10_000);
        }

        SpqTrainer.Config config() {
            int logK = Integer.numberOfTrailingZeros(codewords);
            SpqTrainer.Config d = SpqTrainer.Config.forBits(8, epochs);
            return new SpqTrainer.Config(bits / logK, codewords, d.subDim(), d.hidden(), epochs, batch,
                    d.learningRate(), d.softTemperature(), d.contrastTemperature(), 0f, d.seed());
        }
    }

    /** What the job needs of the active model. */
    interface Target {
        ModelInfo model();

        ImageEncoder imageEncoder();

        VectorIndex index();
    }

    private final Catalog catalog;
    private final Path dataDir;
    private final ImageDecoder decoder;
    private final Target target;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicReference<Status> status = new AtomicReference<>();
    private SpqTrainingService service; // the running or last job's
    private Path serviceDir;
    private FileChannel lockChannel;
    private FileLock lock;

    SpqCodes(Catalog catalog, Path dataDir, ImageDecoder decoder, Target target) {
        this.catalog = catalog;
        this.dataDir = dataDir;
        this.decoder = decoder;
        this.target = target;
    }

    /** Where {@code modelId}'s training state, model and verdict live. */
    public static Path folder(Path dataDir, String modelId) {
        return dataDir.resolve("spq").resolve(AdaptiveIndex.folderName(modelId));
    }

    /**
     * {@code modelId}'s trained codes when their self-check beat PQ and the model file is intact, else empty (PQ;
     * an unreadable model or verdict is logged and means PQ).
     */
    public static Optional<TrainedCodes> preferred(Path dataDir, String modelId) {
        Path dir = folder(dataDir, modelId);
        Optional<SpqSelfCheck.Result> verdict = SpqTrainingService.selfCheck(dir);
        if (verdict.isEmpty() || !verdict.get().spqWins()) {
            return Optional.empty();
        }
        Optional<SpqModel> model = SpqTrainingService.preferredModel(dir);
        if (model.isEmpty() || model.get().headKind() != SpqModel.HeadKind.VECTOR) {
            return Optional.empty();
        }
        try {
            CRC32 crc = new CRC32();
            crc.update(Files.readAllBytes(SpqTrainingService.modelFile(dir)));
            SpqSelfCheck.Result r = verdict.get();
            return Optional.of(new TrainedCodes(model.get(), Long.toHexString(crc.getValue()), String.format(Locale.ROOT,
                    "self-check %+.3f over PQ: %.3f vs %.3f on %d held-out photos", r.spqScore() - r.pqScore(),
                    r.spqScore(), r.pqScore(), r.heldOut())));
        } catch (IOException e) {
            LOG.warn("the trained SPQ codes of {} cannot be read ({}); PQ codes are used", modelId, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void start(Consumer<Status> listener) {
        start(Options.defaults(), listener);
    }

    /**
     * {@link #start(Consumer)} with other options ({@code ocular train spq}).
     *
     * @throws OcularException already running (here or in another process), no photos, too few photos
     */
    public synchronized void start(Options options, Consumer<Status> listener) {
        Status now = status();
        if (now.running()) {
            throw new OcularException("Compact codes are already being trained (" + describe(now) + ").");
        }
        if (!(target.index() instanceof AdaptiveIndex)) {
            throw new OcularException("This library's vectors are searched on its server (pgvector): compact codes"
                    + " trained on this computer would not be used.");
        }
        ModelInfo model = target.model();
        ImageEncoder encoder = target.imageEncoder();
        SpqTrainer.Config cfg = options.config();
        List<Path> photos = photos(model.id(), options.maxPhotos());
        if (photos.isEmpty()) {
            throw new OcularException(catalog.countImages(ImageStatus.INDEXED) > 0
                    ? "No photos are indexed with the active model (" + model.id() + ") yet: let indexing with it"
                    + " finish first (the window's indexing panel, or 'ocular index')."
                    : "No photos are indexed with the active model (" + model.id() + ") yet: add a folder and let it"
                    + " be indexed first ('ocular index DIR').");
        }
        int minimum = SpqTrainer.minimumPhotos(cfg);
        if (photos.size() < minimum) {
            throw new OcularException("Too few photos to train compact codes on: " + cfg.codewords() + " codewords need"
                    + " at least " + minimum + " photos, the library has " + photos.size() + ". Search keeps PQ codes.");
        }
        Path dir = folder(dataDir, model.id());
        takeLock(dir);
        cancelled.set(false);
        if (service == null || !dir.equals(serviceDir)) { // the first job, or another model's codes now
            if (service != null) {
                service.close();
            }
            service = new SpqTrainingService(dir, new SpqTrainer());
            serviceDir = dir;
        }
        String modelId = model.id();
        // the self-check's PQ: the codes the live index would otherwise use (64 B for 1280-d), if longer than SPQ's
        int pqBits = Math.max(options.bits(), IndexPolicy.bits(encoder.dimension()));
        int viewSize = encoder.preferredShortSide();
        TrainingSetBuilder builder = new TrainingSetBuilder(encoder, p -> decoder.decode(p, viewSize).image(),
                viewSize, options.views(), ENCODE_BATCH);
        Verdict before = verdict(modelId); // read once: progress comes for every photo
        boolean inUseBefore = inUse();
        publish(new Status(modelId, Phase.PREPARING, 0, photos.size(), 0, cfg.epochs(), Double.NaN, before,
                inUseBefore, "embedding augmented views of " + photos.size() + " photos"), listener);
        try {
            service.start(() -> {
                TrainingSet set = builder.build(photos, VIEW_SEED, (done, total) -> publish(new Status(modelId,
                        Phase.PREPARING, done, total, 0, cfg.epochs(), Double.NaN, before, inUseBefore, null),
                        listener), cancelled::get).set();
                LOG.info("training SPQ codes of {} on {} photos", modelId, set.size());
                return set;
            }, cfg, pqBits, s -> onJob(modelId, s, listener));
        } catch (RuntimeException e) {
            releaseLock();
            throw e;
        }
    }

    /** The library's photos with a vector of {@code modelId} (videos' moments left out), a seeded sample if many. */
    private List<Path> photos(String modelId, int max) {
        long[] ids = catalog.embeddingIds(modelId);
        List<Long> idList = new ArrayList<>(ids.length);
        for (long id : ids) {
            idList.add(id);
        }
        List<Path> photos = new ArrayList<>();
        for (ImageRecord r : catalog.images(idList).values()) {
            if (ImageFormats.isSupportedName(String.valueOf(r.path().getFileName()))) {
                photos.add(r.path());
            }
        }
        Collections.sort(photos);
        if (photos.size() > max) {
            Collections.shuffle(photos, new Random(VIEW_SEED));
            photos = new ArrayList<>(photos.subList(0, max));
            Collections.sort(photos);
        }
        return photos;
    }

    private void onJob(String modelId, SpqTrainingService.State s, int epoch, int epochs, double loss, String message,
                       Consumer<Status> listener) {
        Phase phase = switch (s) {
            case IDLE -> Phase.IDLE;
            case PREPARING -> Phase.PREPARING;
            case TRAINING -> Phase.TRAINING;
            case SELF_CHECK -> Phase.SELF_CHECK;
            case DONE -> Phase.DONE;
            case CANCELLED -> Phase.CANCELLED;
            case FELL_BACK_TO_PQ -> Phase.TOO_FEW;
            case FAILED -> Phase.FAILED;
        };
        if (phase == Phase.PREPARING) {
            return; // the builder's own progress (photos) says more
        }
        boolean ended = !(phase == Phase.TRAINING || phase == Phase.SELF_CHECK);
        if (ended) {
            releaseLock();
            if (phase == Phase.DONE && target.model().id().equals(modelId)
                    && target.index() instanceof AdaptiveIndex a) {
                a.useTrainedCodes(preferred(dataDir, modelId).orElse(null)); // SPQ if it won, else PQ again
            }
        }
        publish(new Status(modelId, phase, 0, 0, epoch, epochs, loss, verdict(modelId), inUse(), message), listener);
    }

    private void onJob(String modelId, SpqTrainingService.Status s, Consumer<Status> listener) {
        onJob(modelId, s.state(), s.epoch(), s.epochs(), s.loss(), s.message(), listener);
    }

    private void publish(Status s, Consumer<Status> listener) {
        status.set(s);
        if (listener != null) {
            listener.accept(s);
        }
    }

    @Override
    public void cancel() {
        cancelled.set(true);
        SpqTrainingService s;
        synchronized (this) {
            s = service;
        }
        if (s != null) {
            s.cancel();
        }
    }

    /** Waits until the current job has ended (the CLI, tests). */
    public void await() throws InterruptedException {
        SpqTrainingService s;
        synchronized (this) {
            s = service;
        }
        if (s != null) {
            s.await();
        }
    }

    @Override
    public Status status() {
        Status s = status.get();
        if (s != null && s.modelId().equals(target.model().id())) {
            return new Status(s.modelId(), s.phase(), s.done(), s.total(), s.epoch(), s.epochs(), s.loss(), s.verdict(),
                    inUse(), s.message());
        }
        String modelId = target.model().id();
        return new Status(modelId, Phase.IDLE, 0, 0, 0, 0, Double.NaN, verdict(modelId), inUse(), null);
    }

    private Verdict verdict(String modelId) {
        return SpqTrainingService.selfCheck(folder(dataDir, modelId))
                .map(r -> new Verdict(r.spqScore(), r.pqScore(), r.heldOut(), r.spqWins())).orElse(null);
    }

    private boolean inUse() {
        return target.index() instanceof AdaptiveIndex a && a.kind().equals("spq");
    }

    private static String describe(Status s) {
        return switch (s.phase()) {
            case PREPARING -> "preparing views: " + s.done() + "/" + s.total() + " photos";
            case TRAINING -> "epoch " + s.epoch() + "/" + s.epochs();
            default -> "self-check";
        };
    }

    /** One process trains a model's codes at a time: the window and {@code ocular train spq} share the folder. */
    private void takeLock(Path dir) {
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(dir.resolve("training.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                ch.close();
                throw new OcularException("Compact codes are already being trained for this library (by another Ocular"
                        + " window or command); wait for it to finish or cancel it there.");
            }
            lockChannel = ch;
            lock = l;
        } catch (IOException e) {
            throw new OcularException("Cannot prepare " + dir + " for training compact codes: " + e.getMessage());
        }
    }

    private synchronized void releaseLock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.debug("releasing the SPQ training lock: {}", e.getMessage());
        } finally {
            lock = null;
            lockChannel = null;
        }
    }

    @Override
    public void close() {
        SpqTrainingService s;
        synchronized (this) {
            s = service;
        }
        if (s != null) {
            s.close(); // cancels: the last finished epoch is checkpointed, the next start resumes there
            try {
                s.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        releaseLock();
    }
}
