package io.ocular.ui.common;

import io.ocular.engine.CodeTraining;
import io.ocular.engine.ComposeLearning;
import io.ocular.engine.DuplicateService;
import io.ocular.engine.ModelManager;
import io.ocular.index.Indexer;
import io.ocular.search.SearchService;
import io.ocular.store.Catalog;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the window needs from the engine ({@code io.ocular.engine.Engine}), handed over by the launcher in
 * {@code io.ocular.app}.
 *
 * @param details reads a file's photo details (EXIF) as label/value pairs; runs on a background thread
 * @param app     version, data and logs folders (Help menu)
 * @param folders opens a folder in the file manager ("Show logs")
 * @param matches draws the match picture of a "Find this object" result
 * @param textModels which text model reads the words of a search (English CLIP, multilingual)
 * @param index   the index searches use (Settings: automatic / exact / compact)
 * @param library where the library lives (Settings: this computer | shared server)
 * @param composeLearning the compose panel's marks and the composer in use (Settings: composed search)
 * @param codeTraining    compact codes trained on the user's photos (the indexing panel)
 */
public record UiServices(Catalog catalog, Indexer indexer, SearchService search, DuplicateService duplicates,
                         ModelManager models, Trash trash, UiSettings settings, UiExecutors executors,
                         Function<Path, List<Map.Entry<String, String>>> details, AppInfo app, FolderOpener folders,
                         InstanceSearchSwitch instanceSearch, MatchExplainer matches, TextModels textModels,
                         IndexSettings index, LibraryLocations library, ComposeLearning composeLearning,
                         CodeTraining codeTraining) {
    /** Without codes trained on the user's photos (nothing can be trained). */
    public UiServices(Catalog catalog, Indexer indexer, SearchService search, DuplicateService duplicates,
                      ModelManager models, Trash trash, UiSettings settings, UiExecutors executors,
                      Function<Path, List<Map.Entry<String, String>>> details, AppInfo app, FolderOpener folders,
                      InstanceSearchSwitch instanceSearch, MatchExplainer matches, TextModels textModels,
                      IndexSettings index, LibraryLocations library, ComposeLearning composeLearning) {
        this(catalog, indexer, search, duplicates, models, trash, settings, executors, details, app, folders,
                instanceSearch, matches, textModels, index, library, composeLearning, CodeTraining.unavailable());
    }

    /** Without marks of composed results (nothing is learnt; the sum is in use). */
    public UiServices(Catalog catalog, Indexer indexer, SearchService search, DuplicateService duplicates,
                      ModelManager models, Trash trash, UiSettings settings, UiExecutors executors,
                      Function<Path, List<Map.Entry<String, String>>> details, AppInfo app, FolderOpener folders,
                      InstanceSearchSwitch instanceSearch, MatchExplainer matches, TextModels textModels,
                      IndexSettings index, LibraryLocations library) {
        this(catalog, indexer, search, duplicates, models, trash, settings, executors, details, app, folders,
                instanceSearch, matches, textModels, index, library, ComposeLearning.unavailable());
    }

    /** Without a choice of library location (this computer; no connection test). */
    public UiServices(Catalog catalog, Indexer indexer, SearchService search, DuplicateService duplicates,
                      ModelManager models, Trash trash, UiSettings settings, UiExecutors executors,
                      Function<Path, List<Map.Entry<String, String>>> details, AppInfo app, FolderOpener folders,
                      InstanceSearchSwitch instanceSearch, MatchExplainer matches, TextModels textModels,
                      IndexSettings index) {
        this(catalog, indexer, search, duplicates, models, trash, settings, executors, details, app, folders,
                instanceSearch, matches, textModels, index, LibraryLocations.unavailable());
    }

    /** Without a choice of index (automatic, unchangeable). */
    public UiServices(Catalog catalog, Indexer indexer, SearchService search, DuplicateService duplicates,
                      ModelManager models, Trash trash, UiSettings settings, UiExecutors executors,
                      Function<Path, List<Map.Entry<String, String>>> details, AppInfo app, FolderOpener folders,
                      InstanceSearchSwitch instanceSearch, MatchExplainer matches, TextModels textModels) {
        this(catalog, indexer, search, duplicates, models, trash, settings, executors, details, app, folders,
                instanceSearch, matches, textModels, IndexSettings.unavailable());
    }

    /** Without a text model choice (the active model's own tower reads the words). */
    public UiServices(Catalog catalog, Indexer indexer, SearchService search, DuplicateService duplicates,
                      ModelManager models, Trash trash, UiSettings settings, UiExecutors executors,
                      Function<Path, List<Map.Entry<String, String>>> details, AppInfo app, FolderOpener folders,
                      InstanceSearchSwitch instanceSearch, MatchExplainer matches) {
        this(catalog, indexer, search, duplicates, models, trash, settings, executors, details, app, folders,
                instanceSearch, matches, TextModels.none());
    }

    /** Without match pictures (they are then unavailable). */
    public UiServices(Catalog catalog, Indexer indexer, SearchService search, DuplicateService duplicates,
                      ModelManager models, Trash trash, UiSettings settings, UiExecutors executors,
                      Function<Path, List<Map.Entry<String, String>>> details, AppInfo app, FolderOpener folders,
                      InstanceSearchSwitch instanceSearch) {
        this(catalog, indexer, search, duplicates, models, trash, settings, executors, details, app, folders,
                instanceSearch, MatchExplainer.unavailable());
    }

    /** Without an instance search switch (it is then unavailable). */
    public UiServices(Catalog catalog, Indexer indexer, SearchService search, DuplicateService duplicates,
                      ModelManager models, Trash trash, UiSettings settings, UiExecutors executors,
                      Function<Path, List<Map.Entry<String, String>>> details, AppInfo app, FolderOpener folders) {
        this(catalog, indexer, search, duplicates, models, trash, settings, executors, details, app, folders,
                InstanceSearchSwitch.unavailable());
    }

    /**
     * Without app info (demos and tests): "dev", the temp folder, a desktop that cannot open folders, and
     * duplicates among the vectors of the catalog's active model.
     */
    public UiServices(Catalog catalog, Indexer indexer, SearchService search, ModelManager models,
                      Trash trash, UiSettings settings, UiExecutors executors,
                      Function<Path, List<Map.Entry<String, String>>> details) {
        this(catalog, indexer, search, new DuplicateService(catalog, () -> catalog.activeModelId().orElse(null)),
                models, trash, settings, executors, details, AppInfo.unknown(), folder -> false);
    }

    public UiServices {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(indexer, "indexer");
        Objects.requireNonNull(search, "search");
        Objects.requireNonNull(duplicates, "duplicates");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(trash, "trash");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(executors, "executors");
        Objects.requireNonNull(details, "details");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(folders, "folders");
        Objects.requireNonNull(instanceSearch, "instanceSearch");
        Objects.requireNonNull(matches, "matches");
        Objects.requireNonNull(textModels, "textModels");
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(composeLearning, "composeLearning");
        Objects.requireNonNull(codeTraining, "codeTraining");
    }
}
