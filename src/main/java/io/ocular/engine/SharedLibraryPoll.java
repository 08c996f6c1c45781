package io.ocular.engine;

import io.ocular.model.ModelInfo;
import io.ocular.search.ServerVectorIndex;
import io.ocular.search.VectorIndex;
import io.ocular.store.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A running window of a shared library sees the photos other computers add: every {@link #EVERY_SECONDS} seconds
 * the server's list of vector ids of the active model (8 bytes a photo) is compared with the last one, and the
 * vectors that came are added to this computer's index, those that went are removed. Polling rather than
 * LISTEN/NOTIFY: it needs nothing of the server (PGlite and poolers do not pass notifications), and a missed
 * notification cannot leave the index behind. Nothing to do where the server searches itself (pgvector: every
 * computer's vectors are searched there at once). One daemon thread; closed with the engine.
 */
final class SharedLibraryPoll implements IndexLifecycleListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedLibraryPoll.class);
    static final long EVERY_SECONDS = 5;
    /** At most this many new vectors are read in one poll (the next poll reads on). */
    static final int MAX_PER_POLL = 20_000;

    private final Catalog catalog;
    private final Supplier<ModelInfo> model;
    private final Supplier<VectorIndex> index;
    private final ScheduledExecutorService timer;
    private String seenModel;
    private long[] seen;
    /** Vectors this computer committed since the last poll: already in the index, not read again. */
    private final Set<Long> ours = ConcurrentHashMap.newKeySet();

    /**
     * @param catalog the shared library (read only here)
     * @param model   the active model now
     * @param index   its index now (searches use it)
     */
    SharedLibraryPoll(Catalog catalog, Supplier<ModelInfo> model, Supplier<VectorIndex> index) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.model = Objects.requireNonNull(model, "model");
        this.index = Objects.requireNonNull(index, "index");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ocular-library-poll");
            t.setDaemon(true);
            return t;
        });
    }

    /** Takes the ids the index was just loaded from as seen, then polls in the background. */
    SharedLibraryPoll start() {
        remember();
        timer.scheduleWithFixedDelay(() -> {
            try {
                poll();
            } catch (RuntimeException e) {
                LOG.debug("polling the shared library failed (tried again): {}", e.getMessage());
            }
        }, EVERY_SECONDS, EVERY_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    private void remember() {
        if (index.get() instanceof ServerVectorIndex) {
            return; // nothing to follow: the server searches every computer's vectors
        }
        try {
            ModelInfo m = model.get();
            long[] ids = catalog.embeddingIds(m.id());
            synchronized (this) {
                seenModel = m.id();
                seen = ids;
                ours.clear();
            }
        } catch (RuntimeException e) {
            LOG.debug("cannot list the shared library's vectors yet: {}", e.getMessage());
        }
    }

    /**
     * One comparison with the server: adds the vectors other computers stored since the last one, removes those
     * they deleted. Returns how many changed.
     */
    synchronized int poll() {
        ModelInfo m = model.get();
        VectorIndex idx = index.get();
        if (idx instanceof ServerVectorIndex) {
            return 0; // the server searches every computer's vectors itself
        }
        if (!m.id().equals(seenModel) || seen == null) {
            remember(); // a model switch loads the new model's index from the catalog: start from there
            return 0;
        }
        long[] now = catalog.embeddingIds(m.id());
        int changed = 0;
        int added = 0;
        int i = 0;
        int j = 0;
        long[] kept = now;
        while (i < seen.length || j < now.length) {
            if (j >= now.length || (i < seen.length && seen[i] < now[j])) {
                idx.remove(seen[i++]); // deleted on another computer
                changed++;
            } else if (i >= seen.length || now[j] < seen[i]) {
                long id = now[j];
                if (added == MAX_PER_POLL) {
                    kept = withoutFrom(now, j); // the rest next time
                    break;
                }
                Optional<float[]> v = ours.remove(id) ? Optional.empty() : catalog.embedding(id, m.id());
                if (v.isPresent() && v.get().length == idx.dimension()) {
                    idx.add(id, v.get());
                    added++;
                    changed++;
                }
                j++;
            } else {
                i++;
                j++;
            }
        }
        seen = kept;
        if (changed > 0) {
            LOG.info("the shared library changed on other computers: {} vectors added, {} removed", added,
                    changed - added);
        }
        return changed;
    }

    /** {@code ids} without the new ids from {@code from} on (they stay unseen), keeping the old ones there. */
    private long[] withoutFrom(long[] ids, int from) {
        long cut = ids[from];
        long[] head = Arrays.copyOf(ids, from);
        long[] oldTail = Arrays.stream(seen).filter(x -> x > cut).toArray();
        long[] out = Arrays.copyOf(head, head.length + oldTail.length);
        System.arraycopy(oldTail, 0, out, head.length, oldTail.length);
        return out;
    }

    /** This computer's own commits reach the index directly ({@link LiveIndexCatalog}). */
    @Override
    public void vectorsAdded(String modelId, List<Long> ids, List<float[]> vectors) {
        if (modelId.equals(seenModel)) {
            ours.addAll(ids);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
