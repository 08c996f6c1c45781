package io.ocular.model;

import java.nio.file.Path;

/** One search result: an image, its score, and where it is on disk. */
public record SearchHit(long imageId, Path path, float score) {
}
