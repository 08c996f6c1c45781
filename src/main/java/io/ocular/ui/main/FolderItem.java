package io.ocular.ui.main;

import io.ocular.model.FolderRecord;

/** A library folder as the sidebar shows it. */
public record FolderItem(FolderRecord folder, boolean indexing, boolean offline) {

    public FolderItem(FolderRecord folder, boolean indexing) {
        this(folder, indexing, false);
    }

    public String name() {
        return folder.path().getFileName() == null ? folder.path().toString() : folder.path().getFileName().toString();
    }

    /** "1,234 images · 3 skipped · indexing…", or "... · offline" while its drive is away. */
    public String status() {
        StringBuilder s = new StringBuilder(String.format("%,d image%s", folder.imageCount(),
                folder.imageCount() == 1 ? "" : "s"));
        if (folder.skippedCount() > 0) {
            s.append(String.format(" · %,d skipped", folder.skippedCount()));
        }
        if (offline) {
            s.append(" · offline (drive disconnected?): photos kept");
        } else if (indexing) {
            s.append(" · indexing…");
        }
        return s.toString();
    }
}
