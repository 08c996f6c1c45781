package io.ocular.model;

import java.nio.file.Path;
import java.time.Instant;

/** A library folder the user added; everything below it is indexed and watched. */
public record FolderRecord(long id, Path path, Instant addedAt, long imageCount, long skippedCount) {
}
