package io.ocular.store;

import io.ocular.model.ComposeMark;
import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Copies a library from one catalog to another (the SQLite file to a shared library on a server, and back)
 * through the {@link Catalog} interface, so any pair of catalogs works. Library folders keep their paths; images,
 * every model's vectors (bit for bit), every kind of derived data and the compose panel's marks are copied in batches of {@value #BATCH}
 * images, each committed on its own, so an interrupted export loses at most one batch and a second run resumes:
 * images already in the target in the same version with all their vectors and data are skipped. The copy is then
 * verified: counts by status, vectors per model and data per kind, and a SHA-256 over every image's folder-relative
 * path, version, status and vectors, computed on both sides.
 */
public final class CatalogExport {
    static final int BATCH = 256;

    /** What an export did and what it checked. */
    public record Result(long copied, long alreadyThere, long images, Map<String, Long> vectorsByModel,
                         String checksum) {
    }

    private CatalogExport() {
    }

    /**
     * Copies {@code from} into {@code to} and verifies the result.
     *
     * @param progress told "n of m images" as batches are committed
     * @throws OcularException when the verification finds a difference (the message says which)
     */
    public static Result copy(Catalog from, Catalog to, Consumer<String> progress) {
        List<ModelInfo> models = from.models();
        for (ModelInfo m : models) {
            to.registerModel(m);
        }
        from.activeModelId().ifPresent(to::setActiveModelId);
        Map<String, Long> kinds = from.stats().imageDataByKind();
        long total = from.stats().totalImages();
        long copied = 0;
        long skipped = 0;
        for (FolderRecord f : from.folders()) {
            FolderRecord target = to.addFolder(f.path());
            List<ImageRecord> images = from.imagesInFolder(f.id());
            for (int start = 0; start < images.size(); start += BATCH) {
                List<ImageRecord> batch = images.subList(start, Math.min(images.size(), start + BATCH));
                List<ImageRecord> todo = new ArrayList<>();
                for (ImageRecord r : batch) {
                    if (alreadyThere(from, to, r, models, kinds.keySet())) {
                        skipped++;
                    } else {
                        todo.add(r);
                    }
                }
                copyBatch(from, to, todo, target.id(), models, kinds.keySet());
                copied += todo.size();
                progress.accept((copied + skipped) + " of " + total + " images");
            }
        }
        copyComposeMarks(from, to, models);
        return verify(from, to, copied, skipped, models);
    }

    /**
     * The compose panel's marks, their photos found again by path (a mark on a video's moment, which shares its
     * video's path, is left out); marking again is an upsert, so a second run copies nothing twice.
     */
    private static void copyComposeMarks(Catalog from, Catalog to, List<ModelInfo> models) {
        for (ModelInfo m : models) {
            for (ComposeMark mark : from.composeMarks(m.id())) {
                Optional<Long> ref = sameImage(from, to, mark.referenceId());
                Optional<Long> target = sameImage(from, to, mark.targetId());
                if (ref.isPresent() && target.isPresent()) {
                    to.putComposeMark(new ComposeMark(mark.modelId(), ref.get(), mark.modification(), target.get(),
                            mark.relevant(), mark.weight(), mark.markedAt()));
                }
            }
        }
    }

    private static Optional<Long> sameImage(Catalog from, Catalog to, long id) {
        return from.image(id).filter(r -> !r.isMoment()).flatMap(r -> to.imageByPath(r.path())).map(ImageRecord::id);
    }

    private static boolean alreadyThere(Catalog from, Catalog to, ImageRecord r, List<ModelInfo> models,
                                        Iterable<String> kinds) {
        Optional<ImageRecord> there = to.imageByPath(r.path());
        if (there.isEmpty() || !sameVersion(r, there.get())) {
            return false;
        }
        for (ModelInfo m : models) {
            if (from.embedding(r.id(), m.id()).isPresent() != to.embedding(there.get().id(), m.id()).isPresent()) {
                return false;
            }
        }
        for (String kind : kinds) {
            if (from.imageData(r.id(), kind).isPresent() != to.imageData(there.get().id(), kind).isPresent()) {
                return false;
            }
        }
        if (r.isVideoFile()) { // its moments, each with the same vectors present
            List<ImageRecord> mine = from.moments(r.id());
            List<ImageRecord> theirs = to.moments(there.get().id());
            if (mine.size() != theirs.size()) {
                return false;
            }
            for (int i = 0; i < mine.size(); i++) {
                if (mine.get(i).frameMs() != theirs.get(i).frameMs()) {
                    return false;
                }
                for (ModelInfo m : models) {
                    if (from.embedding(mine.get(i).id(), m.id()).isPresent()
                            != to.embedding(theirs.get(i).id(), m.id()).isPresent()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static boolean sameVersion(ImageRecord a, ImageRecord b) {
        return a.size() == b.size() && a.mtimeMillis() == b.mtimeMillis() && a.status() == b.status()
                && Objects.equals(a.contentHash(), b.contentHash());
    }

    /**
     * One committed batch per model: the files with their vectors, each video followed by its moments (their own
     * rows and vectors). Later models' batches leave the video rows out, so the moments stored with the first model
     * are kept (a video row followed by moments would replace them) and only get the next model's vectors.
     */
    private static void copyBatch(Catalog from, Catalog to, List<ImageRecord> images, long folderId,
                                  List<ModelInfo> models, Iterable<String> kinds) {
        if (images.isEmpty()) {
            return;
        }
        List<ImageRecord> rows = new ArrayList<>(images.size());
        List<Long> sources = new ArrayList<>(images.size());
        for (ImageRecord r : images) {
            rows.add(copyOf(r, folderId));
            sources.add(r.id());
            if (r.isVideoFile()) {
                for (ImageRecord m : from.moments(r.id())) {
                    rows.add(copyOf(m, folderId));
                    sources.add(m.id());
                }
            }
        }
        List<ImageRecord> stored = null;
        boolean first = true;
        for (ModelInfo m : models) {
            List<ImageRecord> these = new ArrayList<>(rows.size());
            List<float[]> vectors = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                if (first || !rows.get(i).isVideoFile()) {
                    these.add(rows.get(i));
                    vectors.add(from.embedding(sources.get(i), m.id()).orElse(null));
                }
            }
            List<ImageRecord> result = to.commitBatch(these, m.id(), vectors); // this model's vectors added
            if (first) {
                stored = result;
            }
            first = false;
        }
        if (stored == null) {
            stored = to.commitBatch(rows, null, new ArrayList<>(Collections.nCopies(rows.size(), null)));
        }
        for (int i = 0; i < rows.size(); i++) {
            for (String kind : kinds) {
                long newId = stored.get(i).id();
                from.imageData(sources.get(i), kind).ifPresent(d -> to.putImageData(newId, kind, d));
            }
        }
    }

    /** The record as a new row in the target's folder {@code folderId} (a moment keeps its time). */
    private static ImageRecord copyOf(ImageRecord r, long folderId) {
        return new ImageRecord(0, folderId, r.path(), r.size(), r.mtimeMillis(), r.contentHash(), r.width(),
                r.height(), r.takenAt(), r.orientation(), r.status(), r.skipReason(), r.frameMs(), r.durationMs());
    }

    private static Result verify(Catalog from, Catalog to, long copied, long skipped, List<ModelInfo> models) {
        CatalogStats a = from.stats();
        CatalogStats b = to.stats();
        List<String> problems = new ArrayList<>();
        if (a.indexedImages() != b.indexedImages() || a.pendingImages() != b.pendingImages()
                || a.skippedImages() != b.skippedImages()) {
            problems.add("image counts differ (" + a.totalImages() + " here, " + b.totalImages() + " there)");
        }
        for (ModelInfo m : models) {
            if (from.countEmbeddings(m.id()) != to.countEmbeddings(m.id())) {
                problems.add("vectors of " + m.id() + " differ in number");
            }
        }
        for (var e : a.imageDataByKind().entrySet()) {
            if (!e.getValue().equals(b.imageDataByKind().getOrDefault(e.getKey(), 0L))) {
                problems.add(e.getKey() + " data differ in number");
            }
        }
        String sumFrom = checksum(from, models);
        String sumTo = checksum(to, models);
        if (!sumFrom.equals(sumTo)) {
            problems.add("checksums differ (" + sumFrom.substring(0, 12) + " here, " + sumTo.substring(0, 12) + " there)");
        }
        if (!problems.isEmpty()) {
            throw new OcularException("The exported library does not match: " + String.join("; ", problems)
                    + ". Run the export again to complete it.");
        }
        Map<String, Long> vectors = new TreeMap<>();
        models.forEach(m -> vectors.put(m.id(), from.countEmbeddings(m.id())));
        return new Result(copied, skipped, a.totalImages(), vectors, sumFrom);
    }

    /**
     * SHA-256 over every image, in order of folder path and path within it: the path relative to its folder, size,
     * mtime, content hash, status, duration, then each model's vector bytes (or a marker for none); a video's
     * moments follow it (time, vectors).
     */
    static String checksum(Catalog c, List<ModelInfo> models) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Map<String, FolderRecord> folders = new TreeMap<>();
        c.folders().forEach(f -> folders.put(f.path().toString(), f));
        for (FolderRecord f : folders.values()) {
            Map<String, ImageRecord> byRel = new TreeMap<>();
            for (ImageRecord r : c.imagesInFolder(f.id())) {
                byRel.put(relative(f.path(), r.path()), r);
            }
            md.update((f.path() + "\n").getBytes(StandardCharsets.UTF_8));
            for (var e : byRel.entrySet()) {
                ImageRecord r = e.getValue();
                md.update((e.getKey() + "|" + r.size() + "|" + r.mtimeMillis() + "|" + r.contentHash() + "|" + r.status()
                        + "|" + r.durationMs() + "\n").getBytes(StandardCharsets.UTF_8));
                digestVectors(md, c, r, models);
                if (r.isVideoFile()) {
                    for (ImageRecord m : c.moments(r.id())) {
                        md.update(("@" + m.frameMs() + "\n").getBytes(StandardCharsets.UTF_8));
                        digestVectors(md, c, m, models);
                    }
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void digestVectors(MessageDigest md, Catalog c, ImageRecord r, List<ModelInfo> models) {
        for (ModelInfo m : models) {
            Optional<float[]> v = c.embedding(r.id(), m.id());
            if (v.isEmpty()) {
                md.update((byte) 0);
            } else {
                ByteBuffer buf = ByteBuffer.allocate(v.get().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(v.get());
                md.update(buf.array());
            }
        }
    }

    private static String relative(Path folder, Path file) {
        return file.startsWith(folder) ? folder.relativize(file).toString().replace('\\', '/') : file.toString();
    }
}
