package io.ocular.ui.main;

import io.ocular.model.FolderRecord;
import io.ocular.ui.common.Messages;

/** A library folder as the sidebar shows it. */
public record FolderItem(FolderRecord folder, boolean indexing, boolean offline) {

    public FolderItem(FolderRecord folder, boolean indexing) {
        this(folder, indexing, false);
    }

    public String name() {
        return folder.path().getFileName() == null ? folder.path().toString() : folder.path().getFileName().toString();
    }

    /** "1,234 images · 3 skipped · indexing…", or "... · offline" while its drive is away. */
    public String status(Messages msg) {
        StringBuilder s = new StringBuilder(msg.format("folder.images", folder.imageCount()));
        if (folder.skippedCount() > 0) {
            s.append(" · ").append(msg.format("folder.skipped", folder.skippedCount()));
        }
        if (offline) {
            s.append(" · ").append(msg.get("folder.offline"));
        } else if (indexing) {
            s.append(" · ").append(msg.get("folder.indexing"));
        }
        return s.toString();
    }
}
