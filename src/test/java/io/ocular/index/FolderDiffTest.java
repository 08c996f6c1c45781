package io.ocular.index;

import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The folder diff as a function: catalog records + scan findings → actions and vanished records. */
class FolderDiffTest {
    private static final Path ROOT = Path.of("/lib");

    private static ImageRecord rec(long id, String path, long size, long mtime, ImageStatus status) {
        return new ImageRecord(id, 1, ROOT.resolve(path), size, mtime, "h" + id, 10, 10, null, 1, status, null);
    }

    private static FolderScanner.FoundFile found(String path, long size, long mtime) {
        return new FolderScanner.FoundFile(ROOT.resolve(path), size, mtime);
    }

    @Test
    void unchangedFilesNeedNothingAndNewOrChangedOnesAreIndexed() {
        List<ImageRecord> records = List.of(
                rec(1, "same.jpg", 100, 5, ImageStatus.INDEXED),
                rec(2, "changed.jpg", 100, 5, ImageStatus.INDEXED),
                rec(3, "broken.jpg", 7, 5, ImageStatus.SKIPPED),
                rec(4, "novector.jpg", 100, 5, ImageStatus.INDEXED));
        FolderDiff.Result r = FolderDiff.of(ROOT, records, Set.of(4L), List.of(
                found("same.jpg", 100, 5),
                found("changed.jpg", 100, 6),
                found("broken.jpg", 7, 5),
                found("novector.jpg", 100, 5),
                found("new.jpg", 1, 1)), List.of());

        assertThat(r.actions()).extracting(a -> a.getClass().getSimpleName())
                .containsExactly("Unchanged", "Index", "Unchanged", "Index", "Index");
        assertThat(((FolderDiff.Action.Index) r.actions().get(1)).known().id()).isEqualTo(2);
        assertThat(((FolderDiff.Action.Index) r.actions().get(4)).isNew()).isTrue();
        assertThat(r.toIndex()).isEqualTo(3);
        assertThat(r.fresh()).isEqualTo(1);
        assertThat(r.vanished()).isEmpty();
    }

    @Test
    void recordsNotFoundVanishExceptUnderUnreadableFoldersOrOutsideTheScannedRoot() {
        List<ImageRecord> records = List.of(
                rec(1, "a/gone.jpg", 1, 1, ImageStatus.INDEXED),
                rec(2, "locked/kept.jpg", 1, 1, ImageStatus.INDEXED),
                rec(3, "a/here.jpg", 1, 1, ImageStatus.INDEXED),
                rec(4, "b/elsewhere.jpg", 1, 1, ImageStatus.INDEXED));
        FolderDiff.Result r = FolderDiff.of(ROOT, records, Set.of(), List.of(found("a/here.jpg", 1, 1)),
                List.of(ROOT.resolve("locked")));
        assertThat(r.vanished()).extracting(ImageRecord::id).containsExactlyInAnyOrder(1L, 4L);

        FolderDiff.Result sub = FolderDiff.of(ROOT.resolve("a"), records, Set.of(), List.of(), List.of());
        assertThat(sub.vanished()).extracting(ImageRecord::id).as("only records under the scanned subtree")
                .containsExactlyInAnyOrder(1L, 3L);
    }

    /** A scan of new files holds nothing per file; only found known records are remembered (to tell the vanished). */
    @Test
    void newFilesAreNotRememberedAndVanishedIsStillRight() {
        List<ImageRecord> records = List.of(rec(1, "old.jpg", 1, 1, ImageStatus.INDEXED),
                rec(2, "gone.jpg", 1, 1, ImageStatus.INDEXED));
        FolderDiff diff = new FolderDiff(ROOT, records, Set.of());
        for (int i = 0; i < 1000; i++) {
            assertThat(diff.file(found("new" + i + ".jpg", 1, 1))).isInstanceOf(FolderDiff.Action.Index.class);
        }
        assertThat(diff.remembered()).isZero();
        diff.file(found("old.jpg", 1, 1));
        assertThat(diff.remembered()).isEqualTo(1);
        assertThat(diff.vanished()).extracting(ImageRecord::id).containsExactly(2L);
    }
}
