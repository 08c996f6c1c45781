package io.ocular.eval;

import io.ocular.model.OcularException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The event-level protocol of an album collection such as {@code albums8}: {@code groundtruth.tsv} has the
 * columns {@code image}, {@code group} (the event type; {@code class} is accepted too) and {@code album}. Every
 * photo is a query; its relevant set is the photos of the same event type in OTHER albums ("more photos of this
 * kind of event, from other albums"); the photos of its own album are left out of its ranking (neither right nor
 * wrong: they would otherwise swamp the measure with near-duplicates); mAP and P@10.
 */
public final class EventProtocol {
    static final String NAME = "events";

    private EventProtocol() {
    }

    private record Row(Path image, String event, String album) {
    }

    public static GroundTruth load(Path dataset) {
        Path tsv = dataset.resolve("groundtruth.tsv");
        if (!Files.isRegularFile(tsv)) {
            throw new OcularException("The events protocol needs " + tsv + " with the columns image, group and album.");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(tsv, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new OcularException("Cannot read " + tsv + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new OcularException(tsv + " is empty; it needs a header 'image<TAB>group<TAB>album'.");
        }
        List<String> header = List.of(lines.get(0).strip().split("\t"));
        int imageCol = header.indexOf("image");
        int eventCol = header.contains("group") ? header.indexOf("group") : header.indexOf("class");
        int albumCol = header.indexOf("album");
        if (imageCol < 0 || eventCol < 0 || albumCol < 0) {
            throw new OcularException(tsv + " must name the columns 'image', 'group' (or 'class') and 'album' (found: "
                    + String.join(", ", header) + ").");
        }
        Path root = dataset.toAbsolutePath().normalize();
        int width = Math.max(imageCol, Math.max(eventCol, albumCol)) + 1;
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] cols = lines.get(i).strip().split("\t");
            if (cols.length < width) {
                throw new OcularException(tsv + " line " + (i + 1) + " has " + cols.length + " columns; expected "
                        + width + ".");
            }
            Path f = root.resolve(cols[imageCol]).normalize();
            if (!f.startsWith(root) || !Files.isRegularFile(f)) {
                throw new OcularException(tsv + " line " + (i + 1) + " names a missing file: " + cols[imageCol]);
            }
            rows.add(new Row(f, cols[eventCol], cols[albumCol]));
        }
        Map<String, Set<Path>> byAlbum = new TreeMap<>();
        Map<String, Set<Path>> byEvent = new TreeMap<>();
        for (Row r : rows) {
            byAlbum.computeIfAbsent(r.album(), a -> new HashSet<>()).add(r.image());
            byEvent.computeIfAbsent(r.event(), e -> new HashSet<>()).add(r.image());
        }
        List<GroundTruth.QuerySpec> queries = new ArrayList<>();
        for (Row r : rows) {
            Set<Path> own = byAlbum.get(r.album());
            Set<Path> relevant = new HashSet<>(byEvent.get(r.event()));
            relevant.removeAll(own);
            if (relevant.isEmpty()) {
                continue;   // an event type with one album has nothing to find elsewhere
            }
            Set<Path> ignored = new HashSet<>(own);
            ignored.remove(r.image());
            queries.add(new GroundTruth.QuerySpec(r.image(), relevant, true, ignored));
        }
        if (queries.isEmpty()) {
            throw new OcularException("The events protocol found no event type with two or more albums in " + tsv + ".");
        }
        List<Path> images = rows.stream().map(Row::image).sorted().toList();
        return new GroundTruth(NAME, images, images, queries,
                EnumSet.of(GroundTruth.Measure.MAP, GroundTruth.Measure.P_AT_10), 0);
    }
}
