package io.ocular.embed;
// Longer than 600 lines: import, install, list and crash recovery of the model folder share its atomic-move
// protocol and locking, which is easier to check in one file.

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocular.model.OcularException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The installed models: {@code <dataDir>/models/<id>/} holding a {@code manifest.json} and the files it
 * lists (with sizes and SHA-256).
 *
 * <p>Every install (import of an ONNX file, of a model pack, or of downloaded files) is built in a
 * {@code .staging-*} folder inside {@code models/}, checked, and only then moved into place with an atomic
 * rename. Replacing an existing id renames the old folder aside ({@code .old-<uuid>-<id>}) just before,
 * and deletes it just after, the new one moves in, so the old model keeps working until the new one is
 * complete. Opening the store finishes or undoes whatever a crash interrupted: staging folders are
 * deleted, an {@code .old-*} folder is restored when its id has no valid model, and removed models
 * ({@code .removed-*}) are deleted. Names starting with '.' are never listed.
 *
 * <p>This class is the only writer of model folders and manifests. {@link ModelInstaller} downloads
 * catalogue entries into its own resumable area {@code models/.partial/<id>/} (which the store never
 * lists nor cleans up) and hands the verified files to {@link #installDownloaded}. Manifests in the
 * older format that {@code ModelInstaller} wrote itself before (no {@code formatVersion}, a catalogue
 * preprocessing tag) are still read.
 *
 * <p>Thread-safe within one process (installs are serialised); two processes installing into the same
 * data folder at once are not coordinated.
 */
public final class ModelStore {
    private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);

    public static final String MANIFEST = "manifest.json";
    /** File name an imported ONNX file gets inside its model folder. */
    public static final String IMPORTED_ONNX = "model.onnx";

    private static final String STAGING = ".staging-";
    private static final String OLD = ".old-";
    private static final String REMOVED = ".removed-";
    private static final int UUID_HEX = 32;
    private static final Pattern LEGACY_OLD = Pattern.compile("\\.(.+)\\.old-\\d+");
    private static final long MAX_MANIFEST_BYTES = 1 << 20;
    /** Head-room kept free on the disk beyond the model's own size. */
    private static final long DISK_MARGIN = 64L << 20;

    private final Path root;
    private final ModelInspector inspector;
    private final ObjectMapper json;
    private final Object installLock = new Object();

    /** A store under {@code <dataDir>/models} that inspects ONNX files with ONNX Runtime. */
    public ModelStore(Path dataDir) {
        this(dataDir, new OnnxModelInspector());
    }

    public ModelStore(Path dataDir, ModelInspector inspector) {
        this(inspector, dataDir.resolve("models"));
    }

    /** A store whose root is {@code modelsDir} itself (not {@code <dataDir>/models}). */
    public static ModelStore inModelsFolder(Path modelsDir, ModelInspector inspector) {
        return new ModelStore(inspector, modelsDir);
    }

    private ModelStore(ModelInspector inspector, Path modelsDir) {
        this.root = modelsDir.toAbsolutePath().normalize();
        this.inspector = inspector;
        this.json = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .enable(SerializationFeature.INDENT_OUTPUT);
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new OcularException("Cannot create the model folder " + root + ": " + e.getMessage(), e);
        }
        recover();
    }

    /** {@code <dataDir>/models}. */
    public Path root() {
        return root;
    }

    // ---------------------------------------------------------------- reading

    /** Every complete, valid installed model, sorted by id. */
    public List<InstalledModel> list() {
        List<InstalledModel> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (name.startsWith(".") || !Files.isDirectory(dir)) {
                    continue;
                }
                readInstalled(dir).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new OcularException("Cannot read the model folder " + root + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(m -> m.manifest().id()));
        return out;
    }

    /** The installed model with this id, if it is complete and valid. */
    public Optional<InstalledModel> get(String id) {
        if (!ModelManifest.isValidId(id)) {
            return Optional.empty();
        }
        Path dir = root.resolve(id);
        return Files.isDirectory(dir) ? readInstalled(dir) : Optional.empty();
    }

    /**
     * Removes a model unless it is the active one (the model the app indexes and searches with).
     *
     * @param activeModelId the active model's id, or null when none
     * @return false when no such model is installed
     * @throws OcularException when {@code id} is the active model; nothing is removed then
     */
    public boolean remove(String id, String activeModelId) {
        requireNotActive(id, activeModelId);
        return remove(id);
    }

    /**
     * Refuses to touch the active model.
     *
     * @throws OcularException when {@code id} equals {@code activeModelId}
     */
    public static void requireNotActive(String id, String activeModelId) {
        if (id != null && id.equals(activeModelId)) {
            throw new OcularException("Model '" + id + "' is the active model, so it cannot be removed."
                    + " Make another model active first (the built-in descriptor always works), then remove it.");
        }
    }

    /**
     * Removes a model, whether active or not (callers that know the active model use
     * {@link #remove(String, String)}). Returns false when no such model is installed.
     */
    public boolean remove(String id) {
        if (!ModelManifest.isValidId(id)) {
            return false;
        }
        synchronized (installLock) {
            Path dir = root.resolve(id);
            if (!Files.isDirectory(dir)) {
                return false;
            }
            Path aside = root.resolve(REMOVED + hexUuid() + "-" + id);
            try {
                Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new OcularException("Cannot remove model '" + id + "' (is it in use?): " + e.getMessage(), e);
            }
            deleteTreeQuietly(aside);
            LOG.info("Removed model {}", id);
            return true;
        }
    }

    // ---------------------------------------------------------------- installing

    /**
     * Imports one ONNX file: copies it into the store (hashing while copying), recognises what it is,
     * and installs it atomically. A public classifier that Ocular derives a feature model from (the ONNX
     * Model Zoo's {@code mobilenetv2-12-int8.onnx}, see {@link FeatureModelDerivation}) is derived first,
     * exactly as its catalogue download is.
     *
     * @param onnx the file; it is copied, never moved or changed
     * @param id   the id to install under; by default a known model's id, else derived from the file name
     * @throws OcularException when the file is missing, damaged, truncated, not ONNX or not a model Ocular
     *                         can use; nothing is installed then
     */
    public InstalledModel importFile(Path onnx, Optional<String> id) {
        requireReadableFile(onnx, "Model file");
        id.ifPresent(ModelStore::requireValidId);
        long size = size(onnx);
        if (size == 0) {
            throw new OcularException("Model file " + onnx + " is empty.");
        }
        requireSpace(size);
        Path staging = newStaging();
        try {
            ModelManifest.FileEntry entry;
            try (InputStream in = Files.newInputStream(onnx)) {
                entry = copyHashed(in, staging.resolve(IMPORTED_ONNX), IMPORTED_ONNX, Long.MAX_VALUE);
            }
            Optional<String> recipe = FeatureModelDerivation.recipeForOriginal(entry.sha256());
            if (recipe.isPresent()) {
                // a public classifier Ocular knows: install the feature model derived from it, as a download would
                Path original = staging.resolve(IMPORTED_ONNX + ".original");
                moveFile(staging.resolve(IMPORTED_ONNX), original);
                FeatureModelDerivation.derive(recipe.get(), original, staging.resolve(IMPORTED_ONNX));
                Files.delete(original);
                try (InputStream in = Files.newInputStream(staging.resolve(IMPORTED_ONNX))) {
                    entry = hash(in, IMPORTED_ONNX);
                }
            }
            RecognisedModel rec = inspector.recognise(staging.resolve(IMPORTED_ONNX), onnx.getFileName().toString());
            // models whose checksum Ocular knows get a proper id, name and licence
            KnownModels.KnownModel known = KnownModels.bySha256(entry.sha256()).orElse(null);
            String stem = stripExtension(onnx.getFileName().toString());
            String finalId = id.orElseGet(() -> known != null ? known.id() : idFromFileName(stem));
            requireValidId(finalId);
            ModelManifest manifest = new ModelManifest(ModelManifest.FORMAT_VERSION, finalId,
                    known != null ? known.name() : stem, rec.kind(), rec.dimension(), rec.encoder(),
                    List.of(entry), rec.preprocessing(), known != null ? known.licence() : "unknown",
                    known != null ? known.source() : "imported from " + onnx.getFileName(), Map.of());
            manifest.validate();
            writeManifest(staging, manifest);
            InstalledModel installed = commit(staging, manifest);
            LOG.info("Imported model {} ({}, dim {}) from {}: {}", finalId, rec.encoder(), rec.dimension(),
                    onnx, rec.description());
            return installed;
        } catch (IOException e) {
            throw new OcularException("Could not import " + onnx + ": " + e.getMessage(), e);
        } finally {
            deleteTreeQuietly(staging);
        }
    }

    /**
     * Imports a model pack: a {@code .zip} with {@code manifest.json} at its top level and the files it
     * lists. Every file is checked against its listed size and SHA-256 before anything is installed;
     * entries with unsafe paths (absolute, {@code ..}, drive letters) make the whole pack refused.
     */
    public InstalledModel importPack(Path zip) {
        requireReadableFile(zip, "Model pack");
        Path staging = null;
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> en = zf.entries(); en.hasMoreElements(); ) {
                String name = en.nextElement().getName();
                if (!isSafeEntryName(name)) {
                    throw new OcularException("Model pack " + zip.getFileName() + " contains an unsafe path '"
                            + name + "' (outside the pack's folder); refusing to install it.");
                }
            }
            ZipEntry me = zf.getEntry(MANIFEST);
            if (me == null || me.isDirectory()) {
                throw new OcularException("Model pack " + zip.getFileName() + " has no " + MANIFEST
                        + " at its top level, so it is not an Ocular model pack.");
            }
            ModelManifest manifest;
            try (InputStream in = zf.getInputStream(me)) {
                manifest = parseManifest(in.readNBytes((int) MAX_MANIFEST_BYTES + 1), zip.getFileName().toString());
            }
            manifest.validate();
            requireSpace(manifest.files().stream().mapToLong(ModelManifest.FileEntry::size).sum());
            staging = newStaging();
            for (ModelManifest.FileEntry f : manifest.files()) {
                ZipEntry ze = zf.getEntry(f.name());
                if (ze == null || ze.isDirectory()) {
                    throw new OcularException("Model pack " + zip.getFileName() + " lacks the file " + f.name()
                            + " its manifest lists.");
                }
                try (InputStream in = zf.getInputStream(ze)) {
                    verify(f, copyHashed(in, staging.resolve(f.name()), f.name(), f.size()), zip.getFileName());
                }
            }
            return finishInstall(staging, manifest, "pack " + zip.getFileName());
        } catch (IOException e) {
            throw new OcularException("Cannot read model pack " + zip.getFileName()
                    + " (damaged or not a .zip file): " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // ZipFile throws this (not an IOException) for an entry name that is not valid UTF-8 (found by fuzzing)
            throw new OcularException("Cannot read model pack " + zip.getFileName()
                    + " (damaged or not an Ocular model pack: a file name in it is not readable text).", e);
        } finally {
            if (staging != null) {
                deleteTreeQuietly(staging);
            }
        }
    }

    /**
     * Installs the files of a model whose manifest is already known (e.g. after a download). Every file
     * is copied and checked against the manifest's size and SHA-256 again; then the model is installed
     * atomically, replacing any model with the same id.
     *
     * @param files manifest file name → where that file is now (left as it is)
     */
    public InstalledModel installFiles(ModelManifest manifest, Map<String, Path> files) {
        manifest.validate();
        for (ModelManifest.FileEntry f : manifest.files()) {
            Path p = files.get(f.name());
            if (p == null) {
                throw new OcularException("Cannot install model '" + manifest.id() + "': its file " + f.name()
                        + " was not provided.");
            }
            requireReadableFile(p, "Model file");
        }
        requireSpace(manifest.files().stream().mapToLong(ModelManifest.FileEntry::size).sum());
        Path staging = newStaging();
        try {
            for (ModelManifest.FileEntry f : manifest.files()) {
                try (InputStream in = Files.newInputStream(files.get(f.name()))) {
                    verify(f, copyHashed(in, staging.resolve(f.name()), f.name(), f.size()), files.get(f.name()));
                }
            }
            return finishInstall(staging, manifest, "files");
        } catch (IOException e) {
            throw new OcularException("Could not install model '" + manifest.id() + "': " + e.getMessage(), e);
        } finally {
            deleteTreeQuietly(staging);
        }
    }

    /**
     * Installs a model whose files were downloaded into {@code downloadDir} under their manifest names
     * (e.g. by {@link ModelInstaller}). Each file is checked again against the manifest's size and SHA-256
     * (a file that fails is deleted, so that the next try downloads it again), then <em>moved</em> (not
     * copied: CLIP is 600 MB) into a staging folder, checked by the inspector and installed atomically like
     * every other install: a model with the same id keeps working until the new one is complete. When a
     * later step fails, the files are moved back into {@code downloadDir}, so a retry needs no download.
     * Other files in {@code downloadDir} are left alone.
     *
     * @throws OcularException when a file is missing or not the expected one, or the model fails its check
     */
    public InstalledModel installDownloaded(ModelManifest manifest, Path downloadDir) {
        manifest.validate();
        for (ModelManifest.FileEntry f : manifest.files()) {
            Path p = downloadDir.resolve(f.name());
            requireReadableFile(p, "Downloaded file");
            ModelManifest.FileEntry actual;
            try (InputStream in = Files.newInputStream(p)) {
                actual = hash(in, f.name());
            } catch (IOException e) {
                throw new OcularException("Cannot read the downloaded file " + p + ": " + e.getMessage(), e);
            }
            try {
                verify(f, actual, "the download of '" + manifest.id() + "'");
            } catch (OcularException e) {
                deleteTreeQuietly(p);
                throw e;
            }
        }
        Path staging = newStaging();
        List<String> moved = new ArrayList<>();
        try {
            for (ModelManifest.FileEntry f : manifest.files()) {
                moveFile(downloadDir.resolve(f.name()), staging.resolve(f.name()));
                moved.add(f.name());
            }
            fsyncDirectory(staging);
            InstalledModel installed = finishInstall(staging, manifest, "download " + downloadDir.getFileName());
            moved.clear(); // they belong to the installed model now
            return installed;
        } catch (IOException e) {
            throw new OcularException("Could not install model '" + manifest.id() + "': " + e.getMessage(), e);
        } finally {
            for (String name : moved) {
                try {
                    moveFile(staging.resolve(name), downloadDir.resolve(name));
                } catch (IOException e) {
                    LOG.warn("Could not keep the downloaded file {} for the next try: {}", name, e.toString());
                }
            }
            deleteTreeQuietly(staging);
        }
    }

    private static void moveFile(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to); // another drive: copy and delete
        }
    }

    private static ModelManifest.FileEntry hash(InputStream in, String name) throws IOException {
        MessageDigest md = sha256();
        long total = 0;
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
            md.update(buf, 0, n);
            total += n;
        }
        return new ModelManifest.FileEntry(name, total, HexFormat.of().formatHex(md.digest()));
    }

    private InstalledModel finishInstall(Path staging, ModelManifest manifest, String from) throws IOException {
        inspector.check(manifest, staging);
        writeManifest(staging, manifest);
        InstalledModel installed = commit(staging, manifest);
        LOG.info("Installed model {} ({}, dim {}) from {}", manifest.id(), manifest.encoder(),
                manifest.dimension(), from);
        return installed;
    }

    /** Moves a finished staging folder into place, replacing any model with the same id. */
    private InstalledModel commit(Path staging, ModelManifest manifest) throws IOException {
        synchronized (installLock) {
            Path target = root.resolve(manifest.id());
            Path old = null;
            if (Files.exists(target)) {
                old = root.resolve(OLD + hexUuid() + "-" + manifest.id());
                try {
                    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new OcularException("Cannot replace model '" + manifest.id() + "' (is it in use?): "
                            + e.getMessage(), e);
                }
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (old != null) {
                    Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                }
                throw e;
            }
            fsyncDirectory(root);
            if (old != null) {
                deleteTreeQuietly(old);
            }
            return new InstalledModel(manifest, target);
        }
    }

    // ---------------------------------------------------------------- recovery

    /** Finishes or undoes installs and removals that a crash interrupted. */
    private void recover() {
        synchronized (installLock) {
            List<Path> leftovers = new ArrayList<>();
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, ".*")) {
                dirs.forEach(leftovers::add);
            } catch (IOException e) {
                throw new OcularException("Cannot read the model folder " + root + ": " + e.getMessage(), e);
            }
            for (Path p : leftovers) {
                String name = p.getFileName().toString();
                if (name.startsWith(STAGING) || name.startsWith(REMOVED)) {
                    LOG.info("Cleaning up unfinished model install/removal {}", name);
                    deleteTreeQuietly(p);
                } else if (name.startsWith(OLD) && name.length() > OLD.length() + UUID_HEX + 1) {
                    restoreOrDelete(p, name.substring(OLD.length() + UUID_HEX + 1));
                } else {
                    // the older ModelInstaller's own swap named the replaced folder ".<id>.old-<nanoTime>"
                    Matcher m = LEGACY_OLD.matcher(name);
                    if (m.matches()) {
                        restoreOrDelete(p, m.group(1));
                    }
                }
            }
        }
    }

    private void restoreOrDelete(Path old, String id) {
        Path target = root.resolve(id);
        if (!ModelManifest.isValidId(id) || (Files.isDirectory(target) && readInstalled(target).isPresent())) {
            deleteTreeQuietly(old);
            return;
        }
        try {
            LOG.warn("Restoring model {} after an interrupted replacement", id);
            deleteTreeQuietly(target);
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Could not restore model {} from {}: {}", id, old, e.toString());
        }
    }

    // ---------------------------------------------------------------- helpers

    private Optional<InstalledModel> readInstalled(Path dir) {
        Path mf = dir.resolve(MANIFEST);
        String dirName = dir.getFileName().toString();
        try {
            if (!Files.isRegularFile(mf) || Files.size(mf) > MAX_MANIFEST_BYTES) {
                LOG.warn("Ignoring model folder {}: no usable {}", dir, MANIFEST);
                return Optional.empty();
            }
            ModelManifest m = parseManifest(Files.readAllBytes(mf), dirName + "/" + MANIFEST);
            m.validate();
            if (!m.id().equals(dirName)) {
                LOG.warn("Ignoring model folder {}: its manifest says id '{}'", dir, m.id());
                return Optional.empty();
            }
            for (ModelManifest.FileEntry f : m.files()) {
                Path p = dir.resolve(f.name());
                if (!Files.isRegularFile(p) || Files.size(p) != f.size()) {
                    LOG.warn("Ignoring model {}: file {} is missing or has the wrong size", m.id(), f.name());
                    return Optional.empty();
                }
            }
            return Optional.of(new InstalledModel(m, dir));
        } catch (IOException | OcularException e) {
            LOG.warn("Ignoring model folder {}: {}", dir, e.getMessage());
            return Optional.empty();
        }
    }

    private ModelManifest parseManifest(byte[] bytes, String where) {
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new OcularException("The model manifest in " + where + " is too large to be a manifest.");
        }
        try {
            JsonNode tree = json.readTree(bytes);
            if (!(tree instanceof ObjectNode obj)) {
                throw new OcularException("The model manifest in " + where + " is empty or not a JSON object.");
            }
            if (!obj.has("formatVersion")) {
                upgradeInstallerManifest(obj);
            }
            return json.treeToValue(obj, ModelManifest.class);
        } catch (JsonProcessingException e) {
            throw new OcularException("The model manifest in " + where + " is not valid: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) { // e.g. CharConversionException: bytes in no valid Unicode encoding (fuzzing)
            throw new OcularException("The model manifest in " + where + " is not valid text: " + e.getMessage(), e);
        }
    }

    /**
     * Reads manifests written by {@link ModelInstaller} (no {@code formatVersion}; {@code preprocessing} is
     * a catalogue tag such as {@code clip-224}): the tag becomes the encoder type and its parameters.
     */
    private void upgradeInstallerManifest(ObjectNode obj) {
        obj.put("formatVersion", 1);
        JsonNode prep = obj.get("preprocessing");
        if (prep != null && prep.isTextual()) {
            String tag = prep.asText();
            obj.remove("preprocessing");
            obj.put("encoder", ModelManifest.encoderForCatalogueTag(tag));
            ModelManifest.Preprocessing p = ModelManifest.preprocessingForCatalogueTag(tag);
            if (p != null) {
                obj.set("preprocessing", json.valueToTree(p));
            }
        }
        if (!obj.has("source") && obj.hasNonNull("homepage")) {
            obj.put("source", obj.get("homepage").asText());
        }
    }

    private void writeManifest(Path dir, ModelManifest manifest) throws IOException {
        byte[] bytes = json.writeValueAsString(manifest).getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(dir.resolve(MANIFEST), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    /**
     * Copies a stream to a new file, hashing as it goes, and flushes it to disk. Stops with an error once
     * more than {@code maxBytes} arrive (a pack entry larger than its manifest says).
     */
    static ModelManifest.FileEntry copyHashed(InputStream in, Path target, String name, long maxBytes)
            throws IOException {
        MessageDigest md = sha256();
        long total = 0;
        byte[] buf = new byte[1 << 16];
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new OcularException("File " + name + " is larger than its manifest says ("
                            + maxBytes + " bytes); refusing it.");
                }
                md.update(buf, 0, n);
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
            }
            ch.force(true);
        }
        return new ModelManifest.FileEntry(name, total, HexFormat.of().formatHex(md.digest()));
    }

    private static void verify(ModelManifest.FileEntry expected, ModelManifest.FileEntry actual, Object from) {
        if (expected.size() != actual.size() || !expected.sha256().equalsIgnoreCase(actual.sha256())) {
            throw new OcularException("File " + expected.name() + " from " + from + " is damaged or not the"
                    + " expected file: " + actual.size() + " bytes with SHA-256 " + actual.sha256() + ", expected "
                    + expected.size() + " bytes with SHA-256 " + expected.sha256() + ". Nothing was installed.");
        }
    }

    /** A zip entry name that stays inside the folder it is extracted to, on every platform. */
    static boolean isSafeEntryName(String name) {
        if (name == null || name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains(":")
                || name.indexOf('\0') >= 0) {
            return false;
        }
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                return false;
            }
        }
        Path base = Path.of("base");
        return base.resolve(name).normalize().startsWith(base);
    }

    private Path newStaging() {
        try {
            return Files.createDirectory(root.resolve(STAGING + hexUuid()));
        } catch (IOException e) {
            throw new OcularException("Cannot write to the model folder " + root + ": " + e.getMessage(), e);
        }
    }

    private void requireSpace(long bytes) {
        try {
            long free = Files.getFileStore(root).getUsableSpace();
            if (free < bytes + DISK_MARGIN) {
                throw new OcularException("Not enough disk space for the model: it needs " + (bytes >> 20)
                        + " MB, " + (free >> 20) + " MB are free on the drive of " + root + ".");
            }
        } catch (IOException e) {
            LOG.debug("Cannot tell free disk space of {}: {}", root, e.toString());
        }
    }

    private static void requireReadableFile(Path p, String what) {
        if (!Files.exists(p)) {
            throw new OcularException(what + " " + p + " does not exist.");
        }
        if (!Files.isRegularFile(p)) {
            throw new OcularException(what + " " + p + " is not a file.");
        }
        if (!Files.isReadable(p)) {
            throw new OcularException(what + " " + p + " cannot be read (permissions?).");
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (NoSuchFileException | AccessDeniedException e) {
            throw new OcularException("Cannot read " + p + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new OcularException("Cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static void requireValidId(String id) {
        if (!ModelManifest.isValidId(id)) {
            throw new OcularException("'" + id + "' is not a valid model id: use lower-case letters, digits,"
                    + " '.', '_' and '-' (at most 64 characters, starting with a letter or digit).");
        }
    }

    static String idFromFileName(String stem) {
        String id = stem.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[^a-z0-9]+", "");
        id = id.replace("..", ".");
        if (id.length() > 64) {
            id = id.substring(0, 64);
        }
        return id.isEmpty() ? "model" : id;
    }

    private static String stripExtension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    private static String hexUuid() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static void fsyncDirectory(Path dir) {
        // Makes the renames durable on Linux/macOS; opening a directory is not supported on Windows.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.trace("Directory fsync not supported here: {}", e.toString());
        }
    }

    static void deleteTreeQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Could not delete {} (will retry when the store is next opened): {}", dir, e.toString());
        }
    }
}
