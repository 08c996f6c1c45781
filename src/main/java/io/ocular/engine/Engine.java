package io.ocular.engine;

import io.ocular.embed.BuiltinDescriptor;
import io.ocular.embed.EncoderRegistry;
import io.ocular.embed.ImageEncoder;
import io.ocular.embed.LocalFeatureExtractor;
import io.ocular.embed.ModelCatalogue;
import io.ocular.embed.ModelStore;
import io.ocular.embed.TextEncoder;
import io.ocular.embed.TextTowers;
import io.ocular.index.ImageDecoder;
import io.ocular.index.Indexer;
import io.ocular.index.IndexingDaemon;
import io.ocular.index.StorageCheck;
import io.ocular.index.ThumbnailCache;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;
import io.ocular.model.Query;
import io.ocular.search.DatabaseAugmentation;
import io.ocular.search.DefaultSearchService;
import io.ocular.search.AdaptiveIndex;
import io.ocular.search.QueryComposer;
import io.ocular.search.Rocchio;
import io.ocular.search.WeightedSumComposer;
import io.ocular.search.DuplicateFinder;
import io.ocular.search.FullVectors;
import io.ocular.search.IndexChoice;
import io.ocular.search.ScanPool;
import io.ocular.search.SearchService;
import io.ocular.search.ServerVectorIndex;
import io.ocular.search.VectorIndex;
import io.ocular.search.VectorRows;
import io.ocular.search.QueryImageLoader;
import io.ocular.search.RotatingSearchService;
import io.ocular.search.local.InstanceSearch;
import io.ocular.search.local.ReciprocalNeighbours;
import io.ocular.search.local.VerifyingSearchService;
import io.ocular.store.BackupSchedule;
import io.ocular.store.Catalog;
import io.ocular.store.CatalogBackups;
import io.ocular.store.PostgresCatalog;
import io.ocular.store.PostgresLocation;
import io.ocular.store.SqliteCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The headless engine of one data folder, the one way in for every front end (the window, the CLI, the
 * self-test): everything the folder needs, wired by constructor injection. {@link #open} builds the real
 * engine; the constructor takes finished parts (tests may pass their own). Closing it stops the daemon and
 * then closes encoders, the scan pool and the catalog, in that order (committed work stays).
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final AppPaths paths;
    private final Catalog catalog;
    private final ModelService models;
    private final ActiveEngine active;
    private final Indexer indexer;
    private final ThumbnailCache thumbnails;
    private final Optional<InstanceSearch> instance;
    private final DuplicateService duplicates;
    private final IndexEvents indexEvents;
    private ComposeLearning composeLearning = ComposeLearning.unavailable();
    private SpqCodes spqCodes; // null where the engine was composed without (tests)
    /** Closed in this order by {@link #close()}. */
    private final List<AutoCloseable> resources;

    /**
     * @param resources what {@link #close()} closes, in order (the daemon first, the catalog last)
     */
    Engine(AppPaths paths, Catalog catalog, ModelService models, ActiveEngine engine, IndexEvents indexEvents,
           Indexer indexer, ThumbnailCache thumbnails, Optional<InstanceSearch> instance, List<AutoCloseable> resources) {
        this.instance = Objects.requireNonNull(instance, "instance");
        this.paths = Objects.requireNonNull(paths, "paths");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.models = Objects.requireNonNull(models, "models");
        this.active = Objects.requireNonNull(engine, "engine");
        this.indexEvents = Objects.requireNonNull(indexEvents, "indexEvents");
        this.duplicates = new DuplicateService(catalog, () -> active.model().id(), this::vectorRows, this::neighbours);
        this.indexer = Objects.requireNonNull(indexer, "indexer");
        this.thumbnails = Objects.requireNonNull(thumbnails, "thumbnails");
        this.resources = List.copyOf(resources);
    }

    /**
     * Opens the data folder: the catalog, the models, the active model's encoders (the catalog's active
     * model; {@value BuiltinDescriptor#MODEL_ID} on a fresh install), the exact index loaded from the catalog,
     * the indexing daemon, the search service and the thumbnail cache. A requested model is then made active
     * through {@link ModelService#activate}, the same switch the window uses.
     *
     * @param modelId the model to make active, or null to keep the catalog's
     * @throws OcularException when the catalog cannot be opened or {@code modelId} is not installed
     */
    public static Engine open(AppPaths paths, String modelId) {
        return open(paths, modelId, false);
    }

    /**
     * Opens this computer's read-only copy of the shared library {@code paths} names (written while its server was
     * there), for a window started while the server is away: searches work; indexing pauses with the reason.
     *
     * @throws OcularException when this data folder has no copy of a shared library
     */
    public static Engine openCopy(AppPaths paths) {
        if (paths.sharedCatalog().isEmpty() || !Files.isRegularFile(paths.dataDir().resolve(LibrarySnapshot.FILE_NAME))) {
            throw new OcularException("This computer has no copy of the shared library to open.");
        }
        return open(paths, null, true);
    }

    private static Engine open(AppPaths paths, String modelId, boolean copy) {
        paths.createDirectories();
        Deque<AutoCloseable> opened = new ArrayDeque<>(); // closed in reverse if anything below fails
        try {
            Catalog opened0 = copy ? OfflineCatalog.read(paths.dataDir().resolve(LibrarySnapshot.FILE_NAME))
                    : openCatalog(paths); // the SQLite file, or the shared library on a server
            opened.push(opened0);
            // a shared library keeps a copy here, read while its server is away
            FailoverCatalog failover = paths.sharedCatalog().isPresent() && !copy ? new FailoverCatalog(opened0,
                    paths.dataDir().resolve(LibrarySnapshot.FILE_NAME), Clock.systemUTC()) : null;
            Catalog sqlite = failover != null ? failover : opened0;
            if (paths.sharedCatalog().isEmpty()) { // a server's backups are its administrator's (pg_dump)
                opened.push(BackupSchedule.start(CatalogBackups.of(paths.catalogFile()), BackupSchedule.DEFAULT_INTERVAL));
            }
            ModelStore store = ModelService.storeOf(paths);
            EncoderRegistry registry = new EncoderRegistry(store);
            ModelInfo model = storedOrBuiltin(registry, sqlite);

            ScanPool pool = ScanPool.perCore();
            opened.push(pool);
            ImageDecoder decoder = new ImageDecoder();
            InstanceSearch.Config instanceConfig = InstanceSearch.Config.defaults();
            int threads = Runtime.getRuntime().availableProcessors();
            // local features are per-image data, not vectors of the active model: the plain catalog serves them
            InstanceSearch instance = new InstanceSearch(sqlite, () -> LocalFeatureExtractor.findModel(store),
                    file -> new LocalFeatureExtractor(file, LocalFeatureExtractor.Pyramid.standard(), threads),
                    file -> decoder.decodeToFit(file, instanceConfig.decodeLongSide()).image(), instanceConfig, pool);
            opened.push(instance); // closed after the daemon, which may be using its extractor
            // each model's composer: its personal Combiner, an imported one or the sum; trained in the background
            PersonalComposers composers = new PersonalComposers(sqlite, paths.dataDir(), PersonalComposers.Options.defaults());
            opened.push(composers);
            ActiveEngine.Opener opener = m -> openGeneration(registry, sqlite, pool, decoder, instance, paths.dataDir(), m,
                    failover, composers);
            // written before the daemon (the catalog's one writer afterwards) exists: nothing else writes yet
            if (!copy) { // the copy is read-only
                sqlite.registerModel(model);
            }
            IndexEvents events = new IndexEvents();
            ActiveEngine engine = new ActiveEngine(sqlite, opener.open(model), opener, events);
            opened.push(engine);
            composers.attach(new PersonalComposers.Target() {
                @Override
                public ModelInfo model() {
                    return engine.model();
                }

                @Override
                public Optional<TextEncoder> textEncoder() {
                    return engine.current().textEncoder();
                }

                @Override
                public VectorIndex index() {
                    return engine.index();
                }
            });
            if (!copy) {
                sqlite.setActiveModelId(model.id());
            }
            Catalog catalog = new LiveIndexCatalog(sqlite, engine, events);
            SpqCodes spq = new SpqCodes(sqlite, paths.dataDir(), decoder, new SpqCodes.Target() {
                @Override
                public ModelInfo model() {
                    return engine.model();
                }

                @Override
                public ImageEncoder imageEncoder() {
                    return engine.current().imageEncoder();
                }

                @Override
                public VectorIndex index() {
                    return engine.index();
                }
            });
            opened.push(spq); // closed before the encoders it trains with

            IndexingDaemon daemon = new IndexingDaemon(catalog, engine::indexingEncoder, decoder,
                    IndexingDaemon.Config.defaults().withStorageCheck(StorageCheck.of(paths.dataDir())),
                    List.of(instance.pass()));
            opened.push(daemon);
            engine.attach(daemon);
            if (failover != null) {
                opened.push(LibraryCopies.start(failover, engine::model));
                // a running window sees other computers' photos
                SharedLibraryPoll poll = new SharedLibraryPoll(failover, engine::model, engine::index).start();
                events.add(poll);
                opened.push(poll);
            }
            ThumbnailCache thumbnails = new ThumbnailCache(paths.thumbnailsDir(), decoder);
            LOG.info("Opened {} with model {} ({} vectors)", paths.dataDir(), model.id(), engine.index().size());

            ModelService models = new ModelService(store, registry, ModelCatalogue.builtIn(),
                    ModelService.defaultDownloader(), () -> Optional.of(engine.model().id()));
            models.attach(engine::switchTo);
            List<AutoCloseable> closeOrder = new ArrayList<>(opened); // stack order: daemon first, catalog last
            Engine result = new Engine(paths, catalog, models, engine, events, daemon, thumbnails,
                    Optional.of(instance), closeOrder);
            result.composeLearning = composers;
            result.spqCodes = spq;
            models.attachTextChoice(textModelId -> result.useTextModel(textModelId, true));
            if (modelId != null) {
                models.activate(modelId); // the one model switch (a no-op when it is active already)
            }
            return result;
        } catch (RuntimeException e) {
            while (!opened.isEmpty()) {
                try {
                    opened.pop().close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * Opens the shared library at {@code url} as this data folder would (libpq's environment and password file
     * supply what the URL leaves out), then closes it: Settings' "Test connection".
     *
     * @return one line on what was found (server, database, vector mode)
     * @throws OcularException with the clear message of what is wrong (wrong or no password, missing database,
     *                         unreachable server, newer schema, another application's database)
     */
    public static String testSharedLibrary(AppPaths paths, String url) {
        AppPaths shared = paths.withCatalog(url, Map.of());
        if (shared.sharedCatalog().isEmpty()) {
            throw new OcularException("Not a shared library: " + url);
        }
        try (Catalog c = openCatalog(shared)) {
            return c.describeLocation();
        }
    }

    /**
     * The catalog of {@code paths}: the shared library at {@link AppPaths#catalogUrl()} (this computer known by its
     * {@link ComputerId}), else the SQLite file.
     *
     * @throws OcularException when it cannot be opened (the message says why and what to do)
     */
    public static Catalog openCatalog(AppPaths paths) {
        if (paths.sharedCatalog().isPresent()) {
            return PostgresCatalog.open(PostgresLocation.parse(paths.sharedCatalog().get()),
                    ComputerId.of(paths.dataDir()));
        }
        return SqliteCatalog.open(paths.catalogFile());
    }

    /**
     * One model's encoders, its vectors loaded from the catalog into an exact index, and a search service over
     * exactly those (so a search never mixes two models' vectors). Closes what it opened if anything fails.
     */
    private static ActiveEngine.Generation openGeneration(EncoderRegistry registry, Catalog catalog, ScanPool pool,
                                                          ImageDecoder decoder, InstanceSearch instance,
                                                          Path dataDir, ModelInfo model, FailoverCatalog failover,
                                                          PersonalComposers composers) {
        ImageEncoder imageEncoder = registry.openImageEncoder(model.id());
        try {
            // the model's own text tower and its space's companions (e.g. multilingual), the chosen one in use
            Optional<TextEncoder> textEncoder = registry.openTextTowers(model.id(),
                    catalog.setting(TextTowers.settingKey(model.id())).orElse(null)).map(TextEncoder.class::cast);
            try {
                // a model not registered yet has no vectors (they are keyed by it); the switch registers it
                // full vectors on the heap below IndexPolicy's size threshold, memory-mapped above (FullVectorTier);
                // exact search below it, compact codes (loaded or built in the background) above
                // a server with pgvector searches the vectors itself: nothing is loaded here
                VectorIndex index = catalog.serverVectors().<VectorIndex>map(s -> new ServerVectorIndex(s, model,
                                () -> failover == null ? null : failover.offlineIndex(model, pool)))
                        .orElseGet(() -> localIndex(catalog, model, dataDir, pool));
                // composed queries use the model's personal or imported Combiner where one is installed, else the
                // weighted sum (switched while searches run when a personal one is trained or reset)
                QueryComposer composer = textEncoder.isEmpty() ? new WeightedSumComposer()
                        : composers.composerFor(model.id(), imageEncoder.dimension());
                return new ActiveEngine.Generation(model, imageEncoder, textEncoder, index,
                        g -> {
                            QueryImageLoader loader = file -> decoder.decode(file, imageEncoder.preferredShortSide())
                                    .image();
                            // verification's reciprocal term searches the live index with each ambiguous
                            // candidate's stored vector (compact codes' neighbour search at large sizes)
                            return new VerifyingSearchService(new RotatingSearchService(new DefaultSearchService(
                                    catalog, g::index, imageEncoder, textEncoder, loader, composer, Rocchio.DEFAULT),
                                    catalog, g::index, imageEncoder, loader, RotatingSearchService.TURN_SHORT_SIDE,
                                    DatabaseAugmentation.DEFAULT_NEIGHBOURS,
                                    DatabaseAugmentation.DEFAULT_ALPHA), instance,
                                    () -> new ReciprocalNeighbours.Library(
                                            RotatingSearchService.storedVectors(catalog, imageEncoder),
                                            RotatingSearchService.neighbourSearch(g.index())));
                        });
            } catch (RuntimeException e) {
                textEncoder.ifPresent(TextEncoder::close);
                throw e;
            }
        } catch (RuntimeException e) {
            imageEncoder.close();
            throw e;
        }
    }

    /** The model's vectors in this computer's memory or memory-mapped, exact or compact (0050, 0100). */
    private static AdaptiveIndex localIndex(Catalog catalog, ModelInfo model, Path dataDir, ScanPool pool) {
        Path indexDir = dataDir.resolve("index").resolve(AdaptiveIndex.folderName(model.id()));
        FullVectors full = FullVectorTier.open(catalog, model, indexDir, pool);
        // the user's SPQ codes when their self-check beat PQ (trained by `ocular train spq` or the window), else PQ
        return AdaptiveIndex.open(full, indexDir, model.id(), pool,
                IndexChoice.parse(catalog.setting(IndexChoice.SETTING).orElse(null)),
                SpqCodes.preferred(dataDir, model.id()).orElse(null));
    }

    /**
     * An installed model.
     *
     * @throws OcularException when it is not installed (the message lists the installed ones)
     */
    static ModelInfo chooseModel(EncoderRegistry registry, String requested) {
        return registry.info(requested).orElseThrow(() -> new OcularException("Unknown model '" + requested
                + "'. Installed: " + registry.available().stream().map(ModelInfo::id).collect(Collectors.joining(", "))
                + ". Import or download it first ('ocular models import FILE' / 'ocular models download ID')."));
    }

    /**
     * The catalog's active model, else the built-in descriptor. A stored active model that has since been
     * removed falls back to the built-in one (with a warning) so the app still opens.
     */
    static ModelInfo storedOrBuiltin(EncoderRegistry registry, Catalog catalog) {
        String active = catalog.activeModelId().orElse(BuiltinDescriptor.MODEL_ID);
        return registry.info(active).orElseGet(() -> {
            LOG.warn("The active model '{}' is no longer installed; using the built-in model until it is installed again",
                    active);
            return BuiltinDescriptor.info();
        });
    }

    /**
     * The active model of an existing data folder, without opening the engine (empty for a fresh one). Eval
     * and bench use it as their default so they measure the model the user actually searches with.
     */
    public static Optional<String> activeModelId(AppPaths paths) {
        if (paths.sharedCatalog().isEmpty() && !Files.isRegularFile(paths.catalogFile())) {
            return Optional.empty();
        }
        try (Catalog c = openCatalog(paths)) {
            return c.activeModelId();
        }
    }

    public AppPaths paths() {
        return paths;
    }

    public Catalog catalog() {
        return catalog;
    }

    /** The models of this data folder: import, download, remove, and activate (the one model switch). */
    public ModelService models() {
        return models;
    }

    /** The compose panel's marks, the personal Combiner's training and which composer is in use (Settings). */
    public ComposeLearning composeLearning() {
        return composeLearning;
    }

    /** Compact codes trained on the library's photos (SPQ): training, progress, the self-check's verdict. */
    public CodeTraining codeTraining() {
        return spqCodes != null ? spqCodes : CodeTraining.unavailable();
    }

    /** {@link #codeTraining()} with its options and a wait ({@code ocular train spq}); empty without one. */
    public Optional<SpqCodes> spqCodes() {
        return Optional.ofNullable(spqCodes);
    }

    /** Near-duplicate groups among the active model's vectors. */
    public DuplicateService duplicates() {
        return duplicates;
    }

    /** Hooks for structures that must follow the active model's index (see {@link IndexLifecycleListener}). */
    public void addIndexListener(IndexLifecycleListener listener) {
        indexEvents.add(listener);
    }

    public void removeIndexListener(IndexLifecycleListener listener) {
        indexEvents.remove(listener);
    }

    /** The model searches use now (it changes with {@link ModelService#activate}). */
    public ModelInfo activeModel() {
        return active.model();
    }

    /** The active model's image encoder; closed once another model is switched to (don't keep it). */
    public ImageEncoder imageEncoder() {
        return active.current().imageEncoder();
    }

    public Optional<TextEncoder> textEncoder() {
        return active.current().textEncoder();
    }

    /** The text towers of the active model (its own and its space's companions), if it can search by words. */
    public Optional<TextTowers> textTowers() {
        return textEncoder().filter(TextTowers.class::isInstance).map(TextTowers.class::cast);
    }

    /**
     * Makes {@code textModelId} read the words of text and composed searches of the active model ("Search
     * words with: English CLIP | Multilingual"); image vectors are untouched.
     *
     * @param remember also store it as the setting for this image model (used whenever it is opened)
     * @throws OcularException when the active model cannot search by words, or the text model is not one of
     *                         its towers
     */
    public void useTextModel(String textModelId, boolean remember) {
        TextTowers towers = textTowers().orElseThrow(() -> new OcularException("The active model ("
                + activeModel().id() + ") cannot search by words, so it has no text model to choose."));
        towers.use(Objects.requireNonNull(textModelId, "textModelId"));
        if (remember) {
            catalog.putSetting(TextTowers.settingKey(activeModel().id()), textModelId);
        }
    }

    /**
     * A model's vectors for a scan over all of them (duplicates): the live index's full tier when it is that
     * model's (memory-mapped in a large library, read a block at a time), else the catalog's matrix.
     */
    private VectorRows vectorRows(String modelId) {
        VectorIndex index = active.indexOf(modelId); // null unless modelId is active (read atomically)
        if (index != null) {
            if (index instanceof AdaptiveIndex a) {
                return a.exact().snapshot();
            }
            if (index instanceof FullVectors f) {
                return f.snapshot();
            }
        }
        return VectorRows.of(catalog.loadEmbeddings(modelId));
    }

    /** A model's nearest-neighbour search over its compact codes for the duplicate scan, or null (exact scan). */
    private DuplicateFinder.Neighbours neighbours(String modelId) {
        return active.indexOf(modelId) instanceof AdaptiveIndex a ? a.neighbours() : null;
    }

    /** The active model's vectors, kept in step with the catalog as the daemon commits. */
    public VectorIndex index() {
        return active.index();
    }

    /** What searches of the active model use now ("exact", or "ivfpq (...)"), for status lines. */
    public String indexDescription() {
        VectorIndex index = active.index();
        if (index instanceof ServerVectorIndex s) {
            return s.describe();
        }
        return index instanceof AdaptiveIndex a ? a.describe() : "exact";
    }

    /** The index kind searches use now: "exact", "ivfpq", "spq" (the user's trained codes) or "server" (pgvector). */
    public String indexKind() {
        VectorIndex index = active.index();
        if (index instanceof ServerVectorIndex) {
            return "server";
        }
        return index instanceof AdaptiveIndex a ? a.kind() : "exact";
    }

    /** The index the user chose in Settings (automatic unless changed). */
    public IndexChoice indexChoice() {
        return IndexChoice.parse(catalog.setting(IndexChoice.SETTING).orElse(null));
    }

    /**
     * Makes searches use {@code choice} from now on (kept in the catalog, through the indexer's one writer, and
     * used by every model's index): exact at once; compact codes loaded or built in the background meanwhile.
     */
    public void chooseIndex(IndexChoice choice) {
        indexer.putSetting(IndexChoice.SETTING, choice.value());
        if (active.index() instanceof AdaptiveIndex a) {
            a.choose(choice);
        }
    }

    /**
     * Writes this computer's copy of a shared library again now if the library changed (it is also kept current in
     * the background); searches read it while the server is away. False for a library file, or when nothing
     * changed or the server is away.
     */
    public boolean refreshLibraryCopy() {
        return active.catalog() instanceof FailoverCatalog f && f.refreshCopy(active.model());
    }

    public Indexer indexer() {
        return indexer;
    }

    /** Searches with whichever model is active when each search starts. */
    public SearchService search() {
        return active;
    }

    public ThumbnailCache thumbnails() {
        return thumbnails;
    }

    /**
     * Why {@code imageId} matches {@code query}: the two pictures side by side with their verified local
     * feature matches drawn, {@code height} pixels high.
     *
     * @throws OcularException when instance search is not available or the images cannot be read
     */
    public BufferedImage explainMatch(Query query, long imageId, int height) {
        InstanceSearch is = instance.orElseThrow(() -> new OcularException("Explaining a match needs instance search."));
        return new VerifyingSearchService(active, is).explain(query, imageId, height);
    }

    /** Instance search (local features) of this data folder, when the engine offers it. */
    public Optional<InstanceSearch> instance() {
        return instance;
    }

    /**
     * Turns instance search on or off (a catalog setting, saved through the indexer's writer). Turning it on
     * needs the MobileNetV2 feature model and schedules the local features of images that lack them (the
     * collection's projection is fitted first, once enough images are indexed); turning it off keeps the
     * stored features, so turning it on again costs nothing.
     *
     * @throws OcularException when the feature model is not installed (the message says how to import it)
     */
    public void setInstanceSearch(boolean on) {
        InstanceSearch is = instance.orElseThrow(() -> new OcularException("Instance search is not available."));
        if (on) {
            is.requireModel();
        }
        indexer.putSetting(InstanceSearch.ENABLED_SETTING, on ? "on" : "off"); // through the catalog's one writer
        if (on) {
            computeInstanceFeatures();
        }
    }

    /** Schedules the local features of images that lack them (a no-op while instance search is off). */
    public void computeInstanceFeatures() {
        indexer.runFollowUpPasses();
    }

    @Override
    public void close() {
        List<Exception> failures = new ArrayList<>();
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                failures.add(e);
                LOG.warn("closing {} failed", r, e);
            }
        }
        if (!failures.isEmpty()) {
            OcularException ex = new OcularException("Ocular did not shut down cleanly: " + failures.get(0).getMessage(),
                    failures.get(0));
            failures.stream().skip(1).forEach(ex::addSuppressed);
            throw ex;
        }
    }
}
