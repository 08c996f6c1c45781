package io.ocular.index;

import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What one folder scan means for the catalog, decided from the catalog's records and what the scan found,
 * with no file system access and no threads (so it is unit-tested as a function).
 *
 * <p>A found file whose size and mtime match its record needs nothing when the record is SKIPPED (not retried
 * until it changes) or INDEXED with a vector of the active model; anything else found needs work (new,
 * changed, or lacking the active model's vector). A record under the scanned root whose file was not found
 * has vanished, unless it lies under a folder the scan could not read (a disconnected drive or a permission
 * problem loses nothing). Vanished records are candidates: the daemon deletes them after the pass, except
 * those a new path claimed as a move.
 *
 * <p>Fed file by file as the scan streams ({@link #file}), so a huge folder is diffed in bounded memory
 * besides its records; {@link #of} does a whole diff at once.
 */
final class FolderDiff {

    /** What to do with one found file. */
    sealed interface Action {
        /** Up to date: nothing to do. */
        record Unchanged(ImageRecord record) implements Action {
        }

        /** Hash, detect a move, decode and embed; {@code known} is the old record or null for a new path. */
        record Index(FolderScanner.FoundFile file, ImageRecord known) implements Action {
            boolean isNew() {
                return known == null;
            }
        }
    }

    /** A whole diff: per found file, in scan order, and the vanished records. */
    record Result(List<Action> actions, List<ImageRecord> vanished) {
        long toIndex() {
            return actions.stream().filter(a -> a instanceof Action.Index).count();
        }

        long fresh() {
            return actions.stream().filter(a -> a instanceof Action.Index i && i.isNew()).count();
        }
    }

    private final Map<Path, ImageRecord> known = new HashMap<>();
    private final Set<Long> withoutVector;
    private final Predicate<ImageRecord> retrySkipped;
    /**
     * The known records' paths the scan found (the record's own {@code Path}, never the scan's): a new file needs no
     * entry, since only known records can vanish. Keeping every found path made the scan of a new 100,000-photo
     * folder hold 100,000 paths until it ended, which the soak saw as heap growing with the photos (0260).
     */
    private final Set<Path> seen = new HashSet<>();
    private final List<Path> unreadable = new ArrayList<>();

    /**
     * @param root          the scanned folder
     * @param records       the catalog's records of the library folder (those outside {@code root} are ignored)
     * @param withoutVector ids of images without a vector of the active model
     */
    FolderDiff(Path root, Collection<ImageRecord> records, Set<Long> withoutVector) {
        this(root, records, withoutVector, r -> false);
    }

    /**
     * @param retrySkipped SKIPPED records to try again although their file did not change (a video skipped
     *                     because ffmpeg was missing, now that it is there)
     */
    FolderDiff(Path root, Collection<ImageRecord> records, Set<Long> withoutVector,
               Predicate<ImageRecord> retrySkipped) {
        this.retrySkipped = retrySkipped;
        for (ImageRecord r : records) {
            if (r.path().startsWith(root)) {
                known.put(r.path(), r);
            }
        }
        this.withoutVector = withoutVector;
    }

    static Result of(Path root, Collection<ImageRecord> records, Set<Long> withoutVector,
                     List<FolderScanner.FoundFile> found, List<Path> unreadable) {
        FolderDiff diff = new FolderDiff(root, records, withoutVector);
        unreadable.forEach(diff::unreadable);
        List<Action> actions = new ArrayList<>();
        for (FolderScanner.FoundFile f : found) {
            actions.add(diff.file(f));
        }
        return new Result(actions, diff.vanished());
    }

    Action file(FolderScanner.FoundFile f) {
        ImageRecord rec = known.get(f.path());
        if (rec != null) {
            seen.add(rec.path());
        }
        boolean same = rec != null && rec.size() == f.size() && rec.mtimeMillis() == f.mtimeMillis();
        if (same && ((rec.status() == ImageStatus.SKIPPED && !retrySkipped.test(rec))
                || (rec.status() == ImageStatus.INDEXED && !withoutVector.contains(rec.id())))) {
            return new Action.Unchanged(rec);
        }
        return new Action.Index(f, rec);
    }

    /** A video recorded as skipped because ffmpeg was missing. */
    static boolean skippedForLackOfFfmpeg(ImageRecord r) {
        return r.status() == ImageStatus.SKIPPED && VideoFrames.missingReason().equals(r.skipReason());
    }

    /** A folder the scan could not read: nothing below it counts as vanished. */
    void unreadable(Path folder) {
        if (folder != null) {
            unreadable.add(folder);
        }
    }

    /** How many paths the diff holds for its scan so far (known records found). */
    int remembered() {
        return seen.size();
    }

    /** Records not found by the scan (call once the scan is complete). */
    List<ImageRecord> vanished() {
        List<ImageRecord> out = new ArrayList<>();
        for (ImageRecord r : known.values()) {
            if (!seen.contains(r.path()) && unreadable.stream().noneMatch(u -> r.path().startsWith(u))) {
                out.add(r);
            }
        }
        return out;
    }
}
