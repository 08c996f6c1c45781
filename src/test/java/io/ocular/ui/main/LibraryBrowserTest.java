package io.ocular.ui.main;

import io.ocular.model.FolderRecord;
import io.ocular.ui.fakes.UiTestCatalog;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class LibraryBrowserTest {
    private final UiTestCatalog catalog = new UiTestCatalog();
    private final Path root = Path.of("/photos").toAbsolutePath();
    private final Path other = Path.of("/more").toAbsolutePath();

    private void library() {
        long a = catalog.addFolder(root).id();
        long b = catalog.addFolder(other).id();
        catalog.addPhoto(a, root.resolve("2019/beach.jpg"), null, Instant.parse("2019-07-01T10:00:00Z"), 0);
        // no EXIF date: the file time counts
        catalog.addPhoto(a, root.resolve("2023/scan.png"), null, null, Instant.parse("2023-03-05T08:00:00Z").toEpochMilli());
        catalog.addPhoto(a, root.resolve("2021/snow.jpg"), null, Instant.parse("2021-01-20T12:00:00Z"),
                Instant.parse("2024-01-01T00:00:00Z").toEpochMilli()); // EXIF wins over a later file time
        catalog.addPhoto(b, other.resolve("cat.jpg"), null, Instant.parse("2022-05-01T00:00:00Z"), 0);
        catalog.addSkipped(a, root.resolve("2023/broken.jpg"), "damaged");
    }

    @Test
    void allPhotosAreNewestFirstByDateTakenElseFileTimeWithoutSkippedFiles() {
        library();

        assertThat(new LibraryBrowser(catalog).photos(null)).extracting(p -> p.path().getFileName().toString())
                .containsExactly("scan.png", "cat.jpg", "snow.jpg", "beach.jpg");
    }

    @Test
    void aFolderShowsItsPhotosAndThoseOfItsSubFolders() {
        library();
        LibraryBrowser browser = new LibraryBrowser(catalog);

        assertThat(browser.photos(root)).extracting(p -> p.path().getFileName().toString())
                .containsExactly("scan.png", "snow.jpg", "beach.jpg");
        assertThat(browser.photos(root.resolve("2021"))).extracting(p -> p.path().getFileName().toString())
                .containsExactly("snow.jpg");
        assertThat(browser.photos(Path.of("/nowhere").toAbsolutePath())).isEmpty();
    }

    @Test
    void aFolderInsideAnotherIsNestedAPrefixOfItsNameIsNot() {
        Path a = Path.of("/photos/a").toAbsolutePath();
        FolderRecord parent = new FolderRecord(1, a, Instant.EPOCH, 0, 0);
        FolderRecord sibling = new FolderRecord(2, Path.of("/photos/a-b").toAbsolutePath(), Instant.EPOCH, 0, 0);
        FolderRecord inside = new FolderRecord(3, a.resolve("b/c"), Instant.EPOCH, 0, 0);

        assertThat(LibraryBrowser.anyNested(List.of(parent, sibling))).isFalse();
        assertThat(LibraryBrowser.anyNested(List.of(sibling, inside, parent))).isTrue();
        assertThat(LibraryBrowser.anyNested(List.of())).isFalse();
    }

    @Test
    void nestedLibraryFoldersListAPhotoOnce() {
        library();
        long nested = catalog.addFolder(root.resolve("2019")).id();
        catalog.addPhoto(nested, root.resolve("2019/boat.jpg"), null, Instant.parse("2019-07-02T10:00:00Z"), 0);

        assertThat(new LibraryBrowser(catalog).photos(root)).extracting(LibraryBrowser.Photo::id).doesNotHaveDuplicates()
                .hasSize(4);
    }

    @Test
    void theTableHoldsTheSamePhotosInTheSameOrderAsTheList() {
        library();
        long nested = catalog.addFolder(root.resolve("2019")).id();
        catalog.addPhoto(nested, root.resolve("2019/boat.jpg"), null, Instant.parse("2019-07-02T10:00:00Z"), 0);
        catalog.addPhoto(nested, root.resolve("2019/ark.jpg"), null, Instant.parse("2019-07-02T10:00:00Z"), 0);
        LibraryBrowser browser = new LibraryBrowser(catalog);

        for (Path scope : new Path[] {null, root, root.resolve("2019"), other, Path.of("/nowhere").toAbsolutePath()}) {
            assertThat(browser.table(scope).photos()).as(String.valueOf(scope))
                    .containsExactlyElementsOf(browser.photos(scope));
        }
        assertThat(browser.table(null).photos()).extracting(p -> p.path().getFileName().toString())
                .containsExactly("scan.png", "cat.jpg", "snow.jpg", "ark.jpg", "boat.jpg", "beach.jpg");
    }

    @Test
    void monthLabelsAreInTheUsersLanguage() {
        Instant t = Instant.parse("2024-03-15T12:00:00Z");
        assertThat(LibraryBrowser.monthLabel(t, ZoneOffset.UTC, Locale.ENGLISH)).isEqualTo("March 2024");
        assertThat(LibraryBrowser.monthLabel(t, ZoneOffset.UTC, Locale.GERMAN)).isEqualTo("März 2024");
    }
}
