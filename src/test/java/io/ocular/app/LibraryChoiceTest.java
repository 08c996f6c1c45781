package io.ocular.app;

import io.ocular.engine.AppPaths;
import io.ocular.model.OcularException;
import io.ocular.model.StorageException;
import io.ocular.ui.common.LibraryLocations;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.UiSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The window's library: the environment, else the Settings choice, else this computer; a failed server falls back. */
class LibraryChoiceTest {
    @TempDir
    Path tmp;

    @Test
    void theEnvironmentWinsThenTheSavedChoiceThenThisComputer() {
        AppPaths local = AppPaths.under(tmp);
        UiSettings settings = UiSettings.inMemory();
        assertThat(LibraryChoice.apply(local, settings, Map.of()).sharedCatalog()).isEmpty();
        settings.put(LibraryLocations.SETTING, "jdbc:postgresql://nas.local:5432/ocular?user=anna");
        assertThat(LibraryChoice.apply(local, settings, Map.of()).sharedCatalog())
                .contains("jdbc:postgresql://nas.local:5432/ocular?user=anna");
        assertThat(LibraryChoice.apply(local, settings, Map.of(AppPaths.CATALOG_ENV, "jdbc:postgresql://other/db"))
                .sharedCatalog()).contains("jdbc:postgresql://other/db");
        settings.put(LibraryLocations.SETTING, "mysql://nonsense");
        assertThat(LibraryChoice.apply(local, settings, Map.of()).sharedCatalog()).as("ignored, not fatal").isEmpty();
        settings.put(LibraryLocations.SETTING, "");
        assertThat(LibraryChoice.apply(local, settings, Map.of()).sharedCatalog()).isEmpty();
    }

    @Test
    void aSharedLibraryThatCannotBeOpenedIsSaidAndThisComputersOpens() {
        AppPaths local = AppPaths.under(tmp);
        AppPaths shared = local.withCatalog("jdbc:postgresql://127.0.0.1:1/ocular", Map.of());
        List<String> told = new ArrayList<>();
        CatalogRecovery.Asker asker = new CatalogRecovery.Asker() {
            @Override
            public boolean offerRestore(String title, String message, String restoreLabel) {
                return false;
            }

            @Override
            public void tell(String title, String message) {
                told.add(title + ": " + message);
            }
        };
        String opened = LibraryChoice.open(shared, local, p -> {
            if (p.sharedCatalog().isPresent()) {
                throw new OcularException("Lost or no connection to the library server 127.0.0.1:1 while connecting.");
            }
            return "local";
        }, p -> {
            throw new OcularException("This computer has no copy of the shared library to open.");
        }, asker, Messages.english());
        assertThat(opened).isEqualTo("local");
        assertThat(told).singleElement().asString().startsWith("The shared library cannot be opened: Lost or no"
                + " connection").contains("Settings → Library location");
        // the server is away and this computer keeps a copy: the copy opens, read-only, and the user is told
        told.clear();
        String copy = LibraryChoice.open(shared, local, p -> {
            if (p.sharedCatalog().isPresent()) {
                throw new StorageException(StorageException.Problem.UNREACHABLE, "Lost or no connection to the"
                        + " library server 127.0.0.1:1 while connecting.", null);
            }
            return "local";
        }, p -> "copy", asker, Messages.english());
        assertThat(copy).isEqualTo("copy");
        assertThat(told).singleElement().asString().contains("copy of the shared library").contains("read-only");
    }
}
