package io.ocular.ui.main;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.store.Catalog;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the grid shows when nothing is searched: the photos of the library ("All photos") or of one folder
 * and its sub-folders, newest first by the date taken (EXIF), else the file's time. Skipped files (corrupt,
 * not images) are left out; photos still waiting to be indexed are shown. Blocking: call it on a
 * background thread.
 */
public final class LibraryBrowser {

    /** One photo (or video: {@code durationMs} > 0) as the grid shows it when browsing. */
    public record Photo(long id, Path path, Instant date, long durationMs) {
        public Photo(long id, Path path, Instant date) {
            this(id, path, date, 0);
        }
    }

    private final Catalog catalog;

    public LibraryBrowser(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * The photos under {@code folder} (with its sub-folders), or of the whole library when it is null,
     * newest first (ties by path).
     */
    public List<Photo> photos(Path folder) {
        List<Photo> out = new ArrayList<>();
        List<FolderRecord> folders = catalog.folders();
        for (FolderRecord f : folders) {
            boolean whole = folder == null || f.path().startsWith(folder);
            if (!whole && !folder.startsWith(f.path())) {
                continue; // neither inside nor around the folder asked for
            }
            for (ImageRecord r : catalog.imagesInFolder(f.id())) {
                if (r.status() != ImageStatus.SKIPPED && (whole || r.path().startsWith(folder))) {
                    out.add(new Photo(r.id(), r.path(), dateOf(r), r.durationMs()));
                }
            }
        }
        out.sort(NEWEST_FIRST);
        if (!anyNested(folders)) {
            return out; // every photo was listed once (a set of 1M ids costs ~80 MB and seconds, issue 13)
        }
        // nested library folders list a photo once each
        List<Photo> unique = new ArrayList<>(out.size());
        Set<Long> seen = new HashSet<>();
        for (Photo p : out) {
            if (seen.add(p.id())) {
                unique.add(p);
            }
        }
        return unique;
    }

    /**
     * {@link #photos} as a {@link PhotoTable}: the same photos in the same order, read row by row into primitive
     * columns, so a library of 1M photos is ~35 MB and no list of records or items (issue 13).
     */
    public PhotoTable table(Path folder) {
        PhotoTable.Builder table = new PhotoTable.Builder();
        for (FolderRecord f : catalog.folders()) {
            boolean whole = folder == null || f.path().startsWith(folder);
            if (!whole && !folder.startsWith(f.path())) {
                continue; // neither inside nor around the folder asked for
            }
            catalog.forEachImageInFolder(f.id(), r -> {
                if (r.status() != ImageStatus.SKIPPED && (whole || r.path().startsWith(folder))) {
                    table.add(r.id(), r.path(), dateOf(r).toEpochMilli(), r.durationMs());
                }
            });
        }
        return table.build(true); // newest first, ties by path; nested library folders' photos once
    }

    /** Whether a library folder lies inside another (then its photos were listed twice). */
    static boolean anyNested(List<FolderRecord> folders) {
        Set<Path> roots = new HashSet<>();
        folders.forEach(f -> roots.add(f.path()));
        for (FolderRecord f : folders) {
            for (Path p = f.path().getParent(); p != null; p = p.getParent()) {
                if (roots.contains(p)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Newest first, then by path. */
    public static final Comparator<Photo> NEWEST_FIRST =
            Comparator.comparing(Photo::date).reversed().thenComparing(Photo::path);

    /** The date a photo is sorted and filtered by: EXIF date taken, else the file's last-modified time. */
    public static Instant dateOf(ImageRecord r) {
        return r.takenAt() != null ? r.takenAt() : Instant.ofEpochMilli(r.mtimeMillis());
    }

    /** "March 2024", "2024년 3월" in the user's time zone and language. */
    public static String monthLabel(Instant date, ZoneId zone, Locale locale) {
        // Java 17 has no year-month skeleton; the languages that put the year first with a suffix get theirs
        String pattern = switch (locale.getLanguage()) {
            case "ko" -> "yyyy년 M월";
            case "ja", "zh" -> "yyyy年M月";
            default -> "LLLL yyyy";
        };
        return DateTimeFormatter.ofPattern(pattern, locale).format(date.atZone(zone));
    }
}
