package io.ocular.cli;

import io.ocular.model.OcularException;
import io.ocular.search.VectorIndex;

import java.util.List;
import java.util.Locale;

/** The vector indexes the CLI can build for eval and bench: exact, pq, opq, spq. */
final class IndexKinds {
    static final List<String> NAMES = List.of("exact", "pq", "opq", "spq");

    private IndexKinds() {
    }

    /**
     * An empty index of {@code kind} for {@code dimension}-d vectors; compressed kinds train on {@code training}
     * (row-major, {@code dimension} floats per row) and use {@code bits} per vector.
     */
    static VectorIndex create(String kind, int dimension, int bits, float[] training) {
        String k = kind.toLowerCase(Locale.ROOT);
        if (!NAMES.contains(k)) {
            throw new OcularException("Unknown index '" + kind + "'; use one of " + String.join(", ", NAMES) + ".");
        }
        // TODO(cli): wire ExactIndex and the PQ/OPQ/SPQ indexes once the search branch is merged.
        throw new OcularException("The '" + k + "' index is not available in this build.");
    }

    /** Approximate memory per stored vector (codes or floats), for bench output. */
    static double bytesPerVector(VectorIndex index) {
        return 4.0 * index.dimension();
    }
}
