package io.ocular.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocular.model.OcularException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A composed-image-retrieval benchmark read from the dataset's own JSON files.
 *
 * <ul>
 *   <li><b>CIRR</b> (Liu et al., ICCV 2021), the {@code cirr_dataset} folder: {@code captions/cap.rc2.SPLIT.json}
 *       (a list of {@code reference}, {@code target_hard}, {@code caption}, {@code img_set.members}) and
 *       {@code image_splits/split.rc2.SPLIT.json} (image name → path relative to the folder). The gallery is the
 *       split's images; the reference is left out of its own ranking; Recall_subset@K ranks only the triplet's
 *       {@code img_set} members.</li>
 *   <li><b>FashionIQ</b> (Wu et al., CVPR 2021), the {@code fashionIQ_dataset} folder:
 *       {@code captions/cap.CATEGORY.SPLIT.json} (a list of {@code candidate}, {@code target}, two
 *       {@code captions}) and {@code image_splits/split.CATEGORY.SPLIT.json} (a list of image names) per
 *       category (dress, shirt, toptee), images as {@code images/NAME.png} (or .jpg). The text is the two
 *       captions joined as in CLIP4Cir ("Is red and has short sleeves"); the reference stays in the gallery
 *       (the FashionIQ convention).</li>
 * </ul>
 */
public record ComposedBenchmark(String protocol, String name, Map<String, Path> images, List<Triplet> triplets,
                                boolean excludeReference) {

    /** One query: reference image name, modification text, target image name, CIRR's subset (else empty). */
    public record Triplet(String reference, String text, String target, List<String> subset) {
    }

    public static final List<String> PROTOCOLS = List.of("cirr", "fashioniq");

    /** The benchmarks of {@code protocol} in {@code dir} for {@code split} (FashionIQ: one per category found). */
    public static List<ComposedBenchmark> load(String protocol, Path dir, String split) {
        if (!split.matches("[A-Za-z0-9_-]+")) {
            throw new OcularException("the split must be a plain name such as train or val, not '" + split + "'");
        }
        if (!Files.isDirectory(dir)) {
            throw new OcularException("the dataset folder " + dir + " does not exist");
        }
        return switch (protocol.toLowerCase(Locale.ROOT)) {
            case "cirr" -> List.of(cirr(dir, split));
            case "fashioniq" -> fashionIq(dir, split);
            default -> throw new OcularException("unknown composed-retrieval protocol '" + protocol + "'; use cirr or fashioniq");
        };
    }

    private static ComposedBenchmark cirr(Path dir, String split) {
        Path captions = dir.resolve("captions").resolve("cap.rc2." + split + ".json");
        Path imageSplit = dir.resolve("image_splits").resolve("split.rc2." + split + ".json");
        JsonNode names = read(imageSplit, "CIRR's image list");
        if (!names.isObject()) {
            throw new OcularException(imageSplit + " is not CIRR's image list (an object of name → path)");
        }
        Map<String, Path> images = new LinkedHashMap<>();
        names.fields().forEachRemaining(e -> images.put(e.getKey(), resolveInside(dir, e.getValue().asText(), imageSplit)));
        JsonNode caps = read(captions, "CIRR's captions");
        List<Triplet> triplets = new ArrayList<>();
        for (JsonNode c : list(caps, captions)) {
            String ref = text(c, "reference", captions);
            String caption = text(c, "caption", captions);
            String target = c.hasNonNull("target_hard") ? c.get("target_hard").asText() : null;
            List<String> subset = new ArrayList<>();
            JsonNode members = c.path("img_set").path("members");
            for (JsonNode m : members) {
                subset.add(m.asText());
            }
            triplets.add(new Triplet(ref, caption, target, List.copyOf(subset)));
        }
        return new ComposedBenchmark("cirr", "cirr-" + split, images, List.copyOf(triplets), true);
    }

    private static List<ComposedBenchmark> fashionIq(Path dir, String split) {
        Path capDir = dir.resolve("captions");
        List<String> categories = new ArrayList<>();
        String suffix = "." + split + ".json";
        if (Files.isDirectory(capDir)) {
            try (Stream<Path> s = Files.list(capDir)) {
                s.map(p -> p.getFileName().toString()).filter(f -> f.startsWith("cap.") && f.endsWith(suffix))
                        .map(f -> f.substring(4, f.length() - suffix.length())).filter(c -> !c.contains("."))
                        .sorted().forEach(categories::add);
            } catch (IOException e) {
                throw new OcularException("cannot list " + capDir + ": " + e.getMessage());
            }
        }
        if (categories.isEmpty()) {
            throw new OcularException("no FashionIQ captions for the split '" + split + "' in " + capDir
                    + " (expected files like cap.dress." + split + ".json)");
        }
        List<ComposedBenchmark> out = new ArrayList<>();
        for (String cat : categories) {
            Path captions = capDir.resolve("cap." + cat + suffix);
            Path imageSplit = dir.resolve("image_splits").resolve("split." + cat + suffix);
            Map<String, Path> images = new LinkedHashMap<>();
            for (JsonNode n : list(read(imageSplit, "FashionIQ's image list"), imageSplit)) {
                images.put(n.asText(), fashionImage(dir, n.asText(), imageSplit));
            }
            List<Triplet> triplets = new ArrayList<>();
            for (JsonNode c : list(read(captions, "FashionIQ's captions"), captions)) {
                String ref = text(c, "candidate", captions);
                String target = c.hasNonNull("target") ? c.get("target").asText() : null;
                JsonNode caps = c.path("captions");
                if (!caps.isArray() || caps.isEmpty()) {
                    throw new OcularException(captions + ": an entry has no 'captions' list");
                }
                triplets.add(new Triplet(ref, joinCaptions(caps), target, List.of()));
            }
            out.add(new ComposedBenchmark("fashioniq", "fashioniq-" + cat + "-" + split, images, List.copyOf(triplets),
                    false));
        }
        return out;
    }

    /** CLIP4Cir's FashionIQ text: "{first, stripped and capitalised} and {second, stripped}". */
    static String joinCaptions(JsonNode caps) {
        List<String> parts = new ArrayList<>();
        for (JsonNode c : caps) {
            String s = c.asText().replaceAll("^[.?, ]+|[.?, ]+$", "");
            if (!s.isEmpty()) {
                parts.add(s);
            }
        }
        if (parts.isEmpty()) {
            return "";
        }
        String first = parts.get(0).substring(0, 1).toUpperCase(Locale.ROOT) + parts.get(0).substring(1);
        return parts.size() == 1 ? first : first + " and " + String.join(" and ", parts.subList(1, parts.size()));
    }

    private static Path fashionImage(Path dir, String name, Path listedIn) {
        if (name.contains("/") || name.contains("\\") || name.contains("..")) {
            throw new OcularException(listedIn + " names an image outside the dataset: " + name);
        }
        Path images = dir.resolve("images");
        for (String ext : List.of(".png", ".jpg", ".jpeg")) {
            Path p = images.resolve(name + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return images.resolve(name + ".png");   // missing: counted as skipped when encoding
    }

    private static Path resolveInside(Path dir, String rel, Path listedIn) {
        Path root = dir.toAbsolutePath().normalize();
        Path p = root.resolve(rel).normalize();
        if (!p.startsWith(root)) {
            throw new OcularException(listedIn + " names an image outside the dataset folder: " + rel);
        }
        return p;
    }

    private static JsonNode read(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new OcularException("missing " + what + ": " + file);
        }
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new OcularException(file + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    private static Iterable<JsonNode> list(JsonNode node, Path file) {
        if (node == null || !node.isArray()) {
            throw new OcularException(file + " is not a JSON list");
        }
        return node;
    }

    private static String text(JsonNode c, String field, Path file) {
        JsonNode v = c.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new OcularException(file + ": an entry has no '" + field + "'");
        }
        return v.asText();
    }
}
