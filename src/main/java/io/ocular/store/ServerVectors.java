package io.ocular.store;

import io.ocular.model.SearchScope;

import java.util.List;

/**
 * A catalog whose server searches its vectors itself (PostgreSQL with pgvector): searches send the query vector
 * and the scope, and get the nearest ids back, so no computer loads the library's vectors
 * (docs/decisions/0280-postgresql-catalog.md).
 */
public interface ServerVectors {

    /** One line for status, e.g. "pgvector 0.8.0 (HNSW cosine, searched on the server)". */
    String describe();

    /**
     * The {@code k} images nearest {@code query} by cosine among the model's vectors, within the scope's folders
     * and dates, its excluded ids left out, best first.
     */
    List<VectorHit> search(String modelId, float[] query, int k, SearchScope scope);

    /** How many vectors of the model the server holds now (every computer's). */
    long count(String modelId);
}
