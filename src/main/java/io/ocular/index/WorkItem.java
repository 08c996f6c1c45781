package io.ocular.index;

import io.ocular.model.ImageRecord;

/** One file the scan found needs work: new (known null) or changed since its record. */
record WorkItem(FolderScanner.FoundFile file, ImageRecord known, long folderId, IndexJob job) {
}
