package io.ocular.engine;

import io.ocular.embed.BuiltinDescriptor;
import io.ocular.model.ImageRecord;
import io.ocular.model.OcularException;
import io.ocular.search.DuplicateFinder;
import io.ocular.search.VectorRows;
import io.ocular.store.Catalog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Near-duplicate photos: groups of images whose vectors of the active model are at least a similarity
 * apart (cosine, the vectors are unit length). One {@link #scan} compares every pair once at a floor; its
 * {@link Scan#groups} then regroups at any threshold at or above the floor without comparing again (the
 * window's slider). Used by the window's duplicates tab and by {@code ocular duplicates}.
 */
public final class DuplicateService {
    /** The lowest threshold offered; below it, "duplicates" are merely similar photos. */
    public static final double MIN_THRESHOLD = 0.80;
    /** The default threshold of learned models: the same photo re-saved, resized or lightly edited. */
    public static final double DEFAULT_THRESHOLD = 0.95;
    /**
     * The default for the built-in descriptor, whose similarities between different photos are compressed
     * near 1: on ukbench56 at 0.95 it chains 43 of 56 photos into one group; at 0.98 it finds 12 groups, all
     * of one object each (see docs/decisions/0170-engine.md for the command).
     */
    public static final double BUILTIN_DEFAULT_THRESHOLD = 0.98;

    /** One image of a group. */
    public record Member(long id, Path path, long size) {
    }

    /**
     * One group, largest groups first.
     *
     * @param similarity the best similarity between two of its members
     */
    public record Group(List<Member> members, float similarity) {
        public Group {
            members = List.copyOf(members);
        }
    }

    /** The pairs found at or above the floor, with the records of their images. */
    public static final class Scan {
        private final double floor;
        private final double suggested;
        private final List<DuplicateFinder.Pair> pairs;
        private final Map<Long, ImageRecord> records;

        Scan(double floor, double suggested, List<DuplicateFinder.Pair> pairs, Map<Long, ImageRecord> records) {
            this.floor = floor;
            this.suggested = suggested;
            this.pairs = List.copyOf(pairs);
            this.records = Map.copyOf(records);
        }

        /**
         * The groups at {@code threshold} (connected components of the pairs at or above it); images no longer
         * in the catalog are left out, and so are groups left with one member.
         *
         * @throws IllegalArgumentException when the threshold is below the scan's floor
         */
        public List<Group> groups(double threshold) {
            if (threshold < floor - 1e-9 || threshold > 1) {
                throw new IllegalArgumentException("threshold " + threshold + " outside [" + floor + ", 1]");
            }
            List<Group> out = new ArrayList<>();
            for (DuplicateFinder.Group g : DuplicateFinder.group(pairs, (float) threshold)) {
                List<Member> members = new ArrayList<>();
                Set<Path> files = new HashSet<>();
                for (long id : g.ids()) {
                    ImageRecord r = records.get(id);
                    if (r != null && files.add(r.path())) { // a video once, by the first of its moments
                        members.add(new Member(id, r.path(), r.size()));
                    }
                }
                if (members.size() >= 2) {
                    out.add(new Group(members, g.maxSimilarity()));
                }
            }
            return out;
        }

        /** The same scan without these images (e.g. after they were moved to the trash). */
        public Scan without(Collection<Long> ids) {
            Set<Long> gone = new HashSet<>(ids);
            return new Scan(floor, suggested, pairs.stream().filter(p -> !gone.contains(p.a()) && !gone.contains(p.b())).toList(),
                    records);
        }

        public int pairCount() {
            return pairs.size();
        }

        /** The threshold to start with for the scanned model (never below the floor). */
        public double suggestedThreshold() {
            return Math.max(floor, suggested);
        }
    }

    private final Catalog catalog;
    private final Supplier<String> activeModelId;
    private final Function<String, VectorRows> vectors;
    private final Function<String, DuplicateFinder.Neighbours> neighbours;
    /** Neighbours kept per photo by the indexed scan (a burst of more copies still forms one group). */
    static final int MAX_NEIGHBOURS = 64;

    /**
     * @param activeModelId the model whose vectors are compared (the engine's active model; null when none)
     */
    public DuplicateService(Catalog catalog, Supplier<String> activeModelId) {
        this(catalog, activeModelId, model -> VectorRows.of(catalog.loadEmbeddings(model)));
    }

    /**
     * @param vectors a model's vectors as rows read one block at a time (the engine passes its live index's full
     *                vectors, memory-mapped in a large library, so no scan holds the whole matrix)
     */
    public DuplicateService(Catalog catalog, Supplier<String> activeModelId, Function<String, VectorRows> vectors) {
        this(catalog, activeModelId, vectors, model -> null);
    }

    /**
     * @param neighbours a model's nearest-neighbour search over its compact codes, or null when it has none: with
     *                   it the scan asks the index for each photo's neighbours (n searches), without it every pair
     *                   is compared (exact; the engine has codes only past the index's size threshold)
     */
    public DuplicateService(Catalog catalog, Supplier<String> activeModelId, Function<String, VectorRows> vectors,
                            Function<String, DuplicateFinder.Neighbours> neighbours) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.activeModelId = Objects.requireNonNull(activeModelId, "activeModelId");
        this.vectors = Objects.requireNonNull(vectors, "vectors");
        this.neighbours = Objects.requireNonNull(neighbours, "neighbours");
    }

    /**
     * Finds the pairs at or above the floor among the active model's vectors. Blocks: below the index's size
     * threshold every pair is compared once (quadratic, exact); with compact codes each photo's nearest
     * neighbours come from the index (n searches; see {@link DuplicateFinder#pairsAbove(VectorRows, float,
     * DuplicateFinder.Neighbours, int)}).
     *
     * @param floor the lowest threshold {@link Scan#groups} will be asked for, in [{@value #MIN_THRESHOLD}, 1]
     * @throws OcularException when the threshold is out of range or nothing is indexed yet
     */
    public Scan scan(double floor) {
        requireThreshold(floor);
        String model = activeModelId.get();
        if (model == null || model.isBlank()) {
            throw new OcularException("No model is active yet; add a folder and let it index first.");
        }
        VectorRows m = vectors.apply(model);
        if (m.rows() == 0) {
            throw new OcularException("No photos are indexed with the active model (" + model + ") yet; add a folder "
                    + "and let it index first.");
        }
        DuplicateFinder.Neighbours index = neighbours.apply(model);
        List<DuplicateFinder.Pair> pairs = index == null ? DuplicateFinder.pairsAbove(m, (float) floor)
                : DuplicateFinder.pairsAbove(m, (float) floor, index, MAX_NEIGHBOURS);
        Set<Long> ids = new HashSet<>();
        for (DuplicateFinder.Pair p : pairs) {
            ids.add(p.a());
            ids.add(p.b());
        }
        Map<Long, ImageRecord> records = catalog.images(ids);
        return new Scan(floor, defaultThreshold(model), filesAlike(pairs, records), records);
    }

    /**
     * Pairs that say two files are alike: two moments of one video are scenes of the same file, and a photo
     * beside a video frame is not a copy of either, so such pairs are dropped; moments of two videos (a copied
     * clip) stay, and {@link Scan#groups} lists each video once.
     */
    static List<DuplicateFinder.Pair> filesAlike(List<DuplicateFinder.Pair> pairs, Map<Long, ImageRecord> records) {
        List<DuplicateFinder.Pair> out = new ArrayList<>(pairs.size());
        for (DuplicateFinder.Pair p : pairs) {
            ImageRecord a = records.get(p.a());
            ImageRecord b = records.get(p.b());
            if (a != null && b != null && (a.isMoment() != b.isMoment()
                    || (a.isMoment() && a.path().equals(b.path())))) {
                continue;
            }
            out.add(p);
        }
        return out;
    }

    /** The groups at {@code threshold} (one scan at that floor). */
    public List<Group> find(double threshold) {
        return scan(threshold).groups(threshold);
    }

    /** The threshold to start with for the active model (its similarity scale; see the constants). */
    public double defaultThreshold() {
        return defaultThreshold(activeModelId.get());
    }

    static double defaultThreshold(String modelId) {
        return BuiltinDescriptor.MODEL_ID.equals(modelId) ? BUILTIN_DEFAULT_THRESHOLD : DEFAULT_THRESHOLD;
    }

    /**
     * @throws OcularException when {@code threshold} is not in [{@value #MIN_THRESHOLD}, 1]
     */
    public static void requireThreshold(double threshold) {
        if (!(threshold >= MIN_THRESHOLD && threshold <= 1)) {
            throw new OcularException("The similarity threshold must be between " + MIN_THRESHOLD + " and 1 (got "
                    + threshold + "); 0.95 finds re-saved and resized copies, lower values also finds near-identical "
                    + "shots.");
        }
    }
}
