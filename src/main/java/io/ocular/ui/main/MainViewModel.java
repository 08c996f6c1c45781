package io.ocular.ui.main;

import io.ocular.engine.ModelManager;
import io.ocular.model.ImageRecord;
import io.ocular.ui.common.IndexSettings;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiServices;
import io.ocular.ui.compose.ComposeViewModel;
import io.ocular.ui.duplicates.DuplicatesViewModel;
import io.ocular.ui.help.HelpViewModel;
import io.ocular.ui.indexing.IndexingViewModel;
import io.ocular.ui.models.ModelsViewModel;
import io.ocular.ui.settings.ComposerSettingsViewModel;
import io.ocular.ui.indexing.CodeTrainingViewModel;
import io.ocular.ui.settings.LibraryLocationViewModel;
import io.ocular.ui.settings.SettingsViewModel;
import javafx.collections.ListChangeListener;
import javafx.collections.MapChangeListener;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * The window's ViewModel: owns the notification bar and the feature ViewModels and wires them together
 * (the focused result feeds the viewer; indexing progress refreshes the library counts).
 */
public final class MainViewModel implements AutoCloseable {
    private final Notifications notifications;
    private final Messages msg;
    private final LibraryViewModel library;
    private final SearchViewModel search;
    private final BrowseViewModel browse;
    private final SettingsViewModel settings;
    private List<Long> folderIds = List.of();
    private final ViewerViewModel viewer;
    private final MatchViewModel match;
    private final IndexingViewModel indexing;
    private final ComposeViewModel compose;
    private final ComposerSettingsViewModel composer;
    private final CodeTrainingViewModel codeTraining;
    private final DuplicatesViewModel duplicates;
    private final ModelsViewModel models;
    private final HelpViewModel help;
    private final TextModelViewModel textModels;
    private final LibraryLocationViewModel libraryLocation;

    /** In English (tests, demos). */
    public MainViewModel(UiServices services) {
        this(services, Messages.english());
    }

    /** @param msg the window's words, in the language chosen at start */
    public MainViewModel(UiServices services, Messages msg) {
        this.msg = msg;
        this.notifications = new Notifications(msg);
        var ex = services.executors();
        library = new LibraryViewModel(services.catalog(), services.indexer(), ex, notifications, msg);
        var catalog = services.catalog();
        search = new SearchViewModel(services.search(), ex, notifications, SearchViewModel.DEFAULT_K,
                ids -> dates(catalog.images(ids)), ZoneId.systemDefault(), msg);
        browse = new BrowseViewModel(catalog, search, ex, notifications, msg);
        settings = new SettingsViewModel(services.settings(), services.app(), services.folders(),
                services.instanceSearch(), services.index(), ex, notifications, msg);
        libraryLocation = new LibraryLocationViewModel(services.settings(), services.library(), ex, notifications, msg);
        search.setIndexInUse(() -> IndexSettings.shortName(services.index().inUse(), msg));
        viewer = new ViewerViewModel(services.catalog(), ex, services.details(), msg);
        match = new MatchViewModel(services.matches(), ex, notifications, msg);
        indexing = new IndexingViewModel(services.indexer(), services.catalog(), ex, notifications, msg,
                IndexingViewModel.UI_UPDATE_GAP);
        codeTraining = new CodeTrainingViewModel(services.codeTraining(), ex, notifications, msg,
                IndexingViewModel.UI_UPDATE_GAP);
        compose = new ComposeViewModel(services.search(), services.composeLearning(), ex, notifications, 200, msg);
        composer = new ComposerSettingsViewModel(services.composeLearning(), ex, notifications, msg);
        // a kept mark may start training or bring it closer: Settings shows the new counts
        compose.marks().addListener((MapChangeListener<Long, Boolean>) c -> composer.refresh());
        duplicates = new DuplicatesViewModel(services.duplicates(), services.indexer(), services.trash(), ex,
                notifications, msg);
        models = new ModelsViewModel(services.models(), services.settings(), ex, notifications, msg);
        help = new HelpViewModel(services.app(), models.activeNameProperty(), services.folders(), ex, notifications,
                msg);
        textModels = new TextModelViewModel(services.textModels(), search, ex, notifications, msg);
        // a model downloaded, imported or activated may bring or take away a text model to choose
        models.entries().addListener((ListChangeListener<ModelManager.Entry>) c -> {
            textModels.refresh();
            codeTraining.refresh(); // another active model has its own trained codes (or none)
        });
        search.focusedProperty().addListener((obs, o, n) -> viewer.show(n));
        indexing.addFollower(library::onProgress);
        indexing.addFollower(browse::onProgress);
        // a folder added or removed changes what "All photos" shows; count updates alone do not reload it
        library.folders().addListener((ListChangeListener<FolderItem>) change -> {
            List<Long> ids = library.folders().stream().map(f -> f.folder().id()).toList();
            if (!ids.equals(folderIds)) {
                folderIds = ids;
                browse.refresh();
            }
        });
    }

    /** Subscribes to the engine and loads the first state. Call on the UI thread once the view is bound. */
    public void start() {
        indexing.start();
        codeTraining.refresh();
        library.refresh();
        browse.refresh();
        models.refresh();
        settings.refresh();
        composer.refresh();
        textModels.refresh();
    }

    /** "Search words with: English CLIP | Multilingual" beside the search bar. */
    public TextModelViewModel textModels() {
        return textModels;
    }

    public Notifications notifications() {
        return notifications;
    }

    public LibraryViewModel library() {
        return library;
    }

    public SearchViewModel search() {
        return search;
    }

    private static Map<Long, Instant> dates(Map<Long, ImageRecord> records) {
        Map<Long, Instant> out = new HashMap<>(records.size() * 2);
        records.forEach((id, r) -> out.put(id, LibraryBrowser.dateOf(r)));
        return out;
    }

    /** The Settings section: thumbnail size, data folder, logs. */
    public SettingsViewModel settings() {
        return settings;
    }

    /** Settings → Library location (this computer | shared server). */
    public LibraryLocationViewModel libraryLocation() {
        return libraryLocation;
    }

    /** The grid's home: all photos or a folder, shown while nothing is searched. */
    public BrowseViewModel browse() {
        return browse;
    }

    public ViewerViewModel viewer() {
        return viewer;
    }

    /** The indexing panel's codes trained on the user's photos. */
    public CodeTrainingViewModel codeTraining() {
        return codeTraining;
    }

    public IndexingViewModel indexing() {
        return indexing;
    }

    /** Settings → Composed search. */
    public ComposerSettingsViewModel composerSettings() {
        return composer;
    }

    public ComposeViewModel compose() {
        return compose;
    }

    public DuplicatesViewModel duplicates() {
        return duplicates;
    }

    public ModelsViewModel models() {
        return models;
    }

    /** The Help menu. */
    public HelpViewModel help() {
        return help;
    }

    /** The match picture of a "Find this object" result. */
    public MatchViewModel match() {
        return match;
    }

    /**
     * "Find this object" from the viewer: a verified search when instance search is on in Settings; otherwise
     * it says where to turn it on.
     */
    public void findObject(ResultItem item) {
        if (item != null && !settings.instanceSearchProperty().get()) {
            notifications.info(msg.get("search.needsInstanceSearch"));
            return;
        }
        search.findObject(item);
    }

    /** Opens the match picture of a "Find this object" result. */
    public void showMatch(ResultItem item) {
        match.show(search.baseQuery(), item);
    }

    /** "Compose from this": takes a search result as the composed panel's reference. */
    public void composeFrom(ResultItem item) {
        if (item == null) {
            notifications.info(msg.get("compose.selectFirst"));
            return;
        }
        compose.useReference(item.hit());
    }

    @Override
    public void close() {
        indexing.close();
    }
}
