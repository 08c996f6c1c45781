package io.ocular.index;

import io.ocular.model.SkippedFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Walks a library folder for image and video files (the names {@link ImageFormats} accepts; a RAW with a JPEG/HEIC
 * sidecar of the same shot is reported once, as the sidecar).
 *
 * <p>Follows symbolic links, with loop detection by directory identity (inode/file key, or the real path
 * where the file system has no keys): a link back to an ancestor is recorded as skipped and the walk goes
 * on; a directory reached twice through different links is walked once. Unreadable folders are recorded
 * as skipped with the reason; entries that vanish mid-walk are ignored. Hidden and system folders
 * (".git", ".thumbnails", "@eaDir", "$RECYCLE.BIN", ...) and hidden files (incl. macOS "._x.jpg") are not
 * entered. Hand-written instead of {@link java.nio.file.Files#walkFileTree} so that every file-system call
 * goes through the injectable {@link FileAccess}. Iterative (no recursion depth limit). Thread-safe.
 */
public final class FolderScanner {
    private static final Logger LOG = LoggerFactory.getLogger(FolderScanner.class);

    private static final Set<String> SYSTEM_FOLDERS = Set.of("@eadir", "$recycle.bin", "system volume information",
            "#recycle", "#snapshot", "lost+found", "__macosx", "recycler");

    /** A candidate image file with the attributes the incremental logic compares. */
    public record FoundFile(Path path, long size, long mtimeMillis) {
    }

    /** Receives the walk's findings, on the calling thread, as they are found. */
    public interface Sink {
        void file(FoundFile file);

        void skipped(SkippedFile skipped);
    }

    /** What one walk saw. {@code complete} is false when it was cancelled. */
    public record Summary(long files, long folders, List<SkippedFile> skipped, boolean complete) {
    }

    private final FileAccess files;

    public FolderScanner() {
        this(FileAccess.system());
    }

    public FolderScanner(FileAccess files) {
        this.files = files;
    }

    public static boolean isImageName(String fileName) {
        if (fileName.startsWith(".")) {
            return false;
        }
        return ImageFormats.isIndexedName(fileName);
    }

    /**
     * The files of one folder that stand for photos: a RAW with a rendered sidecar of the same shot in the
     * same folder (IMG_0001.CR2 beside IMG_0001.JPG, any case) is one photo, represented by the rendering
     * (decision 0135), so the RAW is left out.
     */
    static List<FoundFile> withoutShadowedRaws(List<FoundFile> found) {
        Set<String> rendered = new HashSet<>();
        for (FoundFile f : found) {
            String name = String.valueOf(f.path().getFileName());
            if (ImageFormats.RENDERED.contains(ImageFormats.extension(name))) {
                rendered.add(baseName(name));
            }
        }
        if (rendered.isEmpty()) {
            return found;
        }
        List<FoundFile> kept = new ArrayList<>(found.size());
        for (FoundFile f : found) {
            String name = String.valueOf(f.path().getFileName());
            if (!(ImageFormats.isRawName(name) && rendered.contains(baseName(name)))) {
                kept.add(f);
            }
        }
        return kept;
    }

    /**
     * True when {@code file} is a RAW whose rendered sidecar exists beside it: the photo is catalogued under
     * the sidecar, so an older record of the RAW alone is stale.
     */
    public static boolean isShadowedRaw(Path file, FileAccess files) {
        String name = String.valueOf(file.getFileName());
        Path dir = file.getParent();
        if (!ImageFormats.isRawName(name) || dir == null) {
            return false;
        }
        String base = name.substring(0, name.lastIndexOf('.'));
        for (String ext : ImageFormats.RENDERED) {
            if (files.exists(dir.resolve(base + "." + ext)) || files.exists(dir.resolve(base + "." + ext.toUpperCase(Locale.ROOT)))) {
                return true;
            }
        }
        return false;
    }

    private static String baseName(String name) {
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name).toLowerCase(Locale.ROOT);
    }

    public static boolean isIgnoredFolder(String folderName) {
        return folderName.startsWith(".") || SYSTEM_FOLDERS.contains(folderName.toLowerCase(Locale.ROOT));
    }

    private record Dir(Path path, Object identity, Dir parent) {
        boolean hasAncestor(Object id) {
            for (Dir d = this; d != null; d = d.parent) {
                if (d.identity.equals(id)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Walks {@code root} (which must be a readable folder; otherwise one skip is reported and nothing else).
     */
    public Summary scan(Path root, Sink sink, BooleanSupplier cancelled) {
        List<SkippedFile> skipped = new ArrayList<>();
        Sink recording = new Sink() {
            @Override
            public void file(FoundFile file) {
                sink.file(file);
            }

            @Override
            public void skipped(SkippedFile s) {
                skipped.add(s);
                sink.skipped(s);
            }
        };
        long fileCount = 0;
        long folderCount = 0;
        BasicFileAttributes rootAttrs;
        try {
            rootAttrs = files.attributes(root);
        } catch (IOException e) {
            recording.skipped(new SkippedFile(root, e instanceof NoSuchFileException
                    ? "folder not found (moved, or on a disconnected drive?)" : ImageDecodeException.ioReason(e)));
            return new Summary(0, 0, skipped, false); // nothing was seen: nothing of it may count as vanished
        }
        if (!rootAttrs.isDirectory()) {
            recording.skipped(new SkippedFile(root, "not a folder"));
            return new Summary(0, 0, skipped, true);
        }
        Set<Object> visited = new HashSet<>();
        Deque<Dir> stack = new ArrayDeque<>();
        Object rootId = identity(root, rootAttrs);
        visited.add(rootId);
        stack.push(new Dir(root, rootId, null));
        while (!stack.isEmpty()) {
            if (cancelled.getAsBoolean()) {
                return new Summary(fileCount, folderCount, skipped, false);
            }
            Dir dir = stack.pop();
            folderCount++;
            List<Dir> children = new ArrayList<>();
            List<FoundFile> found = new ArrayList<>();
            try (DirectoryStream<Path> entries = files.list(dir.path())) {
                for (Path entry : entries) {
                    String name = Objects.toString(entry.getFileName(), "");
                    BasicFileAttributes attrs;
                    try {
                        attrs = files.attributes(entry);
                    } catch (NoSuchFileException e) {
                        if (isImageName(name) && isLink(entry)) {
                            recording.skipped(new SkippedFile(entry, "broken link"));
                        } else {
                            LOG.debug("vanished during the scan: {}", entry);
                        }
                        continue;
                    } catch (IOException e) {
                        // report images, and extension-less names that may be folders; not other files
                        if (isImageName(name) || name.indexOf('.') < 0) {
                            recording.skipped(new SkippedFile(entry, ImageDecodeException.ioReason(e)));
                        }
                        continue;
                    }
                    if (attrs.isDirectory()) {
                        if (isIgnoredFolder(name)) {
                            continue;
                        }
                        Object id = identity(entry, attrs);
                        if (dir.hasAncestor(id)) {
                            recording.skipped(new SkippedFile(entry, "symbolic link loop (leads back to a folder above it)"));
                        } else if (visited.add(id)) {
                            children.add(new Dir(entry, id, dir));
                        } else {
                            LOG.debug("already walked through another link: {}", entry);
                        }
                    } else if (attrs.isRegularFile() && isImageName(name)) {
                        found.add(new FoundFile(entry, attrs.size(), attrs.lastModifiedTime().toMillis()));
                    }
                }
            } catch (NoSuchFileException e) {
                // deleted, or its drive went away mid-scan: what is catalogued below it is kept until a scan sees it
                recording.skipped(new SkippedFile(dir.path(), "folder vanished during the scan (drive disconnected?)"));
            } catch (IOException | DirectoryIteratorException e) {
                IOException io = e instanceof DirectoryIteratorException die ? die.getCause() : (IOException) e;
                recording.skipped(new SkippedFile(dir.path(), "folder " + ImageDecodeException.ioReason(io)));
            }
            // what was listed before a failure mid-listing is still reported
            for (FoundFile f : withoutShadowedRaws(found)) {
                fileCount++;
                recording.file(f);
            }
            // push in reverse so that the walk visits children in directory order
            for (int i = children.size() - 1; i >= 0; i--) {
                stack.push(children.get(i));
            }
        }
        return new Summary(fileCount, folderCount, skipped, true);
    }

    /**
     * A library folder that cannot hold its photos right now: gone, unreadable, or an empty folder although
     * the catalog knows photos in it (the mount point of an unplugged drive). Such a folder is reported
     * offline and nothing of it is deleted; removing it from the library is how a person forgets its photos.
     *
     * @param holdsPhotos the catalog has images under {@code folder}
     */
    public static boolean looksOffline(Path folder, boolean holdsPhotos, FileAccess files) {
        try {
            if (!files.attributes(folder).isDirectory()) {
                return true;
            }
            if (!holdsPhotos) {
                return false;
            }
            try (DirectoryStream<Path> entries = files.list(folder)) {
                return !entries.iterator().hasNext();
            }
        } catch (IOException | DirectoryIteratorException e) {
            return true;
        }
    }

    private boolean isLink(Path entry) {
        try {
            return files.linkAttributes(entry).isSymbolicLink();
        } catch (IOException e) {
            return false;
        }
    }

    private static Object identity(Path dir, BasicFileAttributes attrs) {
        Object key = attrs.fileKey();
        if (key != null) {
            return key;
        }
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }
}
