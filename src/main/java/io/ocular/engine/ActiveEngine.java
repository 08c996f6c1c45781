package io.ocular.engine;

import io.ocular.embed.ImageEncoder;
import io.ocular.embed.TextEncoder;
import io.ocular.index.Indexer;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;
import io.ocular.model.Query;
import io.ocular.model.SearchOptions;
import io.ocular.model.SearchResult;
import io.ocular.search.SearchService;
import io.ocular.search.VectorIndex;
import io.ocular.store.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The active model while the app runs, switchable without a restart (docs/decisions/0120-live-model-switch.md).
 *
 * <p>Each model in use is one {@link Generation}: its encoders, its own vector index and a search service
 * over both. A search runs entirely on the generation current when it starts, so vectors of two models are
 * never mixed. {@link #switchTo} opens the new generation, makes it current (the daemon's next job and every
 * new search use it; its run of the old model stops at the next file) and starts a full pass, which re-embeds
 * every image without a vector of the new model. The old generation's encoders are closed once the last
 * search or encoder call that holds it has finished (reference counted).
 *
 * <p>While the new model covers fewer photos than the library holds, searches answer from the photos it
 * covers and say so ("re-indexing with CLIP: 340 of 1,000 photos; results cover those so far").
 */
final class ActiveEngine implements SearchService, LiveIndexCatalog.Target, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveEngine.class);

    /** Opens the parts of one generation for a model: encoders, its index loaded from the catalog, search. */
    @FunctionalInterface
    interface Opener {
        Generation open(ModelInfo model);
    }

    private final Catalog catalog;
    private final Opener opener;
    private final IndexLifecycleListener events;
    private final AtomicReference<Generation> current;
    private volatile Indexer indexer;

    ActiveEngine(Catalog catalog, Generation first, Opener opener) {
        this(catalog, first, opener, new IndexLifecycleListener() { });
    }

    /**
     * @param events told of each switch once the new model is current
     */
    ActiveEngine(Catalog catalog, Generation first, Opener opener, IndexLifecycleListener events) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.events = Objects.requireNonNull(events, "events");
        this.current = new AtomicReference<>(Objects.requireNonNull(first, "first"));
    }

    /** The daemon that re-embeds after a switch (set once it exists: it needs {@link #indexingEncoder()}). */
    void attach(Indexer indexer) {
        this.indexer = indexer;
    }

    /** The current generation (its encoders may close once it is replaced; use for reading only). */
    Generation current() {
        return current.get();
    }

    ModelInfo model() {
        return current.get().model();
    }

    /** The catalog searches read (a shared library's may answer from this computer's copy). */
    Catalog catalog() {
        return catalog;
    }

    /** For the indexing daemon: the current generation's image encoder (guarded, see {@link Generation}). */
    ImageEncoder indexingEncoder() {
        return current.get().guardedImageEncoder();
    }

    @Override
    public VectorIndex indexOf(String modelId) {
        Generation g = current.get();
        return g.model().id().equals(modelId) ? g.index() : null;
    }

    @Override
    public VectorIndex index() {
        return current.get().index();
    }

    /**
     * Makes {@code model} the active one at once. A no-op when it already is.
     *
     * @throws OcularException when its encoders cannot be opened (the old model then stays active)
     */
    synchronized void switchTo(ModelInfo model) {
        Objects.requireNonNull(model, "model");
        Generation old = current.get();
        if (old.model().id().equals(model.id())) {
            return;
        }
        Generation next = opener.open(model); // may throw: the old model stays active and nothing is written
        try {
            record(model);
        } catch (RuntimeException e) {
            next.retire(); // closes its encoders: the old model stays active
            throw e;
        }
        current.set(next);
        LOG.info("active model is now {} ({} vectors already stored); re-indexing the rest in the background",
                model.id(), next.index().size());
        old.retire();
        events.modelSwitched(old.model(), model, next.index().size());
        Indexer d = indexer;
        if (d != null) {
            // The old model's run stops by itself at its next file (the daemon sees the encoder's model change;
            // queued commands such as a folder being added are kept); its committed vectors stay in the catalog.
            d.rescan(); // then a full pass re-embeds every image without a vector of the new model
        }
    }

    /**
     * Records the switch in the catalog (the model registered, its vectors are keyed by it, and made active):
     * through the indexing daemon, the catalog's one writer, once it is attached; directly only before that
     * (while the engine is being built nothing else writes) and in tests without a daemon.
     */
    private void record(ModelInfo model) {
        Indexer d = indexer;
        if (d != null) {
            d.activateModel(model);
        } else {
            catalog.registerModel(model);
            catalog.setActiveModelId(model.id());
        }
    }

    @Override
    public SearchResult search(Query query, int k) {
        return search(query, k, SearchOptions.DEFAULT);
    }

    /** Runs on the generation current when the search starts (its own verifying search, when asked). */
    @Override
    public SearchResult search(Query query, int k, SearchOptions options) {
        Generation g = acquire();
        try {
            SearchResult r = g.search().search(query, k, options);
            if (catalog instanceof FailoverCatalog f && f.awayNotice() != null) {
                String away = f.awayNotice(); // read from this computer's copy: say so, with any other notice
                return r.withNotice(r.notice() == null || r.notice().isBlank() ? away : away + "; " + r.notice());
            }
            return withCoverage(r, g);
        } finally {
            g.release();
        }
    }

    private Generation acquire() {
        while (true) {
            Generation g = current.get();
            if (g.tryAcquire()) {
                return g;
            }
            if (current.get() == g) {
                throw new OcularException("Ocular is shutting down; the search was not run.");
            }
            // replaced and closed between get and acquire: take the new one
        }
    }

    /** The indexed photos counted for {@link #withCoverage}: {covered when counted, count, when (ns)}. */
    private volatile long[] libraryCount;
    /** At most this long between two counts while the index's size does not change. */
    private static final long COUNT_TTL_NANOS = 30_000_000_000L;

    /**
     * The library's indexed photos, counted again only when the index's size changed since the last count (the
     * daemon adds and removes vectors as it indexes) or after {@link #COUNT_TTL_NANOS}: the count walks the
     * catalog's rows (0.1–1 s at 1M photos, issue 13), far too much for every search.
     */
    private long indexedPhotos(long covered) {
        long[] c = libraryCount;
        long now = System.nanoTime();
        if (c == null || c[0] != covered || now - c[2] > COUNT_TTL_NANOS) {
            c = new long[]{covered, catalog.countImages(ImageStatus.INDEXED), now};
            libraryCount = c;
        }
        return c[1];
    }

    /** Adds the coverage note while the model's vectors cover fewer photos than the library indexed. */
    private SearchResult withCoverage(SearchResult r, Generation g) {
        if (r.notice() != null && !r.notice().isBlank()) {
            return r;
        }
        long covered = g.index().size();
        long library = indexedPhotos(covered);
        if (covered >= library) {
            return r;
        }
        String note = coverageNotice(g.model().name(), covered, library);
        return r.withNotice(note);
    }

    static String coverageNotice(String modelName, long covered, long library) {
        return String.format(Locale.ROOT, "re-indexing with %s: %,d of %,d photos; results cover those so far",
                modelName, covered, library);
    }

    @Override
    public void close() {
        current.get().retire();
    }

    /**
     * One model's encoders, index and search. Reference counted: the engine holds one reference while it is
     * current, each search and each encoder call of the daemon one more; the encoders close when the count
     * drops to zero after {@link #retire()}. Calls that come after that fail with a clear message (the
     * daemon's run of that model has been cancelled by then; its batch stays pending for the new model).
     */
    static final class Generation {
        private final ModelInfo model;
        private final ImageEncoder imageEncoder;
        private final Optional<TextEncoder> textEncoder;
        private final VectorIndex index;
        private final SearchService search;
        private final AtomicInteger refs = new AtomicInteger(1);
        private final ImageEncoder guarded;

        /**
         * @param search built over exactly these encoders and this index (see {@link Opener})
         */
        Generation(ModelInfo model, ImageEncoder imageEncoder, Optional<TextEncoder> textEncoder, VectorIndex index,
                   Function<Generation, SearchService> search) {
            this.model = Objects.requireNonNull(model, "model");
            this.imageEncoder = Objects.requireNonNull(imageEncoder, "imageEncoder");
            this.textEncoder = Objects.requireNonNull(textEncoder, "textEncoder");
            this.index = Objects.requireNonNull(index, "index");
            this.search = Objects.requireNonNull(search.apply(this), "search");
            this.guarded = new Guarded();
        }

        ModelInfo model() {
            return model;
        }

        ImageEncoder imageEncoder() {
            return imageEncoder;
        }

        Optional<TextEncoder> textEncoder() {
            return textEncoder;
        }

        VectorIndex index() {
            return index;
        }

        SearchService search() {
            return search;
        }

        ImageEncoder guardedImageEncoder() {
            return guarded;
        }

        boolean tryAcquire() {
            while (true) {
                int n = refs.get();
                if (n <= 0) {
                    return false;
                }
                if (refs.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        void release() {
            if (refs.decrementAndGet() == 0) {
                closeEncoders();
            }
        }

        /** Drops the engine's own reference: the encoders close once the last user is done. */
        void retire() {
            release();
        }

        /** True once the encoders are closed (no reference left). */
        boolean closed() {
            return refs.get() <= 0;
        }

        private void closeEncoders() {
            LOG.info("closing the encoders of {}", model.id());
            if (index instanceof AutoCloseable c) { // stops background work on its compact codes
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("closing the index of {} failed", model.id(), e);
                }
            }
            try {
                imageEncoder.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the image encoder of {} failed", model.id(), e);
            }
            textEncoder.ifPresent(t -> {
                try {
                    t.close();
                } catch (RuntimeException e) {
                    LOG.warn("closing the text encoder of {} failed", model.id(), e);
                }
            });
        }

        /** The image encoder as the daemon sees it: each call holds a reference. */
        private final class Guarded implements ImageEncoder {
            @Override
            public String modelId() {
                return imageEncoder.modelId();
            }

            @Override
            public int dimension() {
                return imageEncoder.dimension();
            }

            @Override
            public int preferredShortSide() {
                return imageEncoder.preferredShortSide();
            }

            @Override
            public float[][] encode(List<BufferedImage> images) {
                if (!tryAcquire()) {
                    throw new OcularException("the model " + model.id() + " was switched off; this batch is indexed "
                            + "with the new model instead");
                }
                try {
                    return imageEncoder.encode(images);
                } finally {
                    release();
                }
            }

            @Override
            public boolean takesAnySize() {
                return imageEncoder.takesAnySize();
            }

            @Override
            public float[][] encode(List<BufferedImage> images, int shortSide) {
                if (!tryAcquire()) {
                    throw new OcularException("the model " + model.id() + " was switched off; this batch is indexed "
                            + "with the new model instead");
                }
                try {
                    return imageEncoder.encode(images, shortSide);
                } finally {
                    release();
                }
            }

            @Override
            public void close() {
                // owned by the generation
            }
        }
    }
}
