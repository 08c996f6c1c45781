package io.ocular.app;

import io.ocular.engine.AppPaths;
import io.ocular.model.OcularException;
import io.ocular.model.StorageException;
import io.ocular.ui.common.LibraryLocations;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.UiSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.function.Function;

/**
 * Which library the window opens: {@value AppPaths#CATALOG_ENV} when set, else the one chosen in Settings →
 * Library location (a URL without password), else this computer's. A shared library that cannot be opened is
 * said in one dialog, and the window opens this computer's library instead, so the choice can be changed.
 */
final class LibraryChoice {
    private static final Logger LOG = LoggerFactory.getLogger(LibraryChoice.class);

    private LibraryChoice() {
    }

    /** {@code paths} with the library the environment or the saved choice names. */
    static AppPaths apply(AppPaths paths, UiSettings settings, Map<String, String> env) {
        String fromEnv = env.get(AppPaths.CATALOG_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return paths.withCatalog(null, env);
        }
        String saved = settings.get(LibraryLocations.SETTING).orElse("");
        if (saved.isBlank()) {
            return paths;
        }
        try {
            return paths.withCatalog(saved, Map.of());
        } catch (OcularException e) {
            LOG.warn("ignoring the saved library location: {}", e.getMessage());
            return paths;
        }
    }

    /**
     * Opens {@code chosen}; when it is a shared library whose server cannot be reached and this computer keeps a
     * copy of it, tells the user and opens the copy read-only ({@code copy}); when it cannot be opened otherwise (a
     * wrong password, no copy, ...), tells the user why and opens this computer's library ({@code local}).
     */
    static <T> T open(AppPaths chosen, AppPaths local, Function<AppPaths, T> opener, Function<AppPaths, T> copy,
                      CatalogRecovery.Asker asker, Messages msg) {
        if (chosen.sharedCatalog().isEmpty()) {
            return opener.apply(chosen);
        }
        try {
            return opener.apply(chosen);
        } catch (OcularException e) {
            if (e instanceof StorageException s && s.problem() == StorageException.Problem.UNREACHABLE) {
                try {
                    T fromCopy = copy.apply(chosen);
                    LOG.warn("the library server is away; opened this computer's copy: {}", e.getMessage());
                    asker.tell(msg.get("library.openFailedTitle"), msg.format("library.openedCopy", e.getMessage()));
                    return fromCopy;
                } catch (OcularException noCopy) {
                    LOG.info("no copy of the shared library to open: {}", noCopy.getMessage());
                }
            }
            LOG.warn("cannot open the shared library; opening this computer's: {}", e.getMessage());
            asker.tell(msg.get("library.openFailedTitle"), msg.format("library.openFailed", e.getMessage()));
            return opener.apply(local);
        }
    }
}
