package io.ocular.engine;

import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;
import io.ocular.search.ExactIndex;
import io.ocular.search.FullVectors;
import io.ocular.search.IndexPolicy;
import io.ocular.search.MappedVectors;
import io.ocular.search.ScanPool;
import io.ocular.store.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Opens a model's full vectors for the engine (docs/decisions/0050, issue 13): on the heap ({@link ExactIndex},
 * loaded from the catalog) while the library is under {@link IndexPolicy#EXACT_MAX_FLOATS}, else memory-mapped
 * ({@link MappedVectors} in the model's index folder), so a large library's vectors cost page cache, not heap,
 * and opening does not read them. The mapped file is checked against the catalog at every open — by ids, which
 * is cheap — and brought in step (vectors missing from it are read one by one, those gone from the catalog
 * dropped); when it is missing, damaged or far out of step it is rewritten from the catalog, streamed.
 */
final class FullVectorTier {
    private static final Logger LOG = LoggerFactory.getLogger(FullVectorTier.class);

    private FullVectorTier() {
    }

    static FullVectors open(Catalog catalog, ModelInfo model, Path dir, ScanPool pool) {
        return open(catalog, model, dir, pool, IndexPolicy.exactMaxFloats());
    }

    /** As {@link #open(Catalog, ModelInfo, Path, ScanPool)} with another size threshold (tests). */
    static FullVectors open(Catalog catalog, ModelInfo model, Path dir, ScanPool pool, long exactMaxFloats) {
        if (catalog.model(model.id()).isEmpty()) { // not registered yet: no vectors (they are keyed by it)
            return new ExactIndex(model.dimension(), pool);
        }
        // with a vector file there, the catalog's ids (needed to check it) give the count: one walk of the
        // embeddings index instead of two (each ~1 s at 1M photos with a cold cache)
        long[] ids = Files.isRegularFile(dir.resolve(MappedVectors.BASE_FILE)) ? catalog.embeddingIds(model.id()) : null;
        long count = ids != null ? ids.length : catalog.countEmbeddings(model.id());
        if (!IndexPolicy.usesMappedVectors(count, model.dimension(), exactMaxFloats)) {
            dropStale(dir);
            return ExactIndex.of(catalog.loadEmbeddings(model.id()), pool);
        }
        try {
            MappedVectors mapped;
            try {
                mapped = MappedVectors.open(dir, model.dimension(), pool);
            } catch (NoSuchFileException e) {
                LOG.info("no vector file for {} yet ({} vectors); writing it from the catalog", model.id(), count);
                return write(catalog, model, dir, pool);
            } catch (IOException e) {
                LOG.warn("vector file of {} not usable ({}); writing it again from the catalog", model.id(),
                        e.getMessage());
                return write(catalog, model, dir, pool);
            }
            if (!reconcile(mapped, ids != null ? ids : catalog.embeddingIds(model.id()), catalog, model)) {
                mapped.close();
                return write(catalog, model, dir, pool);
            }
            if (mapped.pendingChanges() > Math.max(10_000, mapped.size() / 10)) {
                mapped.compact();
            }
            return mapped;
        } catch (IOException e) {
            throw new OcularException("Could not prepare the vector file in " + dir + ": " + e.getMessage()
                    + ". Check that the data folder is writable and has free space.", e);
        }
    }

    private static MappedVectors write(Catalog catalog, ModelInfo model, Path dir, ScanPool pool) throws IOException {
        long t0 = System.nanoTime();
        try {
            MappedVectors v = MappedVectors.create(dir, model.dimension(), pool, w ->
                    catalog.forEachEmbedding(model.id(), (id, vector) -> {
                        try {
                            w.append(id, vector);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }));
            LOG.info("wrote {} vectors of {} to {} in {} ms", v.size(), model.id(), dir,
                    (System.nanoTime() - t0) / 1_000_000);
            return v;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Brings {@code mapped} in step with the catalog's ids ({@code want}, ascending); false when they differ so much that rewriting the
     * file is cheaper (more than 5% or 50k vectors).
     */
    private static boolean reconcile(MappedVectors mapped, long[] want, Catalog catalog, ModelInfo model) {
        long[] have = mapped.ids();
        Arrays.sort(have);
        int i = 0;
        int j = 0;
        int missing = 0;
        int extra = 0;
        long budget = Math.min(50_000, Math.max(1000, want.length / 20));
        long[] toAdd = new long[16];
        while (i < want.length || j < have.length) {
            if (j == have.length || (i < want.length && want[i] < have[j])) {
                if (missing == toAdd.length) {
                    toAdd = Arrays.copyOf(toAdd, missing * 2);
                }
                toAdd[missing++] = want[i++];
            } else if (i == want.length || have[j] < want[i]) {
                mapped.remove(have[j++]);
                extra++;
            } else {
                i++;
                j++;
            }
            if (missing + extra > budget) {
                LOG.info("full vectors of {} far out of step with the catalog; rewriting them", model.id());
                return false;
            }
        }
        for (int a = 0; a < missing; a++) {
            long id = toAdd[a];
            catalog.embedding(id, model.id()).ifPresent(v -> mapped.add(id, v));
        }
        if (missing + extra > 0) {
            LOG.info("full vectors of {}: {} added, {} removed to match the catalog", model.id(), missing, extra);
        }
        return true;
    }

    /** Removes a vector file left from when the library was large (it would be stale if it grows again). */
    private static void dropStale(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(MappedVectors.BASE_FILE));
            Files.deleteIfExists(dir.resolve(MappedVectors.JOURNAL_FILE));
        } catch (IOException e) {
            LOG.debug("could not remove stale vector files in {}: {}", dir, e.getMessage());
        }
    }
}
