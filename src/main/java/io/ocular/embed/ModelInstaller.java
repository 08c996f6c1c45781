package io.ocular.embed;

import io.ocular.model.OcularException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Installs a catalogue entry into the {@link ModelStore}: downloads every file (resumable, into
 * {@code <modelsDir>/.partial/<id>/}, each SHA-256 verified by the {@link ModelDownloader}), then hands
 * the files to {@link ModelStore#installDownloaded}, which checks them again, writes the manifest and
 * swaps the model in atomically (the store is the only writer of model folders). A failure or
 * cancellation leaves any previous installation untouched and keeps the downloaded files for the next try.
 * Entries with an unknown checksum are refused before anything is downloaded.
 *
 * <p>Also the place to remove a model from ({@link #remove(String, String)}): it knows which downloads are
 * running and cancels the one for that id first. One download per id at a time.
 */
public final class ModelInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(ModelInstaller.class);
    public static final String MANIFEST = ModelStore.MANIFEST;
    static final String PARTIAL_DIR = ".partial";
    /** How long {@link #remove} waits for a cancelled download to stop (it stops between 64 KB chunks). */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final ModelDownloader downloader;
    private final ModelStore store;
    private final ConcurrentMap<String, Running> running = new ConcurrentHashMap<>();

    /** A download in progress: its cancel flag, and a latch released when its thread has left install. */
    private record Running(AtomicBoolean cancel, CountDownLatch done) {
    }

    /**
     * An installer that installs into {@code store}, the data folder's one store (decision 0090; the engine's
     * {@code ModelService} builds the one installer).
     */
    public ModelInstaller(ModelDownloader downloader, ModelStore store) {
        this.downloader = downloader;
        this.store = store;
    }

    /** The store models are installed into. */
    public ModelStore store() {
        return store;
    }

    /** Folder of an installed model. */
    public Path modelDir(String id) {
        return store.root().resolve(id);
    }

    /** Where the files of {@code id} are downloaded before they are installed. */
    Path downloadDir(String id) {
        return store.root().resolve(PARTIAL_DIR).resolve(id);
    }

    /** True when the store lists the model: its manifest is valid and its files have their sizes. */
    public boolean isInstalled(String id) {
        return store.get(id).isPresent();
    }

    /** True while a download of {@code id} runs in this installer. */
    public boolean isDownloading(String id) {
        return running.containsKey(id);
    }

    /**
     * Asks the running download of {@code id}, if any, to stop (it throws
     * {@link ModelDownloader.CancelledException} and keeps its partial files). Does not wait.
     *
     * @return whether a download of {@code id} was running
     */
    public boolean cancel(String id) {
        Running r = running.get(id);
        if (r == null) {
            return false;
        }
        r.cancel().set(true);
        return true;
    }

    /**
     * Downloads, verifies and installs an entry.
     *
     * @return the installed model folder
     * @throws ModelDownloader.CancelledException when cancelled (partial files kept)
     * @throws OcularException                    on any failure; nothing is installed then
     */
    public Path install(ModelCatalogue.Entry entry, ModelDownloader.Listener listener, BooleanSupplier cancelled) {
        return installModel(entry, listener, cancelled).directory();
    }

    /**
     * Downloads, verifies and installs an entry, like {@link #install}, and returns the model as the store
     * lists it.
     */
    public InstalledModel installModel(ModelCatalogue.Entry catalogueEntry, ModelDownloader.Listener listener,
                                       BooleanSupplier cancelled) {
        ModelCatalogue.Entry entry = catalogueEntry.forThisMachine(); // one variant per file for this processor
        List<String> unknown = new ArrayList<>();
        for (ModelCatalogue.FileSpec f : entry.files()) {
            if (!f.checksumKnown()) {
                unknown.add(f.name());
            }
        }
        if (!unknown.isEmpty()) {
            throw new OcularException("'" + entry.name() + "' cannot be installed: the catalogue has no SHA-256"
                    + " checksum for " + String.join(", ", unknown) + ", so a download could not be verified."
                    + " Import the model from a file you trust instead.");
        }
        ModelManifest manifest = ModelManifest.fromCatalogue(entry);
        manifest.validate(); // a bad entry is refused before anything is downloaded
        Running me = new Running(new AtomicBoolean(), new CountDownLatch(1));
        if (running.putIfAbsent(entry.id(), me) != null) {
            throw new OcularException("'" + entry.name() + "' is already being downloaded.");
        }
        try {
            BooleanSupplier stop = () -> me.cancel().get() || cancelled.getAsBoolean();
            Path downloads = downloadDir(entry.id());
            for (ModelCatalogue.FileSpec f : entry.files()) {
                downloader.download(f.url(), downloads.resolve(f.name()), f.size(), f.sha256(), listener, stop);
                if (f.derive() != null && !stop.getAsBoolean()) {
                    // the store checks the derived file's size and SHA-256 against the manifest again
                    FeatureModelDerivation.derive(f.derive().recipe(), downloads.resolve(f.name()),
                            downloads.resolve(f.derive().name()));
                }
            }
            if (stop.getAsBoolean()) {
                throw new ModelDownloader.CancelledException("The installation of '" + entry.name()
                        + "' was cancelled; the downloaded files are kept for the next try.");
            }
            InstalledModel installed = store.installDownloaded(manifest, downloads);
            ModelStore.deleteTreeQuietly(downloads);
            LOG.info("Installed model {} into {}", entry.id(), installed.directory());
            return installed;
        } finally {
            running.remove(entry.id(), me);
            me.done().countDown();
        }
    }

    /**
     * Removes a model and its partial download: refuses the active model; cancels a running download of
     * that id first and waits for it to stop.
     *
     * @param activeModelId the model the app currently indexes and searches with (null when none)
     * @return whether anything (an installed model or a partial download) was removed
     * @throws OcularException when {@code id} is the active model (nothing is cancelled or removed then),
     *                         or the download did not stop in time
     */
    public boolean remove(String id, String activeModelId) {
        ModelStore.requireNotActive(id, activeModelId);
        if (!ModelManifest.isValidId(id)) {
            return false;
        }
        Running r = running.get(id);
        if (r != null) {
            r.cancel().set(true);
            try {
                if (!r.done().await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new OcularException("The download of '" + id + "' is still stopping; try removing it"
                            + " again in a moment.");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OcularException("Interrupted while waiting for the download of '" + id + "' to stop.", e);
            }
        }
        Path downloads = downloadDir(id);
        boolean hadDownload = Files.exists(downloads);
        ModelStore.deleteTreeQuietly(downloads);
        boolean removed = store.remove(id, activeModelId);
        return removed || hadDownload || r != null;
    }
}
