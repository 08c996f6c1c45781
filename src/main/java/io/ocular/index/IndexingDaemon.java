package io.ocular.index;
// Longer than 600 lines: the daemon's one writer loop (scan, diff, offline drives, videos, storage pauses,
// shared-library claims) reads best in one place; its parts (FolderDiff, EmbeddingWorkers, CatalogWriter) are split.

import io.ocular.embed.ImageEncoder;
import io.ocular.index.CommandScheduler.Command;
import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.IndexProgress;
import io.ocular.model.IndexProgress.State;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import io.ocular.model.SkippedFile;
import io.ocular.model.StorageException;
import io.ocular.store.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The background indexer (see docs/decisions/0020-indexing-daemon.md), assembled from its parts:
 * {@link CommandScheduler} (the command queue, pause, cancel, idleness), {@link FolderDiff} (what a scan
 * means for the catalog), {@link BatchEmbedder} (hash, move detection, decode, embed with the one-by-one
 * fallback), {@link CatalogWriter} (the one thread that writes the catalog), {@link ProgressTracker} and
 * {@link FollowUpRunner}; {@link LibraryWatch} turns file system events into folder scans.
 *
 * <p>Threads: the <b>scheduler</b> runs commands one at a time and walks folders, feeding a bounded work
 * queue; <b>N workers</b> take real batches from it and embed them; exactly <b>one writer</b> applies every
 * catalog write (batches in one transaction each, moves, deletions, folder changes, settings, model switches).
 * Bounded queues give back-pressure end to end.
 *
 * <p>Incremental and resumable: the catalog is the truth, so after a crash or kill the next pass redoes exactly
 * the batches that were not committed. Records whose files are gone are deleted at the end of a complete pass,
 * never under a folder that could not be read (a disconnected drive loses nothing).
 */
public final class IndexingDaemon implements Indexer {
    private static final Logger LOG = LoggerFactory.getLogger(IndexingDaemon.class);
    /** How often files another computer holds are claimed again. */
    static final Duration CLAIM_RETRY = Duration.ofSeconds(1);

    /**
     * Tuning.
     *
     * @param workers          decode+embed threads
     * @param batchSize        images per encoder call and per catalog transaction
     * @param progressInterval minimum time between two progress events (final states are always sent)
     * @param recentSkips      how many recent skips a progress snapshot carries
     * @param rateWindow       window over which images/s is measured
     * @param watchDebounce    quiet time before a change in a watched library folder is scanned; null: the
     *                         library folders are not watched (changes show up at the next rescan)
     * @param storage          the data folder's disk, checked for room before writes; null: not checked (a
     *                         write that fails for lack of space or write access still pauses indexing)
     */
    public record Config(int workers, int batchSize, Duration progressInterval, int recentSkips, Duration rateWindow,
                         Duration watchDebounce, StorageCheck storage) {
        public Config {
            if (workers < 1 || batchSize < 1 || recentSkips < 0) {
                throw new IllegalArgumentException("workers and batch size must be positive");
            }
        }

        /** One worker per core, batches of 16, library folders watched with a one-second debounce. */
        public static Config defaults() {
            return new Config(Runtime.getRuntime().availableProcessors(), 16, Duration.ofMillis(50), 20,
                    Duration.ofSeconds(10), Duration.ofSeconds(1), null);
        }

        public Config withWorkers(int n) {
            return new Config(n, batchSize, progressInterval, recentSkips, rateWindow, watchDebounce, storage);
        }

        public Config withBatchSize(int n) {
            return new Config(workers, n, progressInterval, recentSkips, rateWindow, watchDebounce, storage);
        }

        /** Library folders watched with this debounce, or not at all when null. */
        public Config withWatching(Duration debounce) {
            return new Config(workers, batchSize, progressInterval, recentSkips, rateWindow, debounce, storage);
        }

        /** The data folder's disk checked: indexing pauses when it is about full and resumes with space. */
        public Config withStorageCheck(StorageCheck check) {
            return new Config(workers, batchSize, progressInterval, recentSkips, rateWindow, watchDebounce, check);
        }
    }

    // ---- collaborators ----
    private final Catalog catalog; // read here; written only through the writer
    private final Supplier<ImageEncoder> encoders;
    private final FolderScanner scanner;
    private final FileAccess files;
    private final boolean videosReadable;

    // ---- parts ----
    private final CommandScheduler scheduler;
    private final ProgressTracker progress;
    private final CatalogWriter writer;
    private final FollowUpRunner followUps;
    private final LibraryWatch watch;
    private final StorageGuard storage;

    private final EmbeddingWorkers workers;
    private final Thread schedulerThread;
    private final Set<Long> removedFolders = ConcurrentHashMap.newKeySet();
    private final Set<Path> watched = ConcurrentHashMap.newKeySet();
    private final Set<Path> offline = ConcurrentHashMap.newKeySet();

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
        this(catalog, encoders, decoder, hasher, scanner, files, clock, config, passes,
                VideoFrames.system(VideoFrames.Config.DEFAULT));
    }

    /**
     * @param videos reads the moments of videos (decision 0140); null when ffmpeg is missing: videos are then
     *               recorded as skipped with the reason, and retried once a daemon with ffmpeg scans them
     */
    public IndexingDaemon(Catalog catalog, Supplier<ImageEncoder> encoders, ImageDecoder decoder,
                          ContentHasher hasher, FolderScanner scanner, FileAccess files, Clock clock, Config config,
                          List<FollowUpPass> passes, VideoFrames videos) {
        this.videosReadable = videos != null;
        this.catalog = Objects.requireNonNull(catalog);
        this.encoders = Objects.requireNonNull(encoders);
        this.scanner = Objects.requireNonNull(scanner);
        this.files = Objects.requireNonNull(files);
        Objects.requireNonNull(config);
        ProgressTracker[] tracker = new ProgressTracker[1];
        this.scheduler = new CommandScheduler(() -> tracker[0].reset());
        this.progress = new ProgressTracker(Objects.requireNonNull(clock), config.progressInterval(),
                config.recentSkips(), config.rateWindow(), scheduler::displayed);
        tracker[0] = progress;
        EmbeddingWorkers[] pool = new EmbeddingWorkers[1];
        this.writer = new CatalogWriter(catalog, config.workers() * 2 + 2, () -> pool[0].allStopped());
        BatchEmbedder embedder = new BatchEmbedder(catalog, Objects.requireNonNull(hasher), Objects.requireNonNull(decoder),
                files, new BatchEmbedder.Events() {
                    @Override
                    public void current(Path file) {
                        progress.current(file);
                        progress.publish(false);
                    }

                    @Override
                    public void modelFailed(IndexJob job, String message) {
                        if (!isCancelled(job)) { // a cancelled run's model may have been switched off and closed
                            progress.skip(new SkippedFile(null, message), false);
                        }
                    }
                }, videos);
        this.storage = new StorageGuard(config.storage(), files, scheduler, progress, this::rescan,
                catalog::reachable);
        this.workers = new EmbeddingWorkers(config.workers(), config.batchSize(), scheduler, embedder, writer,
                progress, storage, this::isCancelled, removedFolders::contains, catalog.claims());
        pool[0] = workers;
        this.followUps = new FollowUpRunner(passes, catalog, writer, scheduler, progress, config.batchSize());
        this.watch = config.watchDebounce() == null ? null
                : new LibraryWatch(this::rescan, this::rescan, config.watchDebounce());
        this.schedulerThread = new Thread(this::schedulerLoop, "ocular-index-scheduler");
        // started last: every field above is assigned (Thread.start happens-before the thread's actions)
        schedulerThread.setDaemon(true);
        schedulerThread.start();
        writer.start();
        workers.start();
        for (FolderRecord f : catalog.folders()) {
            startWatching(f.path());
        }
    }

    // =============================================================================================
    // Indexer API
    // =============================================================================================

    @Override
    public void addFolder(Path folder) {
        scheduler.submit(new Command.AddFolder(normalise(folder)), false);
    }

    @Override
    public void removeFolder(Path folder) {
        Path p = normalise(folder);
        for (FolderRecord f : catalog.folders()) {
            if (f.path().equals(p)) {
                removedFolders.add(f.id()); // workers and the writer drop its work from now on
                stopWatching(f.path());
                scheduler.submit(new Command.RemoveFolder(f.id()), true);
                return;
            }
        }
        LOG.warn("not a library folder, nothing removed: {}", p);
    }

    @Override
    public void rescan() {
        scheduler.submit(new Command.Scan(null), false);
    }

    @Override
    public void rescan(Path subtree) {
        scheduler.submit(new Command.Scan(normalise(subtree)), false);
    }

    @Override
    public void runFollowUpPasses() {
        if (!followUps.isEmpty()) {
            scheduler.submit(new Command.FollowUp(), false);
        }
    }

    @Override
    public void putSetting(String key, String value) {
        Objects.requireNonNull(key, "key");
        writeNow("the setting " + key + " was not saved", c -> {
            c.putSetting(key, value);
            return null;
        });
    }

    @Override
    public void activateModel(ModelInfo model) {
        Objects.requireNonNull(model, "model");
        writeNow("the model " + model.id() + " was not made active", c -> {
            c.registerModel(model);
            c.setActiveModelId(model.id());
            return null;
        });
    }

    private void writeNow(String whatIsLost, CatalogWriter.Write<?> body) {
        if (!scheduler.running()) {
            throw new OcularException("The indexer is shut down; " + whatIsLost + ".");
        }
        try {
            writer.call(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OcularException("Interrupted; " + whatIsLost + ".", e);
        }
    }

    @Override
    public void pause() {
        scheduler.pause(true);
        progress.publish(true);
    }

    @Override
    public void resume() {
        if (storage.isBlocked()) { // paused for lack of space or write access: lifted by the check, not here
            storage.retryNow();
            progress.publish(true);
            return;
        }
        scheduler.pause(false);
        progress.publish(true);
    }

    @Override
    public void cancel() {
        if (!scheduler.cancel()) {
            return;
        }
        workers.dropQueued();
        progress.publish(true);
    }

    @Override
    public IndexProgress progress() {
        return progress.snapshot();
    }

    @Override
    public void addListener(IndexListener listener) {
        progress.addListener(listener);
    }

    @Override
    public void removeListener(IndexListener listener) {
        progress.removeListener(listener);
    }

    @Override
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return scheduler.awaitIdle(timeout);
    }

    /** Waits until the folders known so far are watched (tests); a no-op without watching. */
    void awaitWatching(Duration timeout) throws InterruptedException {
        if (watch != null) {
            watch.awaitRegistered(timeout);
        }
    }

    @Override
    public void close() {
        if (!scheduler.running()) {
            return;
        }
        if (watch != null) {
            watch.close();
        }
        cancel();
        scheduler.close();
        schedulerThread.interrupt();
        join(schedulerThread);
        storage.close();
        workers.stop();
        writer.close(); // commits what workers finished, then ends
    }

    static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("{} did not stop within 30 s", t.getName());
        }
    }

    private static Path normalise(Path p) {
        return p.toAbsolutePath().normalize();
    }

    private void startWatching(Path folder) {
        if (watch != null && watched.add(folder)) {
            watch.watch(folder);
        }
    }

    private void stopWatching(Path folder) {
        if (watch != null && watched.remove(folder)) {
            watch.unwatch(folder);
        }
    }

    // =============================================================================================
    // Scheduler thread
    // =============================================================================================

    private void schedulerLoop() {
        while (scheduler.running()) {
            Command command;
            try {
                command = scheduler.take();
            } catch (InterruptedException e) {
                continue;
            }
            if (command == null) {
                return;
            }
            try {
                execute(command);
                if (!followUps.isEmpty() && !scheduler.cancelledRun() && scheduler.running() && !scheduler.pending()) {
                    followUps.run();
                }
            } catch (InterruptedException e) {
                if (!scheduler.running()) {
                    return;
                }
            } catch (StorageException e) {
                storage.blocked(e); // a follow-up write on a full or read-only disk: paused, not failed
            } catch (RuntimeException e) {
                LOG.error("indexing step failed: {}", command, e);
                scheduler.failed();
                progress.skip(new SkippedFile(null, "indexing failed: " + e.getMessage()), false);
            }
            State fin = scheduler.finalState();
            if (fin != null) {
                progress.phase(fin);
                progress.publishFinal(fin); // the final state reaches listeners before awaitIdle returns
                scheduler.idleIfDrained();
            }
        }
    }

    private void execute(Command command) throws InterruptedException {
        if (command instanceof Command.RemoveFolder rf) {
            writer.call(c -> {
                c.removeFolder(rf.folderId());
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
                LOG.info("{} is already inside library folder {}", path, f.path());
                runJob(List.of(new Target(f, path)));
                return;
            }
        }
        if (!files.exists(path)) {
            progress.skip(new SkippedFile(path, "folder not found"), false);
            return;
        }
        List<FolderRecord> children = existing.stream().filter(f -> realPath(f.path()).startsWith(real)).toList();
        FolderRecord parent = writer.call(c -> {
            FolderRecord added = c.addFolder(path);
            for (FolderRecord child : children) {
                for (ImageRecord img : c.imagesInFolder(child.id())) {
                    c.moveImage(img.id(), added.id(), img.path(), img.size(), img.mtimeMillis());
                }
                c.removeFolder(child.id());
            }
            return added;
        });
        children.forEach(child -> stopWatching(child.path()));
        startWatching(parent.path());
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

    /** A library folder cannot be reached: reported, nothing of it deleted, watched again once it is back. */
    private void markOffline(Path folder) {
        if (offline.contains(folder) && progress.isOffline(folder)) {
            return;
        }
        LOG.warn("library folder {} is offline: nothing of it is deleted", folder);
        offline.add(folder);
        progress.offline(folder);
        stopWatching(folder);
    }

    @Override
    public Set<Path> offlineFolders() {
        return Set.copyOf(offline);
    }

    private boolean isCancelled(IndexJob job) {
        return job.generation != scheduler.generation() || job.hasModelFailed() || !scheduler.running()
                || modelSwitched(job);
    }

    /** The active model changed since this job started: its work is redone by the next pass with the new one. */
    private boolean modelSwitched(IndexJob job) {
        ImageEncoder now = encoders.get();
        return now != null && !now.modelId().equals(job.encoder.modelId());
    }

    /**
     * Files another computer of a shared library held when claimed: retried every {@link #CLAIM_RETRY} until each is
     * stored by that computer or taken over here once its lease has run out.
     */
    private void retryDeferred(IndexJob job) throws InterruptedException {
        List<WorkItem> retry;
        while (!isCancelled(job) && !(retry = job.takeDeferred()).isEmpty()) {
            LOG.info("{} files are being indexed by another computer; checking again in {}", retry.size(), CLAIM_RETRY);
            Thread.sleep(CLAIM_RETRY.toMillis());
            for (WorkItem item : retry) {
                job.added();
                workers.enqueue(item);
            }
            job.awaitDrained();
        }
    }

    /** One pass over some folders: diff each against the catalog, feed the workers, then delete what vanished. */
    private void runJob(List<Target> targets) throws InterruptedException {
        if (targets.isEmpty()) {
            return;
        }
        ImageEncoder encoder = encoders.get();
        if (encoder == null) {
            scheduler.failed();
            progress.skip(new SkippedFile(null, "no image model is available: indexing waits for one"), false);
            return;
        }
        if (catalog.model(encoder.modelId()).isEmpty()) {
            writer.call(c -> {
                c.registerModel(new ModelInfo(encoder.modelId(), encoder.modelId(), ModelKind.IMAGE,
                        encoder.dimension(), ""));
                return null;
            });
        }
        IndexJob job = new IndexJob(scheduler.generation(), encoder);
        Set<Long> withoutVector = new HashSet<>(catalog.imagesWithoutEmbedding(encoder.modelId()));
        List<ImageRecord> vanished = new ArrayList<>();
        progress.phase(State.SCANNING);
        progress.publish(true);
        for (Target target : targets) {
            long folderId = target.folder().id();
            if (removedFolders.contains(folderId)) {
                continue;
            }
            Path folderPath = target.folder().path();
            List<ImageRecord> known = catalog.imagesInFolder(folderId);
            if (FolderScanner.looksOffline(folderPath, !known.isEmpty(), files)) {
                markOffline(folderPath);
                continue;
            }
            FolderDiff diff = new FolderDiff(target.root(), known, withoutVector,
                    videosReadable ? FolderDiff::skippedForLackOfFfmpeg : r -> false);
            FolderScanner.Summary summary = scanner.scan(target.root(), new FolderScanner.Sink() {
                @Override
                public void file(FolderScanner.FoundFile f) {
                    progress.found(1);
                    if (diff.file(f) instanceof FolderDiff.Action.Index index) {
                        job.added();
                        workers.enqueue(new WorkItem(index.file(), index.known(), folderId, job));
                    } else {
                        progress.done(1);
                        progress.publish(false);
                    }
                }

                @Override
                public void skipped(SkippedFile s) {
                    diff.unreadable(s.path());
                    progress.skip(s, true);
                }
            }, () -> isCancelled(job) || removedFolders.contains(folderId));
            if (isCancelled(job)) {
                break;
            }
            List<ImageRecord> lost = summary.complete() ? diff.vanished() : List.of();
            if (FolderScanner.looksOffline(folderPath, !known.isEmpty(), files)
                    || (summary.files() == 0 && !lost.isEmpty() && target.root().equals(folderPath))) {
                markOffline(folderPath); // went away during the scan: nothing of it counts as vanished
            } else if (summary.complete()) {
                vanished.addAll(lost);
                offline.remove(folderPath);
                startWatching(folderPath);
            }
        }
        progress.phase(State.INDEXING);
        progress.publish(true);
        job.awaitDrained();
        retryDeferred(job);
        if (!isCancelled(job)) {
            Set<Long> unreachable = new HashSet<>(); // a drive that went away since its scan: nothing deleted
            for (Target t : targets) {
                Path p = t.folder().path();
                if (!vanished.isEmpty() && (offline.contains(p) || FolderScanner.looksOffline(p, true, files))) {
                    markOffline(p);
                    unreachable.add(t.folder().id());
                }
            }
            List<Long> gone = vanished.stream()
                    .filter(r -> !unreachable.contains(r.folderId()))
                    .filter(r -> !job.claimedByMove.contains(r.id())
                            && (!files.exists(r.path()) || FolderScanner.isShadowedRaw(r.path(), files)))
                    .map(ImageRecord::id).toList();
            if (!gone.isEmpty()) {
                writer.call(c -> {
                    c.deleteImages(gone);
                    return null;
                });
                progress.removed(gone.size());
                LOG.info("removed {} images whose files are gone", gone.size());
            }
        }
        if (job.hasModelFailed()) {
            scheduler.failed();
        }
    }
}
