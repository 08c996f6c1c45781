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

    /** One file of an entry; {@code sha256} is null when unknown. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FileSpec(String name, URI url, long size, String sha256) {
        public boolean checksumKnown() {
            return sha256 != null;
        }
    }

    /** One downloadable model. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(String id, String name, ModelKind kind, List<FileSpec> files, String licence,
                        int dimension, String preprocessing, URI homepage) {
        public Entry {
            files = List.copyOf(files);
        }

        public long totalSize() {
            return files.stream().mapToLong(FileSpec::size).sum();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Document(List<Entry> entries) {
    }

    private final Map<String, Entry> entries;

    public ModelCatalogue(List<Entry> entries) {
        Map<String, Entry> map = new LinkedHashMap<>();
        for (Entry e : entries) {
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
        if (doc.entries() == null) {
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
        }
    }
}
