package io.ocular.app;

import io.ocular.embed.ImageEncoder;
import io.ocular.index.Indexer;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;
import io.ocular.search.SearchService;
import io.ocular.search.VectorIndex;
import io.ocular.store.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The composition root: everything one data directory needs, wired by constructor injection, for the CLI
 * and the desktop window. Closing it stops the daemon and closes encoders and the catalog (committed work
 * stays).
 */
public final class Ocular implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ocular.class);

    private final AppPaths paths;
    private final Catalog catalog;
    private final ModelInfo activeModel;
    private final ImageEncoder imageEncoder;
    private final VectorIndex index;
    private final Indexer indexer;
    private final SearchService search;
    /** Closed in this order by {@link #close()}. */
    private final List<AutoCloseable> resources;

    public Ocular(AppPaths paths, Catalog catalog, ModelInfo activeModel, ImageEncoder imageEncoder, VectorIndex index,
                  Indexer indexer, SearchService search, List<AutoCloseable> resources) {
        this.paths = Objects.requireNonNull(paths, "paths");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.activeModel = Objects.requireNonNull(activeModel, "activeModel");
        this.imageEncoder = Objects.requireNonNull(imageEncoder, "imageEncoder");
        this.index = Objects.requireNonNull(index, "index");
        this.indexer = Objects.requireNonNull(indexer, "indexer");
        this.search = Objects.requireNonNull(search, "search");
        this.resources = List.copyOf(resources);
    }

    /**
     * Opens the data directory with the active model of its catalog (builtin-v1 on a fresh install).
     *
     * @param modelId the model to make active first, or null to keep the catalog's
     */
    public static Ocular open(AppPaths paths, String modelId) {
        // TODO(cli): wire SqliteCatalog, ModelStore, encoders, ExactIndex, IndexingDaemon, DefaultSearchService
        // and ThumbnailCache once those branches are merged.
        throw new OcularException("This build of Ocular has no engine wired yet.");
    }

    public AppPaths paths() {
        return paths;
    }

    public Catalog catalog() {
        return catalog;
    }

    public ModelInfo activeModel() {
        return activeModel;
    }

    public ImageEncoder imageEncoder() {
        return imageEncoder;
    }

    public VectorIndex index() {
        return index;
    }

    public Indexer indexer() {
        return indexer;
    }

    public SearchService search() {
        return search;
    }

    @Override
    public void close() {
        List<Exception> failures = new ArrayList<>();
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                failures.add(e);
                LOG.warn("closing {} failed", r, e);
            }
        }
        if (!failures.isEmpty()) {
            OcularException ex = new OcularException("Ocular did not shut down cleanly: " + failures.get(0).getMessage(),
                    failures.get(0));
            failures.stream().skip(1).forEach(ex::addSuppressed);
            throw ex;
        }
    }
}
