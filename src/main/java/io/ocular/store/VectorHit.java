package io.ocular.store;

/** One result of a search the library server ran: an image and its cosine similarity to the query. */
public record VectorHit(long imageId, double similarity) {
}
