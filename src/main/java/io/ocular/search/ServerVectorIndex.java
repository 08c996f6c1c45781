package io.ocular.search;

import io.ocular.model.ModelInfo;
import io.ocular.model.ScoredId;
import io.ocular.model.SearchScope;
import io.ocular.model.StorageException;
import io.ocular.store.ServerVectors;
import io.ocular.store.VectorHit;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The active model's vectors where the catalog's server searches them itself (PostgreSQL with pgvector: HNSW,
 * cosine, iterative scans with the folder and date filters in SQL): nothing is loaded into this computer's
 * memory. Vectors are added by committing them to the catalog (every computer's commits count), so
 * {@link #add}/{@link #remove} only note that the count changed. A search filter made from a scope
 * ({@link ScopeFilter}, excluded ids) goes to the server whole; any other filter is applied by asking for more.
 * While the server cannot be reached, searches go to this computer's copy of the vectors where there is one.
 */
public final class ServerVectorIndex implements VectorIndex {
    /** How long a vector count is reused (status and each search ask for it). */
    static final long COUNT_TTL_NANOS = 2_000_000_000L;

    private final ServerVectors server;
    private final ModelInfo model;
    private final Supplier<VectorIndex> away;
    private final LongSupplier clock;
    private volatile long counted = -1;
    private volatile long countedAt;

    public ServerVectorIndex(ServerVectors server, ModelInfo model) {
        this(server, model, () -> null);
    }

    /**
     * @param away the index searched while the server cannot be reached (this computer's copy of the vectors),
     *             or null from the supplier when there is none (searches then fail with the server's message)
     */
    public ServerVectorIndex(ServerVectors server, ModelInfo model, Supplier<VectorIndex> away) {
        this(server, model, away, System::nanoTime);
    }

    ServerVectorIndex(ServerVectors server, ModelInfo model, Supplier<VectorIndex> away, LongSupplier clock) {
        this.server = Objects.requireNonNull(server, "server");
        this.model = Objects.requireNonNull(model, "model");
        this.away = Objects.requireNonNull(away, "away");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The copy to search while the server is away, else the server's failure. */
    private VectorIndex whileAway(StorageException e) {
        if (e.problem() != StorageException.Problem.UNREACHABLE) {
            throw e;
        }
        VectorIndex copy = away.get();
        if (copy == null) {
            throw e;
        }
        return copy;
    }

    /** For status: "server: pgvector 0.8.0 (HNSW cosine, searched on the server)". */
    public String describe() {
        return "server: " + server.describe();
    }

    @Override
    public int dimension() {
        return model.dimension();
    }

    /** The server's count of the model's vectors, at most {@link #COUNT_TTL_NANOS} old. */
    @Override
    public int size() {
        long now = clock.getAsLong();
        long n = counted;
        if (n < 0 || now - countedAt > COUNT_TTL_NANOS) {
            try {
                n = server.count(model.id());
            } catch (StorageException e) {
                return whileAway(e).size();
            }
            counted = n;
            countedAt = now;
        }
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    /** Already on the server (committed with its batch): only the count is asked again. */
    @Override
    public void add(long id, float[] vector) {
        if (vector.length != model.dimension() || !VectorMath.isFinite(vector)) {
            throw new IllegalArgumentException("a vector of " + model.id() + " must have " + model.dimension()
                    + " finite values (got " + vector.length + ")");
        }
        counted = -1;
    }

    @Override
    public boolean remove(long id) {
        counted = -1;
        return true;
    }

    @Override
    public List<ScoredId> search(float[] query, int k) {
        try {
            return ask(query, k, SearchScope.ALL);
        } catch (StorageException e) {
            return whileAway(e).search(query, k);
        }
    }

    @Override
    public List<ScoredId> search(float[] query, int k, SearchFilter filter) {
        SearchScope scope = scopeOf(filter, SearchScope.ALL);
        if (scope == null) { // a filter the server cannot take: ask for more and filter here
            return VectorIndex.super.search(query, k, filter);
        }
        try {
            return ask(query, k, scope);
        } catch (StorageException e) {
            return whileAway(e).search(query, k, filter);
        }
    }

    private List<ScoredId> ask(float[] query, int k, SearchScope scope) {
        if (k < 0) {
            throw new IllegalArgumentException("k must not be negative: " + k);
        }
        if (k == 0) {
            return List.of();
        }
        List<VectorHit> hits = server.search(model.id(), query, k, scope);
        return hits.stream().map(h -> new ScoredId(h.imageId(), (float) h.similarity())).toList();
    }

    /**
     * The scope a filter amounts to (folders, dates, excluded ids) added to {@code into}, or null when it holds
     * anything else (a predicate, a bit set).
     */
    static SearchScope scopeOf(SearchFilter filter, SearchScope into) {
        if (filter.allowsAll()) {
            return into;
        }
        if (filter instanceof ScopeFilter s) {
            if (into.narrowed()) {
                return null; // two scopes: not made by a search
            }
            return new SearchScope(s.scope().folders(), s.scope().from(), s.scope().until(), into.excluded());
        }
        if (filter instanceof SearchFilter.Excluding e) {
            Set<Long> all = new HashSet<>(into.excluded());
            all.addAll(e.ids());
            return new SearchScope(into.folders(), into.from(), into.until(), all);
        }
        if (filter instanceof SearchFilter.Both b) {
            SearchScope first = scopeOf(b.first(), into);
            return first == null ? null : scopeOf(b.second(), first);
        }
        return null;
    }
}
