package io.ocular.eval;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a protocol says about a dataset: which files to index, which of them are searchable (the database),
 * and for each query which files are relevant.
 *
 * @param protocol protocol name (holidays, ukbench, classes, cifar)
 * @param images   every file to embed (queries and database), absolute and normalised
 * @param database the files that go into the searched index (all images, or the non-queries for cifar)
 * @param queries  the queries with their relevant files
 * @param measures what to compute
 * @param depth    how many results each query looks at; 0 means the whole database
 */
public record GroundTruth(String protocol, List<Path> images, List<Path> database, List<QuerySpec> queries,
                          Set<Measure> measures, int depth) {

    public GroundTruth {
        Objects.requireNonNull(protocol, "protocol");
        images = List.copyOf(images);
        database = List.copyOf(database);
        queries = List.copyOf(queries);
        measures = measures.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(measures));
        if (depth < 0) {
            throw new IllegalArgumentException("depth must be >= 0: " + depth);
        }
    }

    /**
     * One query.
     *
     * @param image       the query file
     * @param relevant    the files that count as correct answers
     * @param excludeSelf whether the query itself is dropped from its results before scoring
     * @param ignored     files dropped from the results before scoring, neither right nor wrong (e.g. the
     *                    query's own album in the event protocol)
     */
    public record QuerySpec(Path image, Set<Path> relevant, boolean excludeSelf, Set<Path> ignored) {
        public QuerySpec {
            Objects.requireNonNull(image, "image");
            relevant = Set.copyOf(relevant);
            ignored = Set.copyOf(ignored);
        }

        public QuerySpec(Path image, Set<Path> relevant, boolean excludeSelf) {
            this(image, relevant, excludeSelf, Set.of());
        }
    }

    /** The numbers a protocol reports. */
    public enum Measure {
        /** mean average precision over the whole ranking, normalised by all relevant items */
        MAP,
        /** mAP@depth as in the hashing literature (normalised by relevant items retrieved in the top depth) */
        MAP_AT_DEPTH,
        /** precision at 10 */
        P_AT_10,
        /** UKBench N-S score (same-group images in the top 4, query included) */
        NS
    }
}
