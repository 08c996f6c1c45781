package io.ocular.index;

import io.ocular.embed.ImageEncoder;
import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.IndexProgress;
import io.ocular.model.IndexProgress.State;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import io.ocular.model.SkippedFile;
import io.ocular.store.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The background indexer (see docs/decisions/0020-indexing-daemon.md).
 *
 * <p>Threads: one <b>scheduler</b> runs commands one at a time (add/remove folder, scan a folder or subtree,
 * full rescan) and walks the folders, feeding a bounded work queue; <b>N workers</b> take real batches from
 * it, hash, detect moves, decode at the encoder's working size and embed the batch with one encoder call;
 * exactly <b>one writer</b> applies every catalog write (batches via {@link Catalog#commitBatch}, one
 * transaction each; moves; deletions; folder changes). Bounded queues give back-pressure end to end.
 *
 * <p>Incremental and resumable: the catalog is the truth. A file whose size and mtime match its record is
 * skipped when it is INDEXED with a vector of the active model, or SKIPPED (not retried until it changes);
 * anything else found on disk is (re-)embedded. So after a crash or kill the next pass redoes exactly the
 * batches that were not committed. A new path whose content hash matches a catalogued image whose old path
 * no longer exists is a move ({@link Catalog#moveImage}, no re-embedding). Records whose files are gone are
 * deleted at the end of a complete pass, never under a folder that could not be read (a disconnected drive
 * loses nothing).
 */
public final class IndexingDaemon implements Indexer {
    private static final Logger log = LoggerFactory.getLogger(IndexingDaemon.class);

    /**
     * Tuning.
     *
     * @param workers          decode+embed threads
     * @param batchSize        images per encoder call and per catalog transaction
     * @param progressInterval minimum time between two progress events (final states are always sent)
     * @param recentSkips      how many recent skips a progress snapshot carries
     * @param rateWindow       window over which images/s is measured
     */
    public record Config(int workers, int batchSize, Duration progressInterval, int recentSkips, Duration rateWindow) {
        public Config {
            if (workers < 1 || batchSize < 1 || recentSkips < 0) {
                throw new IllegalArgumentException("workers and batch size must be positive");
            }
        }

        public static Config defaults() {
            return new Config(Runtime.getRuntime().availableProcessors(), 16, Duration.ofMillis(50), 20,
                    Duration.ofSeconds(10));
        }

        public Config withWorkers(int n) {
            return new Config(n, batchSize, progressInterval, recentSkips, rateWindow);
        }

        public Config withBatchSize(int n) {
            return new Config(workers, n, progressInterval, recentSkips, rateWindow);
        }
    }

    // ---- collaborators ----
    private final Catalog catalog;
    private final Supplier<ImageEncoder> encoders;
    private final ImageDecoder decoder;
    private final ContentHasher hasher;
    private final FolderScanner scanner;
    private final FileAccess files;
    private final Clock clock;
    private final Config config;
    private final List<FollowUpPass> passes;

    // ---- threads and queues ----
    private final Thread schedulerThread;
    private final List<Thread> workerThreads = new ArrayList<>();
    private final Thread writerThread;
    private final BlockingQueue<WorkItem> work;
    private final BlockingQueue<WriterTask> writes;
    private volatile boolean running = true;

    // ---- commands and idleness (guarded by lock) ----
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Command> commands = new ArrayDeque<>();
    private boolean busy;
    private boolean paused;
    private volatile long generation;
    private final Set<Long> removedFolders = ConcurrentHashMap.newKeySet();

    // ---- progress ----
    private final List<IndexListener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock publishLock = new ReentrantLock();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong embedded = new AtomicLong();
    private final Deque<SkippedFile> recentSkips = new ArrayDeque<>();
    private final Deque<long[]> rateSamples = new ArrayDeque<>(); // {millis, embedded}; guarded by itself
    private volatile State phase = State.IDLE;
    private volatile boolean failed;
    private volatile boolean cancelledRun;
    private volatile Path currentFile;
    private volatile long lastPublishMillis;
    private volatile IndexProgress last = IndexProgress.idle();

    public IndexingDaemon(Catalog catalog, Supplier<ImageEncoder> encoders, ImageDecoder decoder, Config config) {
        this(catalog, encoders, decoder, config, List.of());
    }

    /**
     * @param passes follow-up passes run after each run's own work (derived data such as local features),
     *               in this order
     */
    public IndexingDaemon(Catalog catalog, Supplier<ImageEncoder> encoders, ImageDecoder decoder, Config config,
                          List<FollowUpPass> passes) {
        this(catalog, encoders, decoder, new ContentHasher(), new FolderScanner(), FileAccess.system(),
                Clock.systemUTC(), config, passes);
    }

    public IndexingDaemon(Catalog catalog, Supplier<ImageEncoder> encoders, ImageDecoder decoder,
                          ContentHasher hasher, FolderScanner scanner, FileAccess files, Clock clock, Config config) {
        this(catalog, encoders, decoder, hasher, scanner, files, clock, config, List.of());
    }

    public IndexingDaemon(Catalog catalog, Supplier<ImageEncoder> encoders, ImageDecoder decoder,
                          ContentHasher hasher, FolderScanner scanner, FileAccess files, Clock clock, Config config,
                          List<FollowUpPass> passes) {
        this.passes = List.copyOf(passes);
        this.catalog = Objects.requireNonNull(catalog);
        this.encoders = Objects.requireNonNull(encoders);
        this.decoder = Objects.requireNonNull(decoder);
        this.hasher = Objects.requireNonNull(hasher);
        this.scanner = Objects.requireNonNull(scanner);
        this.files = Objects.requireNonNull(files);
        this.clock = Objects.requireNonNull(clock);
        this.config = Objects.requireNonNull(config);
        this.work = new ArrayBlockingQueue<>(config.batchSize() * config.workers() * 2);
        this.writes = new ArrayBlockingQueue<>(config.workers() * 2 + 2);
        this.schedulerThread = new Thread(this::schedulerLoop, "ocular-index-scheduler");
        this.writerThread = new Thread(this::writerLoop, "ocular-index-writer");
        for (int i = 0; i < config.workers(); i++) {
            workerThreads.add(new Thread(this::workerLoop, "ocular-index-worker-" + i));
        }
        // started last: every field above is assigned (Thread.start happens-before the thread's actions)
        schedulerThread.setDaemon(true);
        schedulerThread.start();
        writerThread.setDaemon(true);
        writerThread.start();
        for (Thread t : workerThreads) {
            t.setDaemon(true);
            t.start();
        }
    }

    // =============================================================================================
    // Indexer API
    // =============================================================================================

    @Override
    public void addFolder(Path folder) {
        submit(new Command.AddFolder(normalise(folder)), false);
    }

    @Override
    public void removeFolder(Path folder) {
        Path p = normalise(folder);
        for (FolderRecord f : catalog.folders()) {
            if (f.path().equals(p)) {
                removedFolders.add(f.id()); // workers and the writer drop its work from now on
                submit(new Command.RemoveFolder(f.id()), true);
                return;
            }
        }
        log.warn("not a library folder, nothing removed: {}", p);
    }

    @Override
    public void rescan() {
        submit(new Command.Scan(null), false);
    }

    /**
     * Runs the follow-up passes (derived data such as local features) over images that still lack their data,
     * without scanning folders, e.g. right after the user turned such a feature on. A no-op without passes.
     */
    public void runFollowUpPasses() {
        if (!passes.isEmpty()) {
            submit(new Command.FollowUp(), false);
        }
    }

    /**
     * Stores a catalog setting through the writer thread (the catalog's one writer) and waits until it is
     * committed; a null value removes it. For user settings changed while the daemon may be running.
     */
    public void putSetting(String key, String value) {
        Objects.requireNonNull(key, "key");
        if (!running) {
            throw new OcularException("The indexer is shut down; the setting " + key + " was not saved.");
        }
        try {
            write(() -> {
                catalog.putSetting(key, value);
                return null;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OcularException("Interrupted while saving the setting " + key + ".", e);
        }
    }

    /** Incremental pass over one folder (and everything below it) inside the library (the watcher's trigger). */
    public void rescan(Path subtree) {
        submit(new Command.Scan(normalise(subtree)), false);
    }

    @Override
    public void pause() {
        lock.lock();
        try {
            paused = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        publish(true);
    }

    @Override
    public void resume() {
        lock.lock();
        try {
            paused = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        publish(true);
    }

    @Override
    public void cancel() {
        lock.lock();
        try {
            if (!busy) {
                return;
            }
            generation++;
            cancelledRun = true;
            commands.clear();
            paused = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        List<WorkItem> dropped = new ArrayList<>();
        work.drainTo(dropped);
        for (WorkItem item : dropped) {
            item.job().finished(1);
        }
        publish(true);
    }

    @Override
    public IndexProgress progress() {
        return snapshot();
    }

    @Override
    public void addListener(IndexListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(IndexListener listener) {
        listeners.remove(listener);
    }

    @Override
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (busy) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        cancel();
        running = false;
        schedulerThread.interrupt();
        for (Thread t : workerThreads) {
            t.interrupt();
        }
        join(schedulerThread);
        for (Thread t : workerThreads) {
            join(t);
        }
        writerThread.interrupt(); // the writer commits what workers finished, then ends
        join(writerThread);
    }

    private static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            log.warn("{} did not stop within 30 s", t.getName());
        }
    }

    private static Path normalise(Path p) {
        return p.toAbsolutePath().normalize();
    }

    // =============================================================================================
    // Scheduler
    // =============================================================================================

    private sealed interface Command {
        record AddFolder(Path path) implements Command {
        }

        record RemoveFolder(long folderId) implements Command {
        }

        /** A subtree scan, or (path null) a full rescan of every library folder. */
        record Scan(Path path) implements Command {
        }

        /** No scan: only the follow-up passes that end every run. */
        record FollowUp() implements Command {
        }
    }

    private void submit(Command command, boolean first) {
        lock.lock();
        try {
            if (!running) {
                return;
            }
            boolean fullPending = commands.contains(new Command.Scan(null));
            if (commands.contains(command) || (fullPending && command instanceof Command.Scan)) {
                return; // coalesced with an identical pending command
            }
            if (!busy) {
                startRun();
            }
            busy = true;
            if (first) {
                commands.addFirst(command);
            } else {
                commands.addLast(command);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A run goes from idle to idle; its counters start at zero. Called with the lock held. */
    private void startRun() {
        done.set(0);
        total.set(0);
        skipped.set(0);
        embedded.set(0);
        failed = false;
        cancelledRun = false;
        synchronized (recentSkips) {
            recentSkips.clear();
        }
        synchronized (rateSamples) {
            rateSamples.clear();
        }
        phase = State.SCANNING;
    }

    private void schedulerLoop() {
        while (running) {
            Command command;
            lock.lock();
            try {
                while (commands.isEmpty() && running) {
                    changed.await();
                }
                if (!running) {
                    return;
                }
                command = commands.pollFirst();
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
                continue;
            } finally {
                lock.unlock();
            }
            try {
                execute(command);
                if (!passes.isEmpty() && !cancelledRun && running && !commandsPending()) {
                    runFollowUps();
                }
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } catch (RuntimeException e) {
                log.error("indexing step failed: {}", command, e);
                failed = true;
                recordSkip(new SkippedFile(null, "indexing failed: " + e.getMessage()), false);
            }
            State fin = null;
            lock.lock();
            try {
                if (commands.isEmpty()) {
                    fin = failed ? State.FAILED : cancelledRun ? State.IDLE : State.DONE;
                    phase = fin;
                    currentFile = null;
                }
            } finally {
                lock.unlock();
            }
            if (fin != null) {
                // the final state reaches listeners before awaitIdle returns
                publishFinal(fin);
                lock.lock();
                try {
                    if (commands.isEmpty()) {
                        busy = false;
                        changed.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private boolean commandsPending() {
        lock.lock();
        try {
            return !commands.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    // =============================================================================================
    // Follow-up passes (scheduler thread; writes go through the writer)
    // =============================================================================================

    /** The pass must stop: cancelled, closing, or a new command waits (the next run continues the pass). */
    private boolean mustYield(long gen) {
        return generation != gen || !running || commandsPending();
    }

    private void runFollowUps() throws InterruptedException {
        long gen = generation;
        for (FollowUpPass pass : passes) {
            if (mustYield(gen)) {
                return;
            }
            if (!pass.enabled()) {
                continue;
            }
            List<ImageRecord> pending = pendingFor(pass);
            if (pending.isEmpty()) {
                continue;
            }
            Optional<FollowUpPass.Preparation> prep;
            try {
                prep = pass.prepare(pending);
            } catch (OcularException e) {
                log.warn("{} pass cannot run: {}", pass.kind(), e.getMessage());
                recordSkip(new SkippedFile(null, e.getMessage()), false);
                continue;
            }
            if (prep.isEmpty() || mustYield(gen)) {
                continue;
            }
            FollowUpPass.Preparation p = prep.get();
            if (p.dropExisting() || !p.settings().isEmpty()) {
                write(() -> {
                    if (p.dropExisting()) {
                        catalog.deleteImageData(pass.kind());
                    }
                    p.settings().forEach(catalog::putSetting);
                    return null;
                });
                if (p.dropExisting()) {
                    pending = pendingFor(pass);
                }
            }
            runPass(pass, pending, gen);
        }
    }

    private List<ImageRecord> pendingFor(FollowUpPass pass) {
        List<ImageRecord> out = new ArrayList<>();
        for (long id : catalog.imagesWithoutImageData(pass.kind())) {
            catalog.image(id).ifPresent(out::add);
        }
        return out;
    }

    private void runPass(FollowUpPass pass, List<ImageRecord> pending, long gen) throws InterruptedException {
        phase = State.INDEXING;
        total.addAndGet(pending.size());
        publish(true);
        long start = System.nanoTime();
        long bytes = 0;
        int computed = 0;
        List<Map.Entry<Long, byte[]>> buffer = new ArrayList<>();
        for (ImageRecord r : pending) {
            awaitNotPaused();
            if (mustYield(gen)) {
                break;
            }
            currentFile = r.path();
            publish(false);
            try {
                byte[] blob = pass.compute(r);
                if (blob != null) {
                    buffer.add(Map.entry(r.id(), blob));
                    bytes += blob.length;
                    computed++;
                }
            } catch (RuntimeException e) {
                log.warn("{}: no {} data: {}", r.path(), pass.kind(), e.toString());
            }
            done.incrementAndGet();
            if (buffer.size() >= config.batchSize()) {
                storeData(pass.kind(), buffer);
            }
        }
        storeData(pass.kind(), buffer);
        if (computed > 0) {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            log.info("{} pass: {} images in {} ms ({} ms/image, {} bytes/image)", pass.kind(), computed,
                    took.toMillis(), took.toMillis() / computed, bytes / computed);
            Map<String, String> summary = pass.summary(computed, bytes, took);
            if (!summary.isEmpty()) {
                write(() -> {
                    summary.forEach(catalog::putSetting);
                    return null;
                });
            }
        }
    }

    private void storeData(String kind, List<Map.Entry<Long, byte[]>> buffer) throws InterruptedException {
        if (buffer.isEmpty()) {
            return;
        }
        List<Map.Entry<Long, byte[]>> batch = List.copyOf(buffer);
        buffer.clear();
        write(() -> {
            for (Map.Entry<Long, byte[]> e : batch) {
                try {
                    catalog.putImageData(e.getKey(), kind, e.getValue());
                } catch (OcularException gone) {
                    log.debug("image {} left the catalog before its {} data was stored", e.getKey(), kind);
                }
            }
            return null;
        });
    }

    private void execute(Command command) throws InterruptedException {
        if (command instanceof Command.RemoveFolder rf) {
            write(() -> {
                catalog.removeFolder(rf.folderId());
                return null;
            });
        } else if (command instanceof Command.AddFolder af) {
            addFolderNow(af.path());
        } else if (command instanceof Command.Scan scan) {
            List<Target> targets = new ArrayList<>();
            for (FolderRecord f : catalog.folders()) {
                if (scan.path() == null) {
                    targets.add(new Target(f, f.path()));
                } else if (scan.path().startsWith(f.path())) {
                    targets.add(new Target(f, scan.path()));
                    break;
                } else if (f.path().startsWith(scan.path())) {
                    targets.add(new Target(f, f.path()));
                }
            }
            runJob(targets);
        }
    }

    /**
     * A folder inside a library folder adds nothing (its subtree is rescanned); a parent of library folders
     * absorbs them: their images are re-homed (ids and vectors kept), then their folder rows are removed.
     */
    private void addFolderNow(Path path) throws InterruptedException {
        Path real = realPath(path);
        List<FolderRecord> existing = catalog.folders();
        for (FolderRecord f : existing) {
            if (real.startsWith(realPath(f.path()))) {
                log.info("{} is already inside library folder {}", path, f.path());
                runJob(List.of(new Target(f, path)));
                return;
            }
        }
        if (!files.exists(path)) {
            recordSkip(new SkippedFile(path, "folder not found"), false);
            return;
        }
        List<FolderRecord> children = existing.stream().filter(f -> realPath(f.path()).startsWith(real)).toList();
        FolderRecord parent = write(() -> {
            FolderRecord added = catalog.addFolder(path);
            for (FolderRecord child : children) {
                for (ImageRecord img : catalog.imagesInFolder(child.id())) {
                    catalog.moveImage(img.id(), added.id(), img.path(), img.size(), img.mtimeMillis());
                }
                catalog.removeFolder(child.id());
            }
            return added;
        });
        runJob(List.of(new Target(parent, parent.path())));
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    private record Target(FolderRecord folder, Path root) {
    }

    /** The state of one pass; items count down as the writer commits (or cancel drops) them. */
    private static final class Job {
        final long generation;
        final ImageEncoder encoder;
        final Set<Long> claimedByMove = ConcurrentHashMap.newKeySet();
        private long outstanding;
        private volatile boolean modelFailed;

        Job(long generation, ImageEncoder encoder) {
            this.generation = generation;
            this.encoder = encoder;
        }

        synchronized void added() {
            outstanding++;
        }

        synchronized void finished(int n) {
            outstanding -= n;
            if (outstanding <= 0) {
                notifyAll();
            }
        }

        synchronized void awaitDrained() throws InterruptedException {
            while (outstanding > 0) {
                wait(200);
            }
        }
    }

    private boolean isCancelled(Job job) {
        return job.generation != generation || job.modelFailed || !running || modelSwitched(job);
    }

    /** The active model changed since this job started: its work is redone by the next pass with the new one. */
    private boolean modelSwitched(Job job) {
        ImageEncoder now = encoders.get();
        return now != null && !now.modelId().equals(job.encoder.modelId());
    }

    private void runJob(List<Target> targets) throws InterruptedException {
        if (targets.isEmpty()) {
            return;
        }
        ImageEncoder encoder = encoders.get();
        if (encoder == null) {
            failed = true;
            recordSkip(new SkippedFile(null, "no image model is available: indexing waits for one"), false);
            return;
        }
        if (catalog.model(encoder.modelId()).isEmpty()) {
            write(() -> {
                catalog.registerModel(new ModelInfo(encoder.modelId(), encoder.modelId(), ModelKind.IMAGE,
                        encoder.dimension(), ""));
                return null;
            });
        }
        Job job = new Job(generation, encoder);
        Set<Long> withoutVector = new HashSet<>(catalog.imagesWithoutEmbedding(encoder.modelId()));
        List<ImageRecord> vanished = new ArrayList<>();
        List<Path> unreadable = new ArrayList<>();
        boolean complete = true;
        phase = State.SCANNING;
        publish(true);
        for (Target target : targets) {
            long folderId = target.folder().id();
            if (removedFolders.contains(folderId)) {
                continue;
            }
            Map<Path, ImageRecord> known = new HashMap<>();
            for (ImageRecord r : catalog.imagesInFolder(folderId)) {
                if (r.path().startsWith(target.root())) {
                    known.put(r.path(), r);
                }
            }
            Set<Path> seen = new HashSet<>();
            FolderScanner.Summary summary = scanner.scan(target.root(), new FolderScanner.Sink() {
                @Override
                public void file(FolderScanner.FoundFile f) {
                    seen.add(f.path());
                    ImageRecord rec = known.get(f.path());
                    boolean same = rec != null && rec.size() == f.size() && rec.mtimeMillis() == f.mtimeMillis();
                    total.incrementAndGet();
                    if (same && (rec.status() == ImageStatus.SKIPPED
                            || (rec.status() == ImageStatus.INDEXED && !withoutVector.contains(rec.id())))) {
                        done.incrementAndGet();
                        publish(false);
                        return;
                    }
                    job.added();
                    enqueue(new WorkItem(f, rec, folderId, job));
                }

                @Override
                public void skipped(SkippedFile s) {
                    unreadable.add(s.path());
                    recordSkip(s, true);
                }
            }, () -> isCancelled(job) || removedFolders.contains(folderId));
            if (!summary.complete() || isCancelled(job)) {
                complete = false;
                break;
            }
            for (ImageRecord r : known.values()) {
                if (!seen.contains(r.path()) && unreadable.stream().noneMatch(u -> r.path().startsWith(u))) {
                    vanished.add(r);
                }
            }
        }
        phase = State.INDEXING;
        publish(true);
        job.awaitDrained();
        if (complete && !isCancelled(job)) {
            List<Long> gone = vanished.stream()
                    .filter(r -> !job.claimedByMove.contains(r.id())
                            && (!files.exists(r.path()) || FolderScanner.isShadowedRaw(r.path(), files)))
                    .map(ImageRecord::id).toList();
            if (!gone.isEmpty()) {
                write(() -> {
                    catalog.deleteImages(gone);
                    return null;
                });
                log.info("removed {} images whose files are gone", gone.size());
            }
        }
        if (job.modelFailed) {
            failed = true;
        }
    }

    private void enqueue(WorkItem item) {
        try {
            while (!work.offer(item, 100, TimeUnit.MILLISECONDS)) {
                if (isCancelled(item.job())) {
                    item.job().finished(1);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            item.job().finished(1);
        }
    }

    // =============================================================================================
    // Workers
    // =============================================================================================

    private record WorkItem(FolderScanner.FoundFile file, ImageRecord known, long folderId, Job job) {
    }

    private record Move(long imageId, long folderId, Path path, long size, long mtimeMillis) {
    }

    private void awaitNotPaused() throws InterruptedException {
        lock.lock();
        try {
            while (paused && running) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    private void workerLoop() {
        List<WorkItem> batch = new ArrayList<>(config.batchSize());
        while (running) {
            try {
                awaitNotPaused();
                WorkItem first = work.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                // fill a real batch: whatever is queued now, then brief waits for the scanner to catch up
                while (batch.size() < config.batchSize()) {
                    work.drainTo(batch, config.batchSize() - batch.size());
                    if (batch.size() >= config.batchSize()) {
                        break;
                    }
                    WorkItem next = work.poll(20, TimeUnit.MILLISECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                awaitNotPaused(); // paused while the batch was filling: hold it, take nothing more
                process(batch);
                batch.clear();
            } catch (InterruptedException e) {
                for (WorkItem item : batch) {
                    item.job().finished(1);
                }
                batch.clear();
            }
        }
    }

    /** Decodes, embeds and hands one batch to the writer; every item is accounted for exactly once. */
    private void process(List<WorkItem> batch) {
        int accounted = 0;
        try {
            accounted = processBatch(batch);
        } catch (RuntimeException | Error e) {
            log.error("indexing worker failed on a batch", e);
        } finally {
            for (int i = accounted; i < batch.size(); i++) {
                batch.get(i).job().finished(1);
            }
        }
    }

    /** Returns the batch size once every item is handed on or finished; throws before accounting any. */
    private int processBatch(List<WorkItem> batch) {
        Job job = null;
        List<WorkItem> dropped = new ArrayList<>();
        List<Move> moves = new ArrayList<>();
        List<ImageRecord> records = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<ImageRecord> toEmbed = new ArrayList<>();
        List<BufferedImage> images = new ArrayList<>();
        int handled = 0;
        for (WorkItem item : batch) {
            if (isCancelled(item.job()) || removedFolders.contains(item.folderId())) {
                dropped.add(item);
                continue;
            }
            handled++;
            job = item.job(); // one job is live at a time: every handled item belongs to it
            FolderScanner.FoundFile f = item.file();
            currentFile = f.path();
            publish(false);
            long id = item.known() == null ? 0 : item.known().id();
            String hash;
            try {
                hash = hasher.hash(f.path());
            } catch (NoSuchFileException e) {
                continue; // vanished since the scan: nothing to record (the next pass forgets its old record)
            } catch (IOException e) {
                records.add(skippedRecord(id, item, null, ImageDecodeException.ioReason(e)));
                vectors.add(null);
                continue;
            }
            if (item.known() == null) {
                Move move = findMove(item, hash);
                if (move != null) {
                    moves.add(move);
                    continue;
                }
            }
            try {
                DecodedImage img = decoder.decode(f.path(), item.job().encoder.preferredShortSide());
                toEmbed.add(new ImageRecord(id, item.folderId(), f.path(), f.size(), f.mtimeMillis(), hash,
                        img.width(), img.height(), img.takenAt(), img.orientation(), ImageStatus.INDEXED, null));
                images.add(img.image());
            } catch (ImageDecodeException e) {
                if (e.getCause() instanceof NoSuchFileException) {
                    continue;
                }
                records.add(skippedRecord(id, item, hash, e.reason()));
                vectors.add(null);
            } catch (RuntimeException e) {
                log.warn("{}: unexpected decoder failure", f.path(), e);
                records.add(skippedRecord(id, item, hash, "could not decode: " + e));
                vectors.add(null);
            } catch (OutOfMemoryError e) {
                records.add(skippedRecord(id, item, hash, "not enough memory to decode this image"));
                vectors.add(null);
            }
        }
        if (handled == 0) {
            return finishDropped(dropped, batch);
        }
        if (!images.isEmpty()) {
            float[][] embedded = embed(job, images);
            if (embedded == null) {
                // the model itself fails: nothing of this batch is marked, it stays pending for a later run
                job.modelFailed = true;
                job.finished(handled);
                return finishDropped(dropped, batch);
            }
            for (int i = 0; i < toEmbed.size(); i++) {
                if (embedded[i] != null) {
                    records.add(toEmbed.get(i));
                    vectors.add(embedded[i]);
                } else {
                    ImageRecord r = toEmbed.get(i);
                    records.add(r.withStatus(ImageStatus.SKIPPED, "the model could not process this image"));
                    vectors.add(null);
                }
            }
        }
        try {
            writes.put(new WriterTask.Commit(job, handled, moves, records, vectors));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: this batch is lost, the next run redoes it
            job.finished(handled);
        }
        return finishDropped(dropped, batch);
    }

    private static int finishDropped(List<WorkItem> dropped, List<WorkItem> batch) {
        for (WorkItem item : dropped) {
            item.job().finished(1);
        }
        return batch.size();
    }

    private ImageRecord skippedRecord(long id, WorkItem item, String hash, String reason) {
        FolderScanner.FoundFile f = item.file();
        return new ImageRecord(id, item.folderId(), f.path(), f.size(), f.mtimeMillis(), hash, 0, 0, null, 1,
                ImageStatus.SKIPPED, reason);
    }

    /** A catalogued image with this content whose file is gone, claimed for this new path (once). */
    private Move findMove(WorkItem item, String hash) {
        FolderScanner.FoundFile f = item.file();
        for (ImageRecord c : catalog.imagesByHash(hash)) {
            if (c.path().equals(f.path()) || c.size() != f.size() || c.status() == ImageStatus.PENDING) {
                continue;
            }
            if (c.status() == ImageStatus.INDEXED
                    && catalog.embedding(c.id(), item.job().encoder.modelId()).isEmpty()) {
                continue; // no vector of the active model to keep: embedding it is needed anyway
            }
            if (!files.exists(c.path()) && item.job().claimedByMove.add(c.id())) {
                return new Move(c.id(), item.folderId(), f.path(), f.size(), f.mtimeMillis());
            }
        }
        return null;
    }

    /**
     * One encoder call for the batch; if it fails, each image alone, to tell a poison image from a broken
     * model. Returns null when the model fails on every image (a model problem, not the files').
     */
    private float[][] embed(Job job, List<BufferedImage> images) {
        ImageEncoder encoder = job.encoder;
        try {
            float[][] v = encoder.encode(images);
            if (valid(v, images.size(), encoder.dimension())) {
                return v;
            }
            log.warn("model {} returned malformed vectors for a batch of {}", encoder.modelId(), images.size());
        } catch (RuntimeException e) {
            log.warn("model {} failed on a batch of {}: {}", encoder.modelId(), images.size(), e.getMessage());
        }
        float[][] out = new float[images.size()][];
        boolean any = false;
        String lastError = null;
        for (int i = 0; i < images.size(); i++) {
            try {
                float[][] one = encoder.encode(List.of(images.get(i)));
                if (valid(one, 1, encoder.dimension())) {
                    out[i] = one[0];
                    any = true;
                }
            } catch (RuntimeException e) {
                lastError = e.getMessage();
            }
        }
        if (!any) {
            if (!isCancelled(job)) { // a cancelled run's model may have been switched off and closed meanwhile
                recordSkip(new SkippedFile(null, "the image model failed" + (lastError == null ? "" : ": " + lastError)),
                        false);
            }
            return null;
        }
        return out;
    }

    private static boolean valid(float[][] v, int n, int dim) {
        if (v == null || v.length != n) {
            return false;
        }
        for (float[] row : v) {
            if (row == null || row.length != dim) {
                return false;
            }
        }
        return true;
    }

    // =============================================================================================
    // Writer: the only thread that writes to the catalog
    // =============================================================================================

    private sealed interface WriterTask {
        record Commit(Job job, int items, List<Move> moves, List<ImageRecord> records, List<float[]> vectors)
                implements WriterTask {
        }

        record Call(Callable<?> body, CompletableFuture<Object> result) implements WriterTask {
        }
    }

    /** Runs a catalog write on the writer thread and waits for it. */
    @SuppressWarnings("unchecked")
    private <T> T write(Callable<T> body) throws InterruptedException {
        CompletableFuture<Object> result = new CompletableFuture<>();
        writes.put(new WriterTask.Call(body, result));
        try {
            return (T) result.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException re ? re : new IllegalStateException(c);
        }
    }

    private void writerLoop() {
        while (true) {
            WriterTask task;
            try {
                task = writes.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                task = null;
                if (!running) {
                    // drain what the workers finished, then stop
                    List<WriterTask> rest = new ArrayList<>();
                    writes.drainTo(rest);
                    rest.forEach(this::apply);
                    return;
                }
            }
            if (task != null) {
                apply(task);
            } else if (!running && writes.isEmpty() && workerThreads.stream().noneMatch(Thread::isAlive)) {
                return;
            }
        }
    }

    private void apply(WriterTask task) {
        if (task instanceof WriterTask.Call call) {
            try {
                call.result().complete(call.body().call());
            } catch (Exception e) {
                call.result().completeExceptionally(e);
            }
            return;
        }
        WriterTask.Commit c = (WriterTask.Commit) task;
        try {
            for (Move m : c.moves()) {
                if (!removedFolders.contains(m.folderId())) {
                    catalog.moveImage(m.imageId(), m.folderId(), m.path(), m.size(), m.mtimeMillis());
                }
            }
            List<ImageRecord> records = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            for (int i = 0; i < c.records().size(); i++) {
                if (!removedFolders.contains(c.records().get(i).folderId())) {
                    records.add(c.records().get(i));
                    vectors.add(c.vectors().get(i));
                }
            }
            if (!records.isEmpty()) {
                catalog.commitBatch(records, c.job().encoder.modelId(), vectors);
            }
            for (ImageRecord r : records) {
                if (r.status() == ImageStatus.SKIPPED) {
                    recordSkip(new SkippedFile(r.path(), r.skipReason()), true);
                } else {
                    embedded.incrementAndGet();
                }
            }
            done.addAndGet(c.items());
        } catch (RuntimeException e) {
            log.error("could not save a batch of {} images", c.items(), e);
            failed = true;
            recordSkip(new SkippedFile(null, "could not save to the catalog: " + e.getMessage()), false);
        } finally {
            c.job().finished(c.items());
        }
        publish(false);
    }

    // =============================================================================================
    // Progress
    // =============================================================================================

    private void recordSkip(SkippedFile s, boolean count) {
        if (count) {
            skipped.incrementAndGet();
        }
        synchronized (recentSkips) {
            recentSkips.addLast(s);
            while (recentSkips.size() > config.recentSkips()) {
                recentSkips.removeFirst();
            }
        }
        publish(false);
    }

    private IndexProgress snapshot() {
        return snapshot(null);
    }

    private IndexProgress snapshot(State finalState) {
        State state = finalState;
        if (state == null) {
            lock.lock();
            try {
                boolean running = busy && !(phase == State.DONE || phase == State.FAILED || phase == State.IDLE);
                state = running && cancelledRun ? State.CANCELLING : running && paused ? State.PAUSED : phase;
            } finally {
                lock.unlock();
            }
        }
        long d = done.get();
        long t = Math.max(total.get(), d);
        long s = skipped.get();
        double rate = rate();
        Duration eta = rate > 0 && t > d ? Duration.ofMillis((long) ((t - d) / rate * 1000)) : null;
        List<SkippedFile> skips;
        synchronized (recentSkips) {
            skips = List.copyOf(recentSkips);
        }
        boolean active = state == State.SCANNING || state == State.INDEXING || state == State.PAUSED;
        return new IndexProgress(state, d, t, s, rate, active ? eta : null, active ? currentFile : null, skips);
    }

    /** Embedded images per second over the recent window (sampled on each publish). */
    private double rate() {
        synchronized (rateSamples) {
            long now = clock.millis();
            rateSamples.addLast(new long[]{now, embedded.get()});
            long windowStart = now - config.rateWindow().toMillis();
            while (rateSamples.size() > 2 && rateSamples.peekFirst()[0] < windowStart) {
                rateSamples.removeFirst();
            }
            long[] first = rateSamples.peekFirst();
            long dt = now - first[0];
            return dt <= 0 ? 0 : (embedded.get() - first[1]) * 1000.0 / dt;
        }
    }

    /**
     * Sends a snapshot to the listeners: at most one per {@code progressInterval} unless {@code force}.
     * Snapshots are taken and delivered under one lock, so listeners see monotonic counts.
     */
    private void publishFinal(State state) {
        publishLock.lock();
        try {
            deliver(snapshot(state));
        } finally {
            publishLock.unlock();
        }
    }

    private void publish(boolean force) {
        long now = clock.millis();
        if (!force && now - lastPublishMillis < config.progressInterval().toMillis()) {
            return;
        }
        if (force) {
            publishLock.lock();
        } else if (!publishLock.tryLock()) {
            return;
        }
        try {
            lastPublishMillis = now;
            deliver(snapshot());
        } finally {
            publishLock.unlock();
        }
    }

    /** Called with publishLock held. */
    private void deliver(IndexProgress p) {
        last = p;
        for (IndexListener l : listeners) {
            try {
                l.onProgress(p);
            } catch (RuntimeException e) {
                log.warn("progress listener failed", e);
            }
        }
    }
}
