package io.ocular.model;

/** An image id with a similarity score (higher is more similar). */
public record ScoredId(long id, float score) {
}
