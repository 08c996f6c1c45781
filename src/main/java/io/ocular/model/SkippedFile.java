package io.ocular.model;

import java.nio.file.Path;

/** A file the indexer could not use, and why (shown to the user as is). */
public record SkippedFile(Path path, String reason) {
}
