package io.ocular.embed;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code <dataDir>/models/<id>/manifest.json} says about an installed model. Unknown JSON fields
 * are ignored so that older versions of Ocular can read manifests written by newer ones.
 *
 * @param formatVersion manifest format, currently {@value #FORMAT_VERSION}
 * @param id            stable id, also the folder name: lower-case letters, digits, '.', '_' and '-'
 * @param name          human-readable name
 * @param kind          which inputs it embeds
 * @param dimension     length of its vectors
 * @param encoder       which encoder implementation runs it, e.g. {@value #ENCODER_CNN_AVGPOOL}; the
 *                      {@link EncoderRegistry} maps this to a factory (CLIP and others register their own)
 * @param files         every file of the model, with its size and SHA-256
 * @param preprocessing how images are prepared for the network (null for text-only models)
 * @param licence       licence of the weights, e.g. {@code Apache-2.0}, or {@code unknown}
 * @param source        where the files came from (URL, or {@code imported from <file name>})
 * @param properties    encoder-specific extras (e.g. which file is the text tower); never null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(int formatVersion, String id, String name, ModelKind kind, int dimension,
                            String encoder, List<FileEntry> files, Preprocessing preprocessing,
                            String licence, String source, Map<String, String> properties) {

    public static final int FORMAT_VERSION = 1;
    /** A CNN with a {@code [N,C,h,w]} feature-map output, average-pooled over space and L2-normalised. */
    public static final String ENCODER_CNN_AVGPOOL = "cnn-avgpool";
    /**
     * A CLIP pair in the files {@link ClipModel#VISION_FILE}, {@link ClipModel#TEXT_FILE} and
     * {@link ClipModel#TOKENIZER_FILE} (run by {@link ClipImageEncoder} / {@link ClipTextEncoder}).
     */
    public static final String ENCODER_CLIP = "clip";

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public ModelManifest {
        files = files == null ? List.of() : List.copyOf(files);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    /**
     * One file of a model.
     *
     * @param name   plain file name inside the model folder (no path separators)
     * @param size   length in bytes
     * @param sha256 lower-case hex SHA-256
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FileEntry(String name, long size, String sha256) {
    }

    /**
     * How an image becomes the network's input tensor.
     *
     * @param inputName   graph input, e.g. {@code input}
     * @param outputName  graph output used for the vector, e.g. {@code global_features}
     * @param resize      {@value #RESIZE_SHORTER_SIDE}: the whole image, shorter side scaled to
     *                    {@code shortSide}, both sides rounded to {@code multipleOf}, the longer side capped
     *                    at {@code maxLongSide} (keeping the aspect ratio)
     * @param shortSide   target shorter side in pixels
     * @param maxLongSide cap on the longer side in pixels
     * @param multipleOf  both sides are rounded to a multiple of this (the network's stride)
     * @param scale       pixel values (0..255) are multiplied by this first, e.g. 1/255
     * @param mean        per-channel mean (R, G, B) subtracted after scaling
     * @param std         per-channel standard deviation (R, G, B) divided by last
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Preprocessing(String inputName, String outputName, String resize, int shortSide,
                                int maxLongSide, int multipleOf, double scale, List<Double> mean,
                                List<Double> std) {
        public static final String RESIZE_SHORTER_SIDE = "shorter-side";

        public Preprocessing {
            mean = mean == null ? null : List.copyOf(mean);
            std = std == null ? null : List.copyOf(std);
        }

        /** ImageNet-style preprocessing: RGB x/255, ImageNet mean/std, shorter side 320 (stride 32), cap 640. */
        public static Preprocessing imagenet(String inputName, String outputName) {
            return new Preprocessing(inputName, outputName, RESIZE_SHORTER_SIDE, 320, 640, 32, 1.0 / 255.0,
                    List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225));
        }
    }

    /** Catalogue preprocessing tag of CLIP pairs ({@code catalogue.json}, {@link ModelCatalogue.Entry}). */
    public static final String CATALOGUE_CLIP_224 = "clip-224";
    /** Catalogue preprocessing tag of CNN feature models with ImageNet preprocessing. */
    public static final String CATALOGUE_IMAGENET_32 = "imagenet-multiple-of-32";
    /** {@link #properties()} key holding the catalogue's preprocessing tag of a downloaded model. */
    public static final String PROPERTY_CATALOGUE_TAG = "catalogue.preprocessing";

    /**
     * The encoder type a catalogue preprocessing tag stands for ({@value #CATALOGUE_CLIP_224} →
     * {@value #ENCODER_CLIP}, {@value #CATALOGUE_IMAGENET_32} → {@value #ENCODER_CNN_AVGPOOL}); any other
     * tag is taken as the encoder type itself (an encoder registered under that name can open it).
     */
    public static String encoderForCatalogueTag(String tag) {
        if (CATALOGUE_CLIP_224.equals(tag)) {
            return ENCODER_CLIP;
        }
        if (CATALOGUE_IMAGENET_32.equals(tag)) {
            return ENCODER_CNN_AVGPOOL;
        }
        return tag;
    }

    /** The image preprocessing a catalogue tag stands for, or null when the encoder does its own. */
    public static Preprocessing preprocessingForCatalogueTag(String tag) {
        return CATALOGUE_IMAGENET_32.equals(tag)
                ? Preprocessing.imagenet("input", OnnxModelInspector.FEATURES_OUTPUT)
                : null;
    }

    /**
     * The manifest of a catalogue entry once its files are downloaded: the same id, name, kind, dimension,
     * licence and files (sizes, SHA-256), the encoder type its preprocessing tag stands for, and its
     * homepage (or first URL) as the source.
     */
    public static ModelManifest fromCatalogue(ModelCatalogue.Entry catalogueEntry) {
        ModelCatalogue.Entry entry = catalogueEntry.forThisMachine();
        List<FileEntry> files = entry.files().stream()
                .map(f -> f.derive() == null ? new FileEntry(f.name(), f.size(), f.sha256())
                        : new FileEntry(f.derive().name(), f.derive().size(), f.derive().sha256())).toList();
        String source = entry.homepage() != null ? entry.homepage().toString()
                : entry.files().get(0).url().toString();
        Map<String, String> props = new HashMap<>();
        if (entry.preprocessing() != null) {
            props.put(PROPERTY_CATALOGUE_TAG, entry.preprocessing());
        }
        if (entry.space() != null) {
            props.put(EmbeddingSpaces.PROPERTY, entry.space());
        }
        String ids = entry.inputs().get("input_ids");
        if (ids != null && ids.matches("int(32|64)\\b.*")) {
            props.put(TokenIdType.PROPERTY, ids.substring(0, 5));
        }
        return new ModelManifest(FORMAT_VERSION, entry.id(), entry.name(), entry.kind(), entry.dimension(),
                encoderForCatalogueTag(entry.preprocessing()), files,
                preprocessingForCatalogueTag(entry.preprocessing()),
                entry.licence() == null ? "unknown" : entry.licence(), source, props);
    }

    /** Whether {@code id} is a valid model id (safe as a folder name on every platform). */
    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches() && !id.contains("..");
    }

    /** Whether {@code name} is a valid model file name (a plain name, never a path). */
    public static boolean isValidFileName(String name) {
        return name != null && FILE_NAME.matcher(name).matches() && !name.contains("..");
    }

    /**
     * Checks that the manifest is complete and safe to install.
     *
     * @throws OcularException naming the first problem found
     */
    public void validate() {
        if (formatVersion < 1 || formatVersion > FORMAT_VERSION) {
            throw new OcularException("Model manifest has format version " + formatVersion
                    + ", which this version of Ocular cannot read. Update Ocular to install this model.");
        }
        if (!isValidId(id)) {
            throw new OcularException("Model manifest has an invalid id '" + id
                    + "' (use lower-case letters, digits, '.', '_' and '-', at most 64 characters).");
        }
        if (kind == null || dimension <= 0 || encoder == null || encoder.isBlank()) {
            throw new OcularException("Model manifest of '" + id + "' lacks its kind, dimension or encoder.");
        }
        if (files.isEmpty()) {
            throw new OcularException("Model manifest of '" + id + "' lists no files.");
        }
        for (FileEntry f : files) {
            if (f == null || !isValidFileName(f.name()) || f.name().equals(ModelStore.MANIFEST)) {
                throw new OcularException("Model manifest of '" + id + "' lists an invalid file name: "
                        + (f == null ? null : f.name()));
            }
            if (f.size() < 0 || f.sha256() == null || !SHA256.matcher(f.sha256()).matches()) {
                throw new OcularException("Model manifest of '" + id + "' has no valid size/sha256 for " + f.name());
            }
        }
        if (files.stream().map(FileEntry::name).distinct().count() != files.size()) {
            throw new OcularException("Model manifest of '" + id + "' lists a file twice.");
        }
        if ((kind == ModelKind.IMAGE || kind == ModelKind.IMAGE_TEXT) && ENCODER_CNN_AVGPOOL.equals(encoder)) {
            Preprocessing p = preprocessing;
            if (p == null || p.shortSide() <= 0 || p.maxLongSide() < p.shortSide() || p.multipleOf() <= 0
                    || p.mean() == null || p.mean().size() != 3 || p.std() == null || p.std().size() != 3
                    || p.std().stream().anyMatch(s -> s == null || s <= 0) || p.inputName() == null
                    || p.outputName() == null) {
                throw new OcularException("Model manifest of '" + id + "' has incomplete image preprocessing.");
            }
        }
    }

    /** The entry for {@code fileName}, if listed. */
    public Optional<FileEntry> file(String fileName) {
        return files.stream().filter(f -> f.name().equals(fileName)).findFirst();
    }

    /** The first listed file whose name ends with {@code .onnx}. */
    public Optional<FileEntry> firstOnnxFile() {
        return files.stream().filter(f -> f.name().endsWith(".onnx")).findFirst();
    }

    /**
     * The model's identity for the catalog: the file's SHA-256 for a one-file model, otherwise the
     * SHA-256 of the sorted {@code name:sha256} lines, so any changed file gives a new value.
     */
    public String combinedSha256() {
        if (files.size() == 1) {
            return files.get(0).sha256();
        }
        StringBuilder sb = new StringBuilder();
        files.stream().sorted((a, b) -> a.name().compareTo(b.name()))
                .forEach(f -> sb.append(f.name()).append(':').append(f.sha256()).append('\n'));
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    public ModelInfo toModelInfo() {
        return new ModelInfo(id, name, kind, dimension, combinedSha256());
    }

    /** A copy with another id (and name, when the name was the old id). */
    public ModelManifest withId(String newId) {
        String newName = Objects.equals(name, id) ? newId : name;
        return new ModelManifest(formatVersion, newId, newName, kind, dimension, encoder, files, preprocessing,
                licence, source, properties);
    }
}
