package io.ocular.index;

import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.SkippedFile;
import io.ocular.model.StorageException;
import io.ocular.store.Catalog;
import io.ocular.store.WorkClaims;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * The daemon's worker threads: each takes a real batch from the bounded work queue (whatever is queued, then
 * brief waits for the scanner to catch up), embeds it with the {@link BatchEmbedder} and hands the result to
 * the {@link CatalogWriter}. Every work item is accounted for exactly once: committed, dropped (cancelled,
 * folder removed) or lost to a failure, so {@link IndexJob#awaitDrained} always returns.
 */
final class EmbeddingWorkers {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingWorkers.class);

    private final BlockingQueue<WorkItem> work;
    private final List<Thread> threads = new ArrayList<>();
    private final int batchSize;
    private final CommandScheduler scheduler;
    private final BatchEmbedder embedder;
    private final CatalogWriter writer;
    private final ProgressTracker progress;
    private final StorageGuard storage;
    private final Predicate<IndexJob> cancelled;
    private final LongPredicate folderRemoved;
    private final WorkClaims claims;

    EmbeddingWorkers(int workers, int batchSize, CommandScheduler scheduler, BatchEmbedder embedder,
                     CatalogWriter writer, ProgressTracker progress, StorageGuard storage, Predicate<IndexJob> cancelled,
                     LongPredicate folderRemoved) {
        this(workers, batchSize, scheduler, embedder, writer, progress, storage, cancelled, folderRemoved,
                WorkClaims.EXCLUSIVE);
    }

    /**
     * @param claims how work is shared with the other computers of a shared library ({@link WorkClaims#EXCLUSIVE}
     *               for a catalog only this process writes)
     */
    EmbeddingWorkers(int workers, int batchSize, CommandScheduler scheduler, BatchEmbedder embedder,
                     CatalogWriter writer, ProgressTracker progress, StorageGuard storage,
                     Predicate<IndexJob> cancelled, LongPredicate folderRemoved, WorkClaims claims) {
        this.claims = claims;
        this.work = new ArrayBlockingQueue<>(batchSize * workers * 2);
        this.batchSize = batchSize;
        this.scheduler = scheduler;
        this.embedder = embedder;
        this.writer = writer;
        this.progress = progress;
        this.storage = storage;
        this.cancelled = cancelled;
        this.folderRemoved = folderRemoved;
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(this::loop, "ocular-index-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    boolean allStopped() {
        return threads.stream().noneMatch(Thread::isAlive);
    }

    /** Queues a file for its job, waiting for space (back-pressure on the scan) unless the job is cancelled. */
    void enqueue(WorkItem item) {
        try {
            while (!work.offer(item, 100, TimeUnit.MILLISECONDS)) {
                if (cancelled.test(item.job())) {
                    item.job().finished(1);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            item.job().finished(1);
        }
    }

    /** Drops everything queued (a cancel). */
    void dropQueued() {
        List<WorkItem> dropped = new ArrayList<>();
        work.drainTo(dropped);
        for (WorkItem item : dropped) {
            item.job().finished(1);
        }
    }

    /** Interrupts the threads and waits for them (the scheduler has stopped feeding them). */
    void stop() {
        threads.forEach(Thread::interrupt);
        threads.forEach(IndexingDaemon::join);
    }

    private void loop() {
        List<WorkItem> batch = new ArrayList<>(batchSize);
        while (scheduler.running()) {
            try {
                scheduler.awaitNotPaused();
                WorkItem first = work.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                while (batch.size() < batchSize) {
                    work.drainTo(batch, batchSize - batch.size());
                    if (batch.size() >= batchSize) {
                        break;
                    }
                    WorkItem next = work.poll(20, TimeUnit.MILLISECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                scheduler.awaitNotPaused(); // paused while the batch was filling: hold it, take nothing more
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

    /** Embeds one batch and hands it to the writer. */
    private void process(List<WorkItem> batch) {
        List<WorkItem> live = new ArrayList<>();
        for (WorkItem item : batch) {
            if (cancelled.test(item.job()) || folderRemoved.test(item.folderId())) {
                item.job().finished(1);
            } else {
                live.add(item);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        IndexJob job = live.get(0).job(); // one job is live at a time: every live item belongs to it
        live = claim(job, live);
        if (live.isEmpty()) {
            return;
        }
        EmbeddedBatch result;
        try {
            result = embedder.embed(job, live);
        } catch (StorageException e) {
            LOG.warn("a batch of {} files waits for the catalog: {}", live.size(), e.getMessage());
            job.finished(live.size()); // nothing was stored: the rescan after the pause redoes it
            storage.blocked(e);
            return;
        } catch (RuntimeException | Error e) {
            LOG.error("indexing worker failed on a batch", e);
            job.finished(live.size());
            return;
        }
        if (result == null) {
            job.finished(live.size()); // the model failed: nothing is marked, the batch stays pending
            return;
        }
        try {
            writer.enqueue(c -> commit(c, result));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: this batch is lost, the next run redoes it
            job.finished(live.size());
        }
    }

    /**
     * The items of a batch this computer may embed. In a shared library, files another computer stored meanwhile
     * are done, and files another computer is embedding now are deferred (the pass retries them once drained: by
     * then they are stored, or that computer's lease has run out and they are taken over). When the claim itself
     * fails (a lost connection) the whole batch is deferred.
     */
    private List<WorkItem> claim(IndexJob job, List<WorkItem> items) {
        if (claims == WorkClaims.EXCLUSIVE) {
            return items;
        }
        List<WorkClaims.FileVersion> files = new ArrayList<>(items.size());
        for (WorkItem item : items) {
            files.add(new WorkClaims.FileVersion(item.file().path(), item.file().size(), item.file().mtimeMillis()));
        }
        WorkClaims.Outcome outcome;
        try {
            outcome = claims.claim(job.encoder.modelId(), files);
        } catch (RuntimeException e) {
            LOG.warn("could not claim a batch of {} files; retrying later: {}", items.size(), e.getMessage());
            items.forEach(job::defer);
            job.finished(items.size());
            if (e instanceof StorageException s) {
                storage.blocked(s); // the server is away: paused until it answers, then rescanned
            }
            return List.of();
        }
        List<WorkItem> mine = new ArrayList<>(items.size());
        for (WorkItem item : items) {
            Path p = item.file().path();
            if (outcome.mine().contains(p)) {
                mine.add(item);
            } else {
                if (outcome.doneElsewhere().contains(p)) {
                    progress.done(1);
                } else {
                    job.defer(item);
                }
                job.finished(1);
            }
        }
        return mine;
    }

    /** On the writer thread: one batch in one transaction, then its progress. */
    private Void commit(Catalog c, EmbeddedBatch batch) {
        try {
            if (!storage.roomToWrite()) {
                return null; // the disk is about full: paused; the rescan after it redoes this batch
            }
            EmbeddedBatch.Applied applied = batch.apply(c, folderRemoved);
            progress.moved(applied.moves());
            ImageRecord previous = null;
            for (ImageRecord r : applied.records()) {
                ImageRecord before = previous;
                previous = r;
                if (r.isMoment()) {
                    if (before == null || !before.path().equals(r.path())) {
                        progress.embedded(1); // a video re-embedded from its kept frames: its moments only
                    }
                    continue; // otherwise counted with its video
                }
                if (r.status() == ImageStatus.SKIPPED) {
                    progress.skip(new SkippedFile(r.path(), r.skipReason()), true);
                } else {
                    progress.embedded(1);
                    if (r.id() == 0) {
                        progress.fresh(1);
                    }
                }
            }
            progress.done(batch.items());
        } catch (StorageException e) {
            storage.blocked(e); // all-or-nothing: nothing of the batch was written; redone after the pause
        } catch (RuntimeException e) {
            if (storage.explains(e)) {
                return null; // the data folder went read-only or full: paused; redone after the pause
            }
            LOG.error("could not save a batch of {} images", batch.items(), e);
            scheduler.failed();
            progress.skip(new SkippedFile(null, "could not save to the catalog: " + e.getMessage()), false);
        } finally {
            batch.job().finished(batch.items());
        }
        progress.publish(false);
        return null;
    }
}
