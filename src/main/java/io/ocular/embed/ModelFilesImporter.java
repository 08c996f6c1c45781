package io.ocular.embed;

import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Imports what a user downloaded by hand: a folder (e.g. a Hugging Face repository in its own layout,
 * {@code onnx/vision_model.onnx}, {@code onnx/text_model.onnx}, {@code tokenizer.json}) or several files.
 * In order:
 * <ol>
 *   <li>files whose SHA-256 match every file of a catalogue entry (any processor variant) install as that
 *       entry, verified, exactly as if downloaded;</li>
 *   <li>the remaining files are recognised by content ({@link ClipStyleRecogniser}): a CLIP-style image
 *       tower (with its text tower and BPE tokenizer when present) installs as a CLIP model; a
 *       sentence-transformers text tower with its Dense layer and WordPiece tokenizer installs as a text
 *       model of the CLIP ViT-B/32 space (or the space given); each is opened once before it is installed;</li>
 *   <li>a single {@code .zip} is a model pack, and a single {@code .onnx} file that is none of the above
 *       goes to {@link ModelStore#importFile} (CNN feature models, which the store recognises itself);</li>
 *   <li>anything else is refused with a message saying what was expected.</li>
 * </ol>
 * Files are copied, never moved or changed. Installing goes through {@link ModelStore#installFiles}
 * (staging, checksums, atomic rename).
 */
public final class ModelFilesImporter {
    private static final Logger LOG = LoggerFactory.getLogger(ModelFilesImporter.class);

    /** The space of towers distilled into OpenAI CLIP ViT-B/32 (the catalogue's CLIP and multilingual tower). */
    public static final String CLIP_B32_SPACE = "openai-clip-vit-b32";
    /** Folder depth searched below a given folder (a Hugging Face repository nests files one or two deep). */
    private static final int MAX_DEPTH = 3;
    private static final long MAX_SIDE_FILE = 64L << 20; // tokenizers and Dense layers are a few MB

    static final String EXPECTED = "Ocular can import: the files of a catalogue model (checked by SHA-256,"
            + " e.g. CLIP's onnx/vision_model.onnx, onnx/text_model.onnx and tokenizer.json from"
            + " Xenova/clip-vit-base-patch32, or the multilingual text tower's onnx/model_quint8_avx2.onnx,"
            + " 2_Dense/model.safetensors and tokenizer.json); a CLIP-style image model (input pixel_values,"
            + " output image_embeds) with its text model (input_ids → text_embeds) and tokenizer.json; a"
            + " sentence-transformers text model (input_ids, attention_mask → last_hidden_state) with its"
            + " Dense .safetensors and tokenizer.json; a CNN feature model (.onnx); or an Ocular model pack (.zip).";

    /** A candidate file with its size and SHA-256. */
    record Hashed(Path path, long size, String sha256) {
    }

    private final ModelStore store;
    private final ModelCatalogue catalogue;
    private final ClipStyleRecogniser recogniser = new ClipStyleRecogniser();

    public ModelFilesImporter(ModelStore store, ModelCatalogue catalogue) {
        this.store = store;
        this.catalogue = catalogue;
    }

    /**
     * Imports the given folders and files.
     *
     * @param id    install under this id (only when one model results); by default the catalogue id or a
     *              name derived from the folder
     * @param space for a recognised model without catalogue match: the embedding space it belongs to
     * @return the installed models (at least one)
     * @throws OcularException when nothing usable is found (the message says what was expected) or an
     *                         install fails; models installed before the failure stay installed
     */
    public List<InstalledModel> importPaths(List<Path> paths, Optional<String> id, Optional<String> space) {
        if (paths.isEmpty()) {
            throw new OcularException("Name a folder or the model files to import.");
        }
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            files.addAll(expand(p));
        }
        if (paths.size() == 1 && Files.isRegularFile(paths.get(0))) {
            String n = paths.get(0).getFileName().toString().toLowerCase(Locale.ROOT);
            if (n.endsWith(".zip")) {
                return List.of(store.importPack(paths.get(0)));
            }
        }
        if (files.isEmpty()) {
            throw new OcularException("Found no model files (.onnx, .safetensors, tokenizer.json) in "
                    + paths + ". " + EXPECTED);
        }
        List<Hashed> hashed = new ArrayList<>();
        for (Path f : files) {
            hashed.add(hash(f));
        }
        List<InstalledModel> installed = new ArrayList<>();
        Set<String> matchedEncoders = new HashSet<>();
        List<Hashed> rest = new ArrayList<>(hashed);
        for (Map.Entry<ModelManifest, Map<String, Path>> match : catalogueMatches(rest).entrySet()) {
            ModelManifest mf = id.map(match.getKey()::withId).orElse(match.getKey());
            installed.add(store.installFiles(mf, match.getValue()));
            LOG.info("Imported catalogue model {} from {}", mf.id(), match.getValue().values());
            rest.removeIf(h -> match.getValue().containsValue(h.path()));
            matchedEncoders.add(mf.encoder());
        }
        boolean bothMatched = matchedEncoders.contains(ModelManifest.ENCODER_CLIP)
                && matchedEncoders.contains(MultilingualTextEncoder.ENCODER);
        if (!rest.isEmpty() && !bothMatched) {
            List<ClipStyleRecogniser.Recognised> roles = new ArrayList<>();
            for (Hashed h : rest) {
                recogniser.recognise(h.path()).ifPresent(roles::add);
            }
            // other variants of a matched model in the same folder (e.g. Xenova's vision_model_fp16.onnx next to
            // vision_model.onnx) are left alone rather than installed as one more model
            Optional<RecognisedImport> clip = matchedEncoders.contains(ModelManifest.ENCODER_CLIP) ? Optional.empty()
                    : RecognisedImport.clip(roles, rest, baseName(paths), space);
            Optional<RecognisedImport> text = matchedEncoders.contains(MultilingualTextEncoder.ENCODER)
                    ? Optional.empty()
                    : RecognisedImport.multilingual(roles, rest, baseName(paths), space.orElse(CLIP_B32_SPACE));
            int count = (clip.isPresent() ? 1 : 0) + (text.isPresent() ? 1 : 0);
            for (RecognisedImport r : Stream.of(clip, text).flatMap(Optional::stream).toList()) {
                String finalId = id.isPresent() && count == 1 && installed.isEmpty() ? id.get() : freeId(r.id());
                ModelManifest mf = r.manifest().withId(finalId);
                r.tryOpen(finalId);
                installed.add(store.installFiles(mf, r.files()));
                LOG.info("Imported recognised model {} ({}) from {}", finalId, mf.name(), r.files().values());
            }
            if (installed.isEmpty() && rest.size() == 1 && rest.get(0).path().toString().toLowerCase(Locale.ROOT)
                    .endsWith(".onnx")) {
                try {
                    return List.of(store.importFile(rest.get(0).path(), id));
                } catch (OcularException e) {
                    throw new OcularException(e.getMessage() + " " + EXPECTED, e);
                }
            }
        }
        if (installed.isEmpty()) {
            throw new OcularException("None of " + describe(hashed) + " is a model Ocular can use. " + EXPECTED);
        }
        return installed;
    }

    /** Catalogue entries whose every file (for some processor) is among {@code files}, by SHA-256. */
    private Map<ModelManifest, Map<String, Path>> catalogueMatches(List<Hashed> files) {
        Map<ModelManifest, Map<String, Path>> out = new LinkedHashMap<>();
        for (ModelCatalogue.Entry e : catalogue.entries()) {
            if (ModelManifest.ENCODER_CNN_AVGPOOL.equals(ModelManifest.encoderForCatalogueTag(e.preprocessing()))) {
                continue; // one-file CNN models: ModelStore.importFile knows them (and derives what they need)
            }
            List<String> archs = e.files().stream().map(ModelCatalogue.FileSpec::arch).distinct().toList();
            for (String arch : archs) {
                ModelCatalogue.Entry variant = arch == null ? e : e.forMachine(arch);
                Map<String, Path> found = new LinkedHashMap<>();
                for (ModelCatalogue.FileSpec f : variant.files()) {
                    files.stream().filter(h -> h.sha256().equals(f.sha256()) && h.size() == f.size()).findFirst()
                            .ifPresent(h -> found.put(f.name(), h.path()));
                }
                if (found.size() == variant.files().size()) {
                    out.put(ModelManifest.fromCatalogue(variant), found);
                    break;
                }
            }
        }
        return out;
    }

    /** A folder's candidate files (depth ≤ 3, sorted) or the file itself. */
    private static List<Path> expand(Path p) {
        if (Files.isRegularFile(p)) {
            return List.of(p);
        }
        if (!Files.isDirectory(p)) {
            throw new OcularException("File not found: " + p);
        }
        try (Stream<Path> walk = Files.walk(p, MAX_DEPTH)) {
            return walk.filter(Files::isRegularFile).filter(ModelFilesImporter::isCandidate)
                    .sorted(Comparator.comparing(Path::toString)).toList();
        } catch (IOException | UncheckedIOException e) {
            throw new OcularException("Cannot read the folder " + p + ": " + e.getMessage(), e);
        }
    }

    private static boolean isCandidate(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.startsWith(".")) {
            return false;
        }
        if (n.endsWith(".onnx")) {
            return true;
        }
        try {
            return (n.endsWith(".safetensors") || n.equals("tokenizer.json")) && Files.size(f) <= MAX_SIDE_FILE;
        } catch (IOException e) {
            return false;
        }
    }

    private static Hashed hash(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
                total += n;
            }
            return new Hashed(f, total, HexFormat.of().formatHex(md.digest()));
        } catch (IOException e) {
            throw new OcularException("Cannot read " + f + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** A name for the import: the folder's name (skipping Hugging Face's {@code onnx/}), else the first file's. */
    private static String baseName(List<Path> paths) {
        Path first = paths.get(0).toAbsolutePath().normalize();
        Path dir = Files.isDirectory(first) ? first : first.getParent();
        while (dir != null && dir.getFileName() != null
                && List.of("onnx", "2_dense", "snapshots").contains(dir.getFileName().toString().toLowerCase(Locale.ROOT))) {
            dir = dir.getParent();
        }
        return dir == null || dir.getFileName() == null ? "imported" : dir.getFileName().toString();
    }

    private String freeId(String wanted) {
        String id = wanted;
        for (int i = 2; store.get(id).isPresent(); i++) {
            id = wanted + "-" + i;
        }
        return id;
    }

    private static String describe(List<Hashed> files) {
        return files.stream().map(h -> h.path().getFileName().toString()).toList().toString();
    }

    /** A model assembled from recognised files. */
    record RecognisedImport(String id, ModelManifest manifest, Map<String, Path> files, Opener opener) {

        interface Opener {
            AutoCloseable open(String id);
        }

        /** Opens the model's encoders once from the user's files, so a broken set is refused before installing. */
        void tryOpen(String id) {
            try (AutoCloseable ignored = opener.open(id)) {
                LOG.debug("{} opens", id);
            } catch (OcularException e) {
                throw e;
            } catch (Exception e) {
                throw new OcularException("Could not open the imported model " + id + ": " + e.getMessage(), e);
            }
        }

        static Optional<RecognisedImport> clip(List<ClipStyleRecogniser.Recognised> roles, List<Hashed> hashed,
                                               String base, Optional<String> space) {
            Optional<ClipStyleRecogniser.Recognised> vision = pick(roles, ClipStyleRecogniser.Role.CLIP_VISION,
                    "vision_model.onnx");
            if (vision.isEmpty()) {
                return Optional.empty();
            }
            int dim = vision.get().width();
            if (dim <= 0) {
                throw new OcularException(vision.get().file().getFileName() + " is a CLIP-style image model whose"
                        + " vector length is not fixed in the graph; Ocular cannot tell its dimension.");
            }
            Optional<ClipStyleRecogniser.Recognised> text = pick(roles, ClipStyleRecogniser.Role.CLIP_TEXT,
                    "text_model.onnx").filter(t -> t.width() == dim);
            Optional<ClipStyleRecogniser.Recognised> tok = pick(roles, ClipStyleRecogniser.Role.BPE_TOKENIZER,
                    "tokenizer.json");
            Map<String, Path> files = new LinkedHashMap<>();
            files.put(ClipModel.VISION_FILE, vision.get().file());
            boolean withText = text.isPresent() && tok.isPresent();
            if (withText) {
                files.put(ClipModel.TEXT_FILE, text.get().file());
                files.put(ClipModel.TOKENIZER_FILE, tok.get().file());
            }
            String id = ModelStore.idFromFileName(base.toLowerCase(Locale.ROOT).startsWith("clip") ? base : "clip-" + base);
            Map<String, String> props = new LinkedHashMap<>();
            space.ifPresent(s -> props.put(EmbeddingSpaces.PROPERTY, s));
            ModelManifest mf = new ModelManifest(ModelManifest.FORMAT_VERSION, id,
                    "CLIP (imported from " + base + (withText ? "" : ", image model only") + ")",
                    withText ? ModelKind.IMAGE_TEXT : ModelKind.IMAGE, dim, ModelManifest.ENCODER_CLIP,
                    entries(files, hashed), null, "unknown", "imported from " + base, props);
            return Optional.of(new RecognisedImport(id, mf, files, newId -> withText
                    ? ClipModel.open(newId, new ClipModel.Files3(vision.get().file(), text.get().file(),
                    tok.get().file()), dim)
                    : new ClipImageEncoder(newId, vision.get().file(), dim)));
        }

        static Optional<RecognisedImport> multilingual(List<ClipStyleRecogniser.Recognised> roles, List<Hashed> hashed,
                                                       String base, String space) {
            // several exports side by side (fp32, O1-O4, quantised per processor): this processor's quantised one
            Optional<ClipStyleRecogniser.Recognised> tower = pick(roles, ClipStyleRecogniser.Role.TRANSFORMER_TEXT,
                    ModelCatalogue.ARM64.equals(ModelCatalogue.machineArch()) ? "model_qint8_arm64.onnx"
                            : "model_quint8_avx2.onnx");
            if (tower.isEmpty()) {
                return Optional.empty();
            }
            int hidden = tower.get().width();
            Optional<ClipStyleRecogniser.Recognised> dense = roles.stream()
                    .filter(r -> r.role() == ClipStyleRecogniser.Role.DENSE)
                    .filter(r -> hidden <= 0 || r.description().startsWith("Dense " + hidden + " "))
                    .findFirst();
            Optional<ClipStyleRecogniser.Recognised> tok = pick(roles, ClipStyleRecogniser.Role.WORDPIECE_TOKENIZER,
                    "tokenizer.json");
            if (dense.isEmpty() || tok.isEmpty()) {
                throw new OcularException(tower.get().file().getFileName() + " is a sentence-transformers text model;"
                        + " to use it Ocular also needs its " + (dense.isEmpty() ? "Dense layer (2_Dense/model.safetensors"
                        + " with linear.weight [512, " + (hidden > 0 ? hidden : 768) + "])" : "")
                        + (dense.isEmpty() && tok.isEmpty() ? " and its " : "")
                        + (tok.isEmpty() ? "WordPiece tokenizer.json" : "") + ". Import them together (the folder"
                        + " or all the files at once).");
            }
            int dim = dense.get().width();
            Map<String, Path> files = new LinkedHashMap<>();
            files.put(MultilingualTextEncoder.MODEL_FILE, tower.get().file());
            files.put(MultilingualTextEncoder.DENSE_FILE, dense.get().file());
            files.put(MultilingualTextEncoder.TOKENIZER_FILE, tok.get().file());
            String id = ModelStore.idFromFileName(base + "-text");
            ModelManifest mf = new ModelManifest(ModelManifest.FORMAT_VERSION, id,
                    "Multilingual text model (imported from " + base + ")", ModelKind.TEXT, dim,
                    MultilingualTextEncoder.ENCODER, entries(files, hashed), null, "unknown", "imported from " + base,
                    Map.of(EmbeddingSpaces.PROPERTY, space));
            return Optional.of(new RecognisedImport(id, mf, files, newId -> new MultilingualTextEncoder(newId,
                    tower.get().file(), dense.get().file(), tok.get().file(), dim, null)));
        }

        /** The only file of a role, else the one with the preferred name, else a clear refusal. */
        private static Optional<ClipStyleRecogniser.Recognised> pick(List<ClipStyleRecogniser.Recognised> roles,
                                                                     ClipStyleRecogniser.Role role, String preferred) {
            List<ClipStyleRecogniser.Recognised> of = roles.stream().filter(r -> r.role() == role).toList();
            if (of.size() <= 1) {
                return of.stream().findFirst();
            }
            return of.stream().filter(r -> r.file().getFileName().toString().equals(preferred)).findFirst()
                    .or(() -> {
                        throw new OcularException("Several files could be the " + role.name().toLowerCase(Locale.ROOT)
                                .replace('_', ' ') + ": " + of.stream().map(r -> r.file().getFileName().toString())
                                .toList() + ". Import the files you want by name instead of the whole folder.");
                    });
        }

        private static List<ModelManifest.FileEntry> entries(Map<String, Path> files, List<Hashed> hashed) {
            List<ModelManifest.FileEntry> out = new ArrayList<>();
            files.forEach((name, path) -> {
                Hashed h = hashed.stream().filter(x -> x.path().equals(path)).findFirst().orElseThrow();
                out.add(new ModelManifest.FileEntry(name, h.size(), h.sha256()));
            });
            return out;
        }
    }
}
