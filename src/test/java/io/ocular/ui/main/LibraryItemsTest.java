package io.ocular.ui.main;

import io.ocular.model.SearchHit;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The paged grid model of the browsed library (issue 13): the old list's order and filters, bounded items. */
class LibraryItemsTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final Path ROOT = Path.of("/lib").toAbsolutePath();

    /** Photos in several folders, many sharing a date (ties are ordered by path), some undated, one video. */
    private static List<LibraryBrowser.Photo> photos(int n, long seed) {
        Random random = new Random(seed);
        List<LibraryBrowser.Photo> out = new ArrayList<>();
        Instant base = Instant.parse("2023-06-15T12:00:00Z");
        for (int i = 0; i < n; i++) {
            Path dir = ROOT.resolve("f" + random.nextInt(5)).resolve(random.nextBoolean() ? "a" : "a.b");
            Instant date = random.nextInt(20) == 0 ? Instant.EPOCH : base.minusSeconds(3600L * random.nextInt(n));
            out.add(new LibraryBrowser.Photo(1000 + i, dir.resolve("p" + random.nextInt(1000) + "-" + i + ".jpg"),
                    date, i == 3 ? 5000 : 0));
        }
        return out;
    }

    private static List<Long> ids(List<ResultItem> items) {
        return items.stream().map(ResultItem::id).toList();
    }

    @Test
    void theTableSortsAsTheListOfPhotosDid_newestFirstTiesByPath() {
        List<LibraryBrowser.Photo> photos = photos(2000, 1);
        PhotoTable.Builder b = new PhotoTable.Builder();
        photos.forEach(p -> b.add(p.id(), p.path(), p.date().toEpochMilli(), p.durationMs()));

        List<LibraryBrowser.Photo> sorted = new ArrayList<>(photos);
        sorted.sort(LibraryBrowser.NEWEST_FIRST);
        assertThat(b.build(true).photos()).containsExactlyElementsOf(sorted);
    }

    @Test
    void aPhotoAddedTwiceIsShownOnce() {
        Path p = ROOT.resolve("x/a.jpg");
        PhotoTable table = new PhotoTable.Builder().add(1, p, 10, 0).add(2, ROOT.resolve("b.jpg"), 20, 0)
                .add(1, p, 10, 0).build(true);

        assertThat(table.photos()).extracting(LibraryBrowser.Photo::id).containsExactly(2L, 1L);
    }

    @Test
    void everyViewMatchesTheOldListsFiltersAndOrder() {
        List<LibraryBrowser.Photo> photos = photos(3000, 2);
        PhotoTable.Builder b = new PhotoTable.Builder();
        photos.forEach(p -> b.add(p.id(), p.path(), p.date().toEpochMilli(), p.durationMs()));
        PhotoTable table = b.build(true);
        List<ResultItem> old = SearchViewModel.libraryItems(table.photos());
        LibraryItems paged = new LibraryItems(table);
        List<ResultView> views = List.of(ResultView.DEFAULT,
                ResultView.DEFAULT.withOrder(ResultView.Order.NEWEST),
                ResultView.DEFAULT.withOrder(ResultView.Order.OLDEST),
                ResultView.DEFAULT.withFolders(Set.of(ROOT.resolve("f1"), ROOT.resolve("f3/a"))),
                ResultView.DEFAULT.withDates(LocalDate.of(2023, 5, 1), LocalDate.of(2023, 5, 31)),
                ResultView.DEFAULT.withDates(null, LocalDate.of(1970, 1, 1)).withOrder(ResultView.Order.OLDEST),
                ResultView.DEFAULT.withFolders(Set.of(ROOT.resolve("f2"))).withDates(LocalDate.of(2023, 4, 2), null)
                        .withOrder(ResultView.Order.OLDEST).withCloseOnly(true));
        for (ResultView view : views) {
            List<ResultItem> expected = view.apply(old, ResultItem::path, ResultItem::date, ResultItem::score, ZONE);
            LibraryItems shown = paged.view(view, ZONE);

            assertThat(ids(shown)).as(view.toString()).containsExactlyElementsOf(ids(expected));
            assertThat(shown).extracting(ResultItem::path).containsExactlyElementsOf(
                    expected.stream().map(ResultItem::path).toList());
            for (int i = 0; i < shown.size(); i += 97) {
                assertThat(shown.dateAt(i)).isEqualTo(expected.get(i).date());
            }
        }
        assertThat(old.get(0).path()).isNotNull();
    }

    @Test
    void scrollingThroughALargeLibraryHoldsAPagesWorthOfItemsNotOnePerPhoto() {
        int n = 200_000;
        PhotoTable.Builder b = new PhotoTable.Builder();
        for (int i = 0; i < n; i++) {
            b.add(i + 1, ROOT.resolve("d" + (i % 100)).resolve("p" + i + ".jpg"), 1_700_000_000_000L - i * 1000L, 0);
        }
        LibraryItems items = new LibraryItems(b.build(true));

        for (int i = 0; i < n; i++) { // the grid scrolled from top to bottom
            assertThat(items.get(i).id()).isEqualTo(i + 1);
        }
        for (int i = n - 1; i >= 0; i -= 50) { // and back
            items.get(i);
        }

        assertThat(items.itemsHeld()).isLessThanOrEqualTo(LibraryItems.CACHED_PAGES * LibraryItems.PAGE);
        long made = items.itemsMade();
        items.dateAt(n / 2);
        assertThat(items.indexOf(items.get(7))).isEqualTo(7);
        assertThat(items.indexOf(new ResultItem(new SearchHit(n - 5, ROOT, 0f)))).isEqualTo(n - 6);
        assertThat(items.itemsMade()).as("dates, indexOf make no item").isLessThanOrEqualTo(made + 1);
    }

    @Test
    void aSelectedOrMarkedItemStaysTheSameItemAfterItsPageWasDropped() {
        int n = 20_000;
        PhotoTable.Builder b = new PhotoTable.Builder();
        for (int i = 0; i < n; i++) {
            b.add(i + 1, ROOT.resolve("p" + i + ".jpg"), 1_700_000_000_000L - i * 1000L, 0);
        }
        LibraryItems items = new LibraryItems(b.build(true));
        ResultItem first = items.get(0);
        ResultItem later = items.get(9000);
        first.setSelected(true);
        later.setMark(Mark.RELEVANT);
        ResultItem plain = items.get(1);

        for (int i = 0; i < n; i++) {
            items.get(i);
        }

        assertThat(items.get(0)).isSameAs(first);
        assertThat(items.get(0).isSelected()).isTrue();
        assertThat(items.get(9000)).isSameAs(later);
        assertThat(items.get(1)).isNotSameAs(plain).extracting(ResultItem::id).isEqualTo(plain.id());
        assertThat(items.selected()).containsExactly(first);
        assertThat(items.itemsHeld()).isLessThanOrEqualTo(LibraryItems.CACHED_PAGES * LibraryItems.PAGE + 2);
    }
}
