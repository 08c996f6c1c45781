package io.ocular.eval;

import io.ocular.model.OcularException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the ground truth of the standard retrieval protocols from a dataset folder.
 *
 * <ul>
 *   <li>{@code holidays}: INRIA Holidays, files {@code GGGGNN.*}; group GGGG; NN = 00 is the group's query,
 *       relevant = the rest of the group; the query is excluded from its results; mAP.</li>
 *   <li>{@code ukbench}: files numbered 0..n-1 ({@code ukbench00012.jpg}); ids 4g..4g+3 form group g; every
 *       image is a query; N-S score = mean number of same-group images in the top 4, query included.</li>
 *   <li>{@code classes}: class = parent folder name, or {@code groundtruth.tsv} (header with columns
 *       {@code image} and {@code class}; image paths relative to the dataset folder); every image is a query,
 *       relevant = the rest of its class; query excluded; mAP and P@10.</li>
 *   <li>{@code cifar}: the protocol of SPQ (Jang &amp; Cho, ICCV 2021) and the deep-hashing literature: 100
 *       queries per class, the rest is the database; mAP@1000. Classes as for {@code classes}. The queries are
 *       the first 100 files of each class in path order (deterministic; the CIFAR-10 file order is itself
 *       random).</li>
 *   <li>{@code events}: an album collection (image, group, album in {@code groundtruth.tsv}); relevant = same
 *       event type, other album; the query's own album is left out of its ranking ({@link EventProtocol}).</li>
 * </ul>
 */
public final class Protocols {
    public static final List<String> NAMES = List.of("holidays", "ukbench", "classes", "cifar", "events");
    static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif", "webp", "tif", "tiff");
    private static final Pattern HOLIDAYS = Pattern.compile("(\\d{4})(\\d{2})\\.[A-Za-z0-9]+");
    private static final Pattern LAST_NUMBER = Pattern.compile("(\\d+)(?!.*\\d)");
    private static final String GROUND_TRUTH_FILE = "groundtruth.tsv";

    private Protocols() {
    }

    /** Loads {@code protocol} (one of {@link #NAMES}) with its standard parameters. */
    public static GroundTruth load(String protocol, Path dataset) {
        return switch (protocol.toLowerCase(Locale.ROOT)) {
            case "holidays" -> holidays(dataset);
            case "ukbench" -> ukbench(dataset);
            case "classes" -> classes(dataset);
            case "cifar" -> cifar(dataset, 100, 1000);
            case "events" -> EventProtocol.load(dataset);
            default -> throw new OcularException("Unknown protocol '" + protocol + "'; use one of "
                    + String.join(", ", NAMES) + ".");
        };
    }

    public static GroundTruth holidays(Path dataset) {
        List<Path> files = imageFiles(dataset);
        Map<String, List<Path>> groups = new TreeMap<>();
        Map<String, Path> queryOf = new TreeMap<>();
        List<Path> images = new ArrayList<>();
        for (Path f : files) {
            Matcher m = HOLIDAYS.matcher(f.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            images.add(f);
            groups.computeIfAbsent(m.group(1), g -> new ArrayList<>()).add(f);
            if (m.group(2).equals("00")) {
                queryOf.put(m.group(1), f);
            }
        }
        if (images.isEmpty()) {
            throw new OcularException("No Holidays-style files (GGGGNN.jpg, e.g. 100000.jpg) under " + dataset + ".");
        }
        List<GroundTruth.QuerySpec> queries = new ArrayList<>();
        queryOf.forEach((group, q) -> {
            Set<Path> relevant = new HashSet<>(groups.get(group));
            relevant.remove(q);
            if (!relevant.isEmpty()) {
                queries.add(new GroundTruth.QuerySpec(q, relevant, true));
            }
        });
        requireQueries("holidays", dataset, queries);
        return new GroundTruth("holidays", images, images, queries, EnumSet.of(GroundTruth.Measure.MAP), 0);
    }

    public static GroundTruth ukbench(Path dataset) {
        List<Path> files = imageFiles(dataset);
        Map<Long, List<Path>> groups = new TreeMap<>();
        List<Path> images = new ArrayList<>();
        for (Path f : files) {
            Matcher m = LAST_NUMBER.matcher(stem(f));
            if (!m.find()) {
                continue;
            }
            images.add(f);
            groups.computeIfAbsent(Long.parseLong(m.group(1)) / 4, g -> new ArrayList<>()).add(f);
        }
        if (images.isEmpty()) {
            throw new OcularException("No numbered files (ukbench00000.jpg ...) under " + dataset + ".");
        }
        List<GroundTruth.QuerySpec> queries = new ArrayList<>();
        for (List<Path> group : groups.values()) {
            for (Path q : group) {
                queries.add(new GroundTruth.QuerySpec(q, new HashSet<>(group), false));
            }
        }
        return new GroundTruth("ukbench", images, images, queries, EnumSet.of(GroundTruth.Measure.NS), 4);
    }

    public static GroundTruth classes(Path dataset) {
        Map<String, List<Path>> byClass = labels(dataset);
        List<Path> images = byClass.values().stream().flatMap(List::stream).sorted().toList();
        List<GroundTruth.QuerySpec> queries = new ArrayList<>();
        for (List<Path> members : byClass.values()) {
            for (Path q : members) {
                Set<Path> relevant = new HashSet<>(members);
                relevant.remove(q);
                if (!relevant.isEmpty()) {
                    queries.add(new GroundTruth.QuerySpec(q, relevant, true));
                }
            }
        }
        requireQueries("classes", dataset, queries);
        return new GroundTruth("classes", images, images, queries,
                EnumSet.of(GroundTruth.Measure.MAP, GroundTruth.Measure.P_AT_10), 0);
    }

    /**
     * @param queriesPerClass queries taken from each class (100 in the standard protocol)
     * @param depth           results scored per query (1000 in the standard protocol)
     */
    public static GroundTruth cifar(Path dataset, int queriesPerClass, int depth) {
        if (queriesPerClass <= 0 || depth <= 0) {
            throw new IllegalArgumentException("queriesPerClass and depth must be positive");
        }
        Map<String, List<Path>> byClass = labels(dataset);
        List<Path> images = new ArrayList<>();
        List<Path> database = new ArrayList<>();
        Map<String, List<Path>> queryFiles = new TreeMap<>();
        Map<String, Set<Path>> databaseByClass = new TreeMap<>();
        byClass.forEach((cls, members) -> {
            List<Path> sorted = members.stream().sorted().toList();
            if (sorted.size() <= queriesPerClass) {
                throw new OcularException("Class '" + cls + "' has " + sorted.size() + " images; the cifar protocol"
                        + " needs more than " + queriesPerClass + " per class (queries plus database).");
            }
            images.addAll(sorted);
            queryFiles.put(cls, sorted.subList(0, queriesPerClass));
            database.addAll(sorted.subList(queriesPerClass, sorted.size()));
            databaseByClass.put(cls, new HashSet<>(sorted.subList(queriesPerClass, sorted.size())));
        });
        List<GroundTruth.QuerySpec> queries = new ArrayList<>();
        queryFiles.forEach((cls, qs) -> qs.forEach(q ->
                queries.add(new GroundTruth.QuerySpec(q, databaseByClass.get(cls), true))));
        return new GroundTruth("cifar", images, database, queries, EnumSet.of(GroundTruth.Measure.MAP_AT_DEPTH), depth);
    }

    /** class → files, from groundtruth.tsv when present, else from the parent folder names. */
    static Map<String, List<Path>> labels(Path dataset) {
        requireDirectory(dataset);
        Path tsv = dataset.resolve(GROUND_TRUTH_FILE);
        Map<String, List<Path>> byClass = new TreeMap<>();
        if (Files.isRegularFile(tsv)) {
            readTsv(dataset, tsv, byClass);
        } else {
            Path root = dataset.toAbsolutePath().normalize();
            for (Path f : imageFiles(dataset)) {
                Path parent = f.getParent();
                if (parent == null || parent.equals(root)) {
                    throw new OcularException("Image " + root.relativize(f) + " is not inside a class folder; put"
                            + " each class in its own folder or provide " + GROUND_TRUTH_FILE + ".");
                }
                byClass.computeIfAbsent(parent.getFileName().toString(), c -> new ArrayList<>()).add(f);
            }
        }
        if (byClass.isEmpty()) {
            throw new OcularException("No images found under " + dataset + ".");
        }
        return byClass;
    }

    private static void readTsv(Path dataset, Path tsv, Map<String, List<Path>> byClass) {
        List<String> lines;
        try {
            lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OcularException("Cannot read " + tsv + ": " + e.getMessage(), e);
        }
        lines = lines.stream().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new OcularException(tsv + " is empty; it needs a header 'image<TAB>class' and one line per image.");
        }
        List<String> header = List.of(lines.get(0).strip().split("\t"));
        int imageCol = header.indexOf("image");
        int classCol = header.indexOf("class");
        if (imageCol < 0 || classCol < 0) {
            throw new OcularException(tsv + " must start with a header naming the columns 'image' and 'class' (found: "
                    + String.join(", ", header) + ").");
        }
        Path root = dataset.toAbsolutePath().normalize();
        List<String> absent = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] cols = lines.get(i).strip().split("\t");
            if (cols.length <= Math.max(imageCol, classCol)) {
                throw new OcularException(tsv + " line " + (i + 1) + " has " + cols.length + " columns; expected at least "
                        + (Math.max(imageCol, classCol) + 1) + ".");
            }
            Path f = root.resolve(cols[imageCol]).normalize();
            if (!f.startsWith(root)) {
                throw new OcularException(tsv + " line " + (i + 1) + " points outside the dataset: " + cols[imageCol]);
            }
            if (!Files.isRegularFile(f)) {
                absent.add(cols[imageCol]);
                continue;
            }
            if (seen.add(f)) {
                byClass.computeIfAbsent(cols[classCol], c -> new ArrayList<>()).add(f);
            }
        }
        if (!absent.isEmpty()) {
            throw new OcularException(tsv + " lists " + absent.size() + " file(s) that do not exist, e.g. "
                    + absent.get(0) + ".");
        }
    }

    /** Image files below {@code dataset} (hidden files and folders ignored), absolute, normalised, sorted. */
    static List<Path> imageFiles(Path dataset) {
        requireDirectory(dataset);
        Path root = dataset.toAbsolutePath().normalize();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !isHidden(root.relativize(p)))
                    .filter(p -> IMAGE_EXTENSIONS.contains(extension(p)))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException | UncheckedIOException e) {
            throw new OcularException("Cannot list " + dataset + ": " + e.getMessage(), e);
        }
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? n : n.substring(0, dot);
    }

    private static void requireDirectory(Path dataset) {
        if (!Files.isDirectory(dataset)) {
            throw new OcularException("Dataset folder not found: " + dataset);
        }
    }

    private static void requireQueries(String protocol, Path dataset, List<GroundTruth.QuerySpec> queries) {
        if (queries.isEmpty()) {
            throw new OcularException("The " + protocol + " protocol found no query with relevant images under "
                    + dataset + ".");
        }
    }
}
