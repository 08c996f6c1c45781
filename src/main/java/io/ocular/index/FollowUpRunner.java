package io.ocular.index;

import io.ocular.model.ImageRecord;
import io.ocular.model.IndexProgress.State;
import io.ocular.model.OcularException;
import io.ocular.model.SkippedFile;
import io.ocular.store.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the {@link FollowUpPass}es at the end of a run, on the scheduler thread: for each enabled pass, the
 * INDEXED images without its data, its preparation (written first), then its data in batches, all writes
 * through the {@link CatalogWriter}. A pass yields to a cancel, to closing and to any newly queued command
 * (what it stored stays; the next run continues it).
 */
final class FollowUpRunner {
    private static final Logger LOG = LoggerFactory.getLogger(FollowUpRunner.class);

    private final List<FollowUpPass> passes;
    private final Catalog catalog;
    private final CatalogWriter writer;
    private final CommandScheduler scheduler;
    private final ProgressTracker progress;
    private final int batchSize;

    FollowUpRunner(List<FollowUpPass> passes, Catalog catalog, CatalogWriter writer, CommandScheduler scheduler,
                   ProgressTracker progress, int batchSize) {
        this.passes = List.copyOf(passes);
        this.catalog = catalog;
        this.writer = writer;
        this.scheduler = scheduler;
        this.progress = progress;
        this.batchSize = batchSize;
    }

    boolean isEmpty() {
        return passes.isEmpty();
    }

    /** The pass must stop: cancelled, closing, or a new command waits (the next run continues the pass). */
    private boolean mustYield(long gen) {
        return scheduler.generation() != gen || !scheduler.running() || scheduler.pending();
    }

    void run() throws InterruptedException {
        long gen = scheduler.generation();
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
                LOG.warn("{} pass cannot run: {}", pass.kind(), e.getMessage());
                progress.skip(new SkippedFile(null, e.getMessage()), false);
                continue;
            }
            if (prep.isEmpty() || mustYield(gen)) {
                continue;
            }
            FollowUpPass.Preparation p = prep.get();
            if (p.dropExisting() || !p.settings().isEmpty()) {
                writer.call(c -> {
                    if (p.dropExisting()) {
                        c.deleteImageData(pass.kind());
                    }
                    p.settings().forEach(c::putSetting);
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
        progress.phase(State.INDEXING);
        progress.found(pending.size());
        progress.publish(true);
        long start = System.nanoTime();
        long bytes = 0;
        int computed = 0;
        List<Map.Entry<Long, byte[]>> buffer = new ArrayList<>();
        for (ImageRecord r : pending) {
            scheduler.awaitNotPaused();
            if (mustYield(gen)) {
                break;
            }
            progress.current(r.path());
            progress.publish(false);
            try {
                byte[] blob = pass.compute(r);
                if (blob != null) {
                    buffer.add(Map.entry(r.id(), blob));
                    bytes += blob.length;
                    computed++;
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: no {} data: {}", r.path(), pass.kind(), e.toString());
            }
            progress.done(1);
            if (buffer.size() >= batchSize) {
                store(pass.kind(), buffer);
            }
        }
        store(pass.kind(), buffer);
        if (computed > 0) {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            LOG.info("{} pass: {} images in {} ms ({} ms/image, {} bytes/image)", pass.kind(), computed,
                    took.toMillis(), took.toMillis() / computed, bytes / computed);
            Map<String, String> summary = pass.summary(computed, bytes, took);
            if (!summary.isEmpty()) {
                writer.call(c -> {
                    summary.forEach(c::putSetting);
                    return null;
                });
            }
        }
    }

    private void store(String kind, List<Map.Entry<Long, byte[]>> buffer) throws InterruptedException {
        if (buffer.isEmpty()) {
            return;
        }
        List<Map.Entry<Long, byte[]>> batch = List.copyOf(buffer);
        buffer.clear();
        writer.call(c -> {
            for (Map.Entry<Long, byte[]> e : batch) {
                try {
                    c.putImageData(e.getKey(), kind, e.getValue());
                } catch (OcularException gone) {
                    LOG.debug("image {} left the catalog before its {} data was stored", e.getKey(), kind);
                }
            }
            return null;
        });
    }
}
