package io.ocular.embed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ocular.model.OcularException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Installs a catalogue entry into the model store: downloads every file (resumable, into
 * {@code <modelsDir>/.partial/<id>/}), verifies each SHA-256, writes {@code manifest.json}, then swaps
 * the finished directory into {@code <modelsDir>/<id>/} with one rename. A failure or cancellation
 * leaves any previous installation untouched and keeps the partial files for the next try.
 * Entries with an unknown checksum are refused before anything is downloaded.
 */
public final class ModelInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(ModelInstaller.class);
    public static final String MANIFEST = "manifest.json";
    static final String PARTIAL_DIR = ".partial";

    private final ModelDownloader downloader;
    private final Path modelsDir;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** @param modelsDir the model store's folder, {@code <dataDir>/models} */
    public ModelInstaller(ModelDownloader downloader, Path modelsDir) {
        this.downloader = downloader;
        this.modelsDir = modelsDir;
    }

    /** Folder of an installed model. */
    public Path modelDir(String id) {
        return modelsDir.resolve(id);
    }

    /** True when the model's folder and manifest exist (files are verified at install time). */
    public boolean isInstalled(String id) {
        return Files.isRegularFile(modelDir(id).resolve(MANIFEST));
    }

    /**
     * Downloads, verifies and installs an entry.
     *
     * @return the installed model folder
     * @throws ModelDownloader.CancelledException when cancelled (partial files kept)
     * @throws OcularException                    on any failure; nothing is installed then
     */
    public Path install(ModelCatalogue.Entry entry, ModelDownloader.Listener listener, BooleanSupplier cancelled) {
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
        Path staging = modelsDir.resolve(PARTIAL_DIR).resolve(entry.id());
        for (ModelCatalogue.FileSpec f : entry.files()) {
            downloader.download(f.url(), staging.resolve(f.name()), f.size(), f.sha256(), listener, cancelled);
        }
        writeManifest(entry, staging.resolve(MANIFEST));
        Path target = modelDir(entry.id());
        swapIn(staging, target);
        LOG.info("Installed model {} into {}", entry.id(), target);
        return target;
    }

    private void writeManifest(ModelCatalogue.Entry entry, Path manifest) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", entry.id());
        m.put("name", entry.name());
        m.put("kind", entry.kind().name());
        m.put("dimension", entry.dimension());
        m.put("preprocessing", entry.preprocessing());
        m.put("licence", entry.licence());
        m.put("homepage", entry.homepage() == null ? null : entry.homepage().toString());
        List<Map<String, Object>> files = new ArrayList<>();
        for (ModelCatalogue.FileSpec f : entry.files()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("name", f.name());
            fm.put("size", f.size());
            fm.put("sha256", f.sha256());
            fm.put("url", f.url().toString());
            files.add(fm);
        }
        m.put("files", files);
        m.put("installedAt", Instant.now().toString());
        try {
            Path tmp = manifest.resolveSibling(MANIFEST + ".tmp");
            json.writeValue(tmp.toFile(), m);
            Files.move(tmp, manifest, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new OcularException("Could not write " + manifest + ": " + e.getMessage(), e);
        }
    }

    /** Replaces {@code target} by {@code staging} with renames; restores the old folder on failure. */
    private static void swapIn(Path staging, Path target) {
        Path old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
        boolean hadOld = Files.exists(target);
        try {
            if (hadOld) {
                move(target, old);
            }
            try {
                move(staging, target);
            } catch (IOException e) {
                if (hadOld) {
                    move(old, target);
                }
                throw e;
            }
        } catch (IOException e) {
            throw new OcularException("Could not install the model into " + target + ": " + e.getMessage(), e);
        }
        if (hadOld) {
            deleteTree(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete the replaced model folder {}", dir, e);
        }
    }
}
