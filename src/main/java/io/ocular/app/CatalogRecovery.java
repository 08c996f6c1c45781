package io.ocular.app;

import io.ocular.store.CatalogBackups;
import io.ocular.store.CatalogDamagedException;
import io.ocular.ui.common.Messages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The window's answer to a damaged catalog at start: instead of only refusing, it offers the newest good
 * backup; on yes the backup is restored (the damaged catalog is moved aside, never deleted) and the engine
 * opened again. Without a backup the user is told why the window cannot open and what to do.
 */
final class CatalogRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogRecovery.class);

    /** Asks the user; {@link CatalogRecoveryDialog} in the window, a fake in tests. */
    interface Asker {
        /** True when the user chose to restore. */
        boolean offerRestore(String title, String message, String restoreLabel);

        void tell(String title, String message);
    }

    private CatalogRecovery() {
    }

    /**
     * Opens with {@code opener}; on a damaged catalog, offers its newest good backup.
     *
     * @throws CatalogDamagedException when there is no backup or the user declines (nothing was changed)
     */
    static <T> T open(Supplier<T> opener, Path catalogFile, Asker asker) {
        return open(opener, catalogFile, asker, Messages.english());
    }

    /** As {@link #open(Supplier, Path, Asker)}, asking in {@code msg}'s language. */
    static <T> T open(Supplier<T> opener, Path catalogFile, Asker asker, Messages msg) {
        try {
            return opener.get();
        } catch (CatalogDamagedException e) {
            if (e.newestGoodBackup().isEmpty()) {
                asker.tell(msg.get("recovery.title"), e.getMessage());
                throw e;
            }
            CatalogBackups.Backup b = e.newestGoodBackup().get();
            String message = msg.format("recovery.message", e.file(), CatalogDamagedException.when(b),
                    catalogFile.resolveSibling(CatalogBackups.FOLDER));
            if (!asker.offerRestore(msg.get("recovery.title"), message, msg.get("recovery.restore"))) {
                LOG.info("The user declined to restore {}", b.file());
                throw e;
            }
            CatalogBackups.of(catalogFile).restore(b.file());
            return opener.get();
        }
    }
}
