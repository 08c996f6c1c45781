package io.ocular.embed;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The models Ocular can download: entries read from a JSON resource (by default
 * {@code io/ocular/embed/catalogue.json}). Immutable and validated on load: ids are unique, URLs are
 * http(s), sizes positive, and a checksum is either 64 hex digits or explicitly {@code null} (unknown,
 * in which case {@link ModelInstaller} refuses to install the entry).
 */
public final class ModelCatalogue {

    public static final String DEFAULT_RESOURCE = "/io/ocular/embed/catalogue.json";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /**
     * One file of an entry; {@code sha256} is null when unknown. {@code arch} is null for a file every
     * machine downloads, else the CPU architecture ({@value #X86_64} or {@value #ARM64}) it is meant for:
     * an entry may list one variant per architecture under the same name (e.g. quantised ONNX files
     * tuned for AVX2 or ARM64), and a machine downloads only its own. {@code derive}, when present, says
     * that the downloaded file is not installed as it is: Ocular makes the model file from it on install
     * (see {@link FeatureModelDerivation}) and installs that instead.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FileSpec(String name, URI url, long size, String sha256, String arch, Derived derive) {
        public FileSpec(String name, URI url, long size, String sha256, String arch) {
            this(name, url, size, sha256, arch, null);
        }

        public FileSpec(String name, URI url, long size, String sha256) {
            this(name, url, size, sha256, null);
        }

        public boolean checksumKnown() {
            return sha256 != null;
        }

        boolean fits(String machineArch) {
            return arch == null || arch.equals(machineArch);
        }

        /** The file the model folder gets: the derived one, or this one as downloaded. */
        public String installedName() {
            return derive == null ? name : derive.name();
        }
    }

    /**
     * The model file Ocular derives from a downloaded one with a {@link FeatureModelDerivation} recipe,
     * with the size and SHA-256 the result must have.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Derived(String recipe, String name, long size, String sha256) {
    }

    /** CPU architecture names used by {@link FileSpec#arch()}. */
    public static final String X86_64 = "x86_64";
    public static final String ARM64 = "aarch64";

    /**
     * One downloadable model.
     *
     * @param revision the upstream revision (e.g. a Hugging Face commit) the files and checksums belong to
     * @param space    the embedding space its vectors live in (e.g. {@code openai-clip-vit-b32}); a text
     *                 tower of kind TEXT is a companion of every image model of the same space
     * @param inputs   graph inputs of its main ONNX file, name → "type [shape]" (documentation)
     * @param outputs  graph outputs of its main ONNX file, name → "type [shape]" (documentation)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(String id, String name, ModelKind kind, List<FileSpec> files, String licence,
                        int dimension, String preprocessing, URI homepage, String revision, String space,
                        Map<String, String> inputs, Map<String, String> outputs) {
        @com.fasterxml.jackson.annotation.JsonCreator
        public Entry {
            files = List.copyOf(files);
            inputs = inputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
            outputs = outputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        }

        public Entry(String id, String name, ModelKind kind, List<FileSpec> files, String licence, int dimension,
                     String preprocessing, URI homepage) {
            this(id, name, kind, files, licence, dimension, preprocessing, homepage, null, null, null, null);
        }

        /**
         * Bytes this machine downloads (on a processor the entry has no variant for, which cannot download it,
         * the size of its first variant, so that lists still show a size).
         */
        public long totalSize() {
            List<FileSpec> mine;
            try {
                mine = forThisMachine().files();
            } catch (OcularException noVariantHere) {
                Map<String, FileSpec> first = new LinkedHashMap<>();
                files.forEach(f -> first.putIfAbsent(f.name(), f));
                mine = List.copyOf(first.values());
            }
            return mine.stream().mapToLong(FileSpec::size).sum();
        }

        /** This entry with only the files this machine's CPU downloads. */
        public Entry forThisMachine() {
            return forMachine(machineArch());
        }

        /**
         * This entry with only the files meant for {@code arch} (and those for every machine). An entry with
         * a single variant of each file is returned as it is.
         *
         * @throws OcularException when the entry has no variant for {@code arch}
         */
        public Entry forMachine(String arch) {
            if (files.stream().map(FileSpec::name).distinct().count() == files.size()) {
                return this; // one variant only (or already chosen): every machine gets these files
            }
            List<FileSpec> mine = files.stream().filter(f -> f.fits(arch)).toList();
            long names = files.stream().map(FileSpec::name).distinct().count();
            if (mine.stream().map(FileSpec::name).distinct().count() != names) {
                throw new OcularException("'" + name + "' has no files for this computer's processor (" + arch
                        + "); it is available for " + files.stream().map(FileSpec::arch)
                        .filter(Objects::nonNull).distinct().toList() + ".");
            }
            return new Entry(id, name, kind, mine, licence, dimension, preprocessing, homepage, revision, space,
                    inputs, outputs);
        }
    }

    /** This machine's CPU architecture as {@link FileSpec#arch()} names it ({@code os.arch} otherwise). */
    public static String machineArch() {
        String a = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64", "x86-64" -> X86_64;
            case "aarch64", "arm64" -> ARM64;
            default -> a;
        };
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Document(List<Entry> entries) {
    }

    private final Map<String, Entry> entries;

    public ModelCatalogue(List<Entry> entries) {
        Map<String, Entry> map = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (e == null) {
                throw new OcularException("The model catalogue has an empty entry.");
            }
            validate(e);
            if (map.put(e.id(), e) != null) {
                throw new OcularException("The model catalogue lists '" + e.id() + "' twice.");
            }
        }
        this.entries = Collections.unmodifiableMap(map);
    }

    /** The catalogue shipped with the app. */
    public static ModelCatalogue builtIn() {
        return fromResource(DEFAULT_RESOURCE);
    }

    public static ModelCatalogue fromResource(String resource) {
        try (InputStream in = ModelCatalogue.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new OcularException("The model catalogue " + resource + " is missing from the application.");
            }
            return read(in);
        } catch (IOException e) {
            throw new OcularException("Could not read the model catalogue " + resource + ": " + e.getMessage(), e);
        }
    }

    public static ModelCatalogue read(InputStream json) throws IOException {
        ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        Document doc = mapper.readValue(json, Document.class);
        if (doc == null || doc.entries() == null) { // a JSON "null" reads as no document (found by fuzzing)
            throw new OcularException("The model catalogue has no entries.");
        }
        return new ModelCatalogue(doc.entries());
    }

    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    public Optional<Entry> find(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    private static void validate(Entry e) {
        String where = "The model catalogue entry '" + e.id() + "'";
        if (e.id() == null || !e.id().matches("[a-z0-9][a-z0-9._-]*")) {
            throw new OcularException("The model catalogue has an entry with a bad id: " + e.id());
        }
        if (e.kind() == null || e.dimension() <= 0 || e.files() == null || e.files().isEmpty()) {
            throw new OcularException(where + " lacks a kind, a dimension or files.");
        }
        for (FileSpec f : e.files()) {
            if (f.name() == null || !f.name().matches("[A-Za-z0-9._-]+") || f.name().startsWith(".")) {
                throw new OcularException(where + " has a bad file name: " + f.name());
            }
            String scheme = f.url() == null ? null : f.url().getScheme();
            if (scheme == null || !(scheme.toLowerCase(Locale.ROOT).equals("https")
                    || scheme.toLowerCase(Locale.ROOT).equals("http"))) {
                throw new OcularException(where + " has a bad URL for " + f.name() + ": " + f.url());
            }
            if (f.size() <= 0) {
                throw new OcularException(where + " has no size for " + f.name());
            }
            if (f.sha256() != null && !SHA256.matcher(f.sha256()).matches()) {
                throw new OcularException(where + " has a malformed SHA-256 for " + f.name()
                        + " (64 lowercase hex digits, or null when unknown).");
            }
            Derived d = f.derive();
            if (d != null && (!FeatureModelDerivation.isKnownRecipe(d.recipe()) || d.name() == null
                    || !d.name().matches("[A-Za-z0-9._-]+") || d.name().startsWith(".") || d.name().equals(f.name())
                    || d.size() <= 0 || d.sha256() == null || !SHA256.matcher(d.sha256()).matches())) {
                throw new OcularException(where + " has an incomplete or unknown derivation for " + f.name()
                        + " (a known recipe, a new file name, its size and SHA-256 are needed).");
            }
            // names of later files are not checked yet: one may be missing (null)
            if (e.files().stream().filter(o -> f.name().equals(o.name())
                    && (o.arch() == null || f.arch() == null || o.arch().equals(f.arch()))).count() != 1) {
                throw new OcularException(where + " lists " + f.name() + " twice for the same processor.");
            }
        }
    }
}
