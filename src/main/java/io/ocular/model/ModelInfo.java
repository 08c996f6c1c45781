package io.ocular.model;

/**
 * A model whose vectors live in the catalog. Vectors of different models are never compared.
 *
 * @param id        stable id, e.g. {@code builtin-colour-texture-v1}, {@code mobilenetv2-int8}, {@code clip-vit-b32}
 * @param name      human-readable name
 * @param kind      image, text or both
 * @param dimension length of its vectors
 * @param sha256    SHA-256 of the model file(s), or a version tag for built-in descriptors
 */
public record ModelInfo(String id, String name, ModelKind kind, int dimension, String sha256) {
}
