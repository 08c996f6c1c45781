package io.ocular.engine;

import io.ocular.embed.BuiltinDescriptor;
import io.ocular.embed.EncoderRegistry;
import io.ocular.embed.ImageEncoder;
import io.ocular.embed.InstalledModel;
import io.ocular.embed.LocalFeatureExtractor;
import io.ocular.embed.ModelCatalogue;
import io.ocular.embed.ModelDownloader;
import io.ocular.embed.ModelFilesImporter;
import io.ocular.embed.ModelInstaller;
import io.ocular.embed.ModelStore;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The models of one data folder: list, import, download, remove and activate. The single owner of the model
 * folder: one {@link ModelStore}, one {@link EncoderRegistry} and one {@link ModelInstaller} (with the one
 * download client configuration) per data folder, shared by the window and the CLI.
 *
 * <p>Activation needs a running engine ({@link Engine#models()}): it goes through the engine's one model
 * switch. A service opened without an engine ({@link #open(AppPaths)}, for {@code ocular models ...}) reads
 * the active model from the catalog and refuses to activate.
 */
public final class ModelService {

    /** Makes an installed model the active one (the engine's model switch). */
    @FunctionalInterface
    interface Activator {
        void activate(ModelInfo model);
    }

    private final ModelStore store;
    private final EncoderRegistry registry;
    private final ModelCatalogue catalogue;
    private final ModelInstaller installer;
    private final Supplier<Optional<String>> activeModelId;
    private volatile Activator activator;
    private volatile Consumer<String> textChoice;

    /**
     * @param activeModelId the model searches use now (the engine's, or the catalog's without an engine)
     */
    ModelService(ModelStore store, EncoderRegistry registry, ModelCatalogue catalogue, ModelDownloader downloader,
                 Supplier<Optional<String>> activeModelId) {
        this.store = Objects.requireNonNull(store, "store");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
        this.installer = new ModelInstaller(Objects.requireNonNull(downloader, "downloader"), store);
        this.activeModelId = Objects.requireNonNull(activeModelId, "activeModelId");
    }

    /** The download client every model download uses: 30 s read timeout, 3 attempts 2 s apart. */
    static ModelDownloader defaultDownloader() {
        return new ModelDownloader(ModelDownloader.defaultClient(), Duration.ofSeconds(30), 3, Duration.ofSeconds(2));
    }

    /** The model store of a data folder, {@code <dataDir>/models} (the folder must be named so). */
    static ModelStore storeOf(AppPaths paths) {
        Path models = paths.modelsDir();
        if (!models.getFileName().toString().equals("models") || models.getParent() == null) {
            throw new IllegalArgumentException("the model store folder must be named 'models': " + models);
        }
        return new ModelStore(models.getParent());
    }

    /**
     * The models of a data folder without opening the engine (no catalog kept open, no encoder loaded), for
     * commands that only manage models. {@link #activate} is refused; open the engine for that.
     */
    public static ModelService open(AppPaths paths) {
        paths.createDirectories();
        ModelStore store = storeOf(paths);
        return new ModelService(store, new EncoderRegistry(store), ModelCatalogue.builtIn(), defaultDownloader(),
                () -> Engine.activeModelId(paths));
    }

    /** Connects the engine's model switch (once, when the engine is built). */
    void attach(Activator engineSwitch) {
        this.activator = Objects.requireNonNull(engineSwitch, "engineSwitch");
    }

    /** Connects the engine's choice of the text model that reads search words (see {@link Engine#useTextModel}). */
    void attachTextChoice(Consumer<String> textChoice) {
        this.textChoice = Objects.requireNonNull(textChoice, "textChoice");
    }

    EncoderRegistry registry() {
        return registry;
    }

    /** Models that can be downloaded. */
    public ModelCatalogue catalogue() {
        return catalogue;
    }

    /** Every model the engine can open: the built-in descriptor first, then the installed ones. */
    public List<ModelInfo> available() {
        return registry.available();
    }

    /** The installed models with their manifests (licence, source); the built-in one is not among them. */
    public List<InstalledModel> installed() {
        return store.list();
    }

    public Optional<ModelInfo> info(String id) {
        return registry.info(id);
    }

    /**
     * Opens the image encoder of an installed model (the caller closes it), e.g. to check that it loads.
     *
     * @throws OcularException when the model is not installed or cannot be opened
     */
    public ImageEncoder openImageEncoder(String id) {
        return registry.openImageEncoder(id);
    }

    /** The installed MobileNetV2 feature model that instance search extracts local features with, if any. */
    public Optional<Path> localFeatureModel() {
        return LocalFeatureExtractor.findModel(store);
    }

    public boolean isInstalled(String id) {
        return BuiltinDescriptor.MODEL_ID.equals(id) || store.get(id).isPresent();
    }

    /** The model searches use now; empty for a data folder that has none yet. */
    public Optional<String> activeModelId() {
        return activeModelId.get();
    }

    /**
     * Imports an ONNX file, a model pack (a {@code .zip} with {@code manifest.json}) or a hand-downloaded folder;
     * the first installed model when a folder holds several (see {@link #importModels}).
     *
     * @param id the id to install under (a pack names its own); empty for the catalogue's or a derived one
     * @throws OcularException when the file is missing or not a usable model (nothing is installed)
     */
    public InstalledModel importModel(Path source, Optional<String> id) {
        return importModels(List.of(source), id, Optional.empty()).get(0);
    }

    /**
     * Imports what a user downloaded by hand: folders (e.g. Hugging Face's layout) or several files, an ONNX
     * file or a model pack. Files matching a catalogue entry by SHA-256 install as that entry; CLIP-style and
     * sentence-transformers towers are recognised by content ({@link ModelFilesImporter}).
     *
     * @param space for a recognised model without catalogue match: the embedding space it belongs to
     * @throws OcularException when a path is missing or nothing usable is found (the message says what is expected)
     */
    public List<InstalledModel> importModels(List<Path> sources, Optional<String> id, Optional<String> space) {
        Objects.requireNonNull(id, "id");
        for (Path source : sources) {
            if (!Files.exists(source)) {
                throw new OcularException("File not found: " + source);
            }
        }
        boolean pack = sources.size() == 1
                && sources.get(0).getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
        if (pack && id.isPresent()) {
            throw new OcularException("--id applies to ONNX files and folders; a model pack names its id in"
                    + " manifest.json.");
        }
        return new ModelFilesImporter(store, catalogue).importPaths(sources, id, space);
    }

    /**
     * Downloads, verifies and installs a catalogue model. Blocks; partial files are kept when cancelled.
     *
     * @throws OcularException for an unknown id or a failed download (nothing is installed then)
     */
    public InstalledModel download(String id, ModelDownloader.Listener progress, BooleanSupplier cancelled) {
        ModelCatalogue.Entry entry = catalogue.find(id).orElseThrow(() -> new OcularException(
                "Unknown model '" + id + "'; 'ocular models list' shows the models that can be downloaded."));
        return installer.installModel(entry, progress, cancelled);
    }

    /**
     * Removes an installed model (and any partial download of it).
     *
     * @throws OcularException for the built-in model, the active model, or an unknown id
     */
    public void remove(String id) {
        if (BuiltinDescriptor.MODEL_ID.equals(id)) {
            throw new OcularException("The built-in model cannot be removed.");
        }
        if (!installer.remove(id, activeModelId().orElse(null))) {
            throw new OcularException("Unknown model '" + id + "'; 'ocular models list' shows the installed ones.");
        }
    }

    /**
     * Makes an installed model active at once: new searches use it and the library is re-embedded with it in
     * the background. The one model switch of the window and the CLI. A text model only (kind TEXT) instead
     * becomes the one that reads search words for the active image model, when it shares its space.
     *
     * @throws OcularException when the model is not installed or cannot be opened (the old one stays active),
     *                         or when no engine is open
     */
    public void activate(String id) {
        Objects.requireNonNull(id, "id");
        Activator a = activator;
        if (a == null) {
            throw new OcularException("Open the library to change the active model (e.g. 'ocular index --model "
                    + id + " DIR').");
        }
        ModelInfo model = Engine.chooseModel(registry, id);
        Consumer<String> text = textChoice;
        if (model.kind() == ModelKind.TEXT && text != null) {
            // a text model only (e.g. the multilingual CLIP text tower): it becomes the reader of search words
            // for the active image model (stored as its setting); the image vectors are not touched
            text.accept(model.id());
            return;
        }
        a.activate(model);
    }
}
