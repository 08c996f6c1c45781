package io.ocular.store;

import io.ocular.model.OcularException;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The catalog file is damaged (or not a catalog at all) and was left untouched. Carries the newest backup
 * that passes its check, so that the front ends can offer it: the CLI prints the exact restore command,
 * the window asks whether to restore it.
 */
public final class CatalogDamagedException extends OcularException {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final transient Path file;
    private final transient CatalogBackups.Backup newestGoodBackup;

    public CatalogDamagedException(Path file, String detail, Optional<CatalogBackups.Backup> newestGoodBackup,
                                   Throwable cause) {
        super(message(file, detail, newestGoodBackup), cause);
        this.file = file;
        this.newestGoodBackup = newestGoodBackup.orElse(null);
    }

    public Path file() {
        return file;
    }

    public Optional<CatalogBackups.Backup> newestGoodBackup() {
        return Optional.ofNullable(newestGoodBackup);
    }

    /** When a backup was made, in the user's time zone, e.g. {@code 2026-11-30 11:00}. */
    public static String when(CatalogBackups.Backup b) {
        return WHEN.format(b.createdAt().atZone(ZoneId.systemDefault()));
    }

    private static String message(Path file, String detail, Optional<CatalogBackups.Backup> backup) {
        String head = "The catalog " + file + " is damaged or is not an Ocular catalog (" + detail
                + "). Ocular left it as it is.";
        return backup.map(b -> head + " The newest good backup is from " + when(b) + " (" + b.file()
                        + "): restore it with 'ocular catalog restore --latest', or move the damaged catalog"
                        + " away and Ocular will start a new one.")
                .orElse(head + " There is no good backup of it: move it away and Ocular will start a new catalog.");
    }
}
