package io.ocular.ui.main;

import io.ocular.model.Query;
import io.ocular.model.SearchHit;
import io.ocular.model.SearchScope;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.fakes.FakeSearchService;
import io.ocular.ui.fakes.UiTestCatalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Browsing the library in the grid, sorting and filtering results, the query chip, Esc back to browsing. */
class BrowseAndResultViewModelTest {
    final UiTestCatalog catalog = new UiTestCatalog();
    final FakeSearchService search = new FakeSearchService(catalog);
    final Notifications notes = new Notifications();
    final SearchViewModel vm = new SearchViewModel(search, UiExecutors.direct(), notes, 100,
            ids -> catalog.images(ids).entrySet().stream().collect(Collectors.toMap(
                    Map.Entry::getKey, e -> LibraryBrowser.dateOf(e.getValue()))), ZoneOffset.UTC);
    final BrowseViewModel browse = new BrowseViewModel(catalog, vm, UiExecutors.direct(), notes);
    final Path trips = Path.of("/photos/trips").toAbsolutePath();
    final Path home = Path.of("/photos/home").toAbsolutePath();

    @BeforeEach
    void library() {
        catalog.setActiveModelId("fake");
        long t = catalog.addFolder(trips).id();
        long h = catalog.addFolder(home).id();
        catalog.addPhoto(t, trips.resolve("beach 2019.jpg"), new float[] {1, 0}, Instant.parse("2019-08-01T10:00:00Z"), 0);
        catalog.addPhoto(t, trips.resolve("rome/beach 2023.jpg"), new float[] {1, 0}, Instant.parse("2023-05-01T10:00:00Z"), 0);
        catalog.addPhoto(h, home.resolve("cat.jpg"), new float[] {0, 1}, null, Instant.parse("2021-02-01T10:00:00Z").toEpochMilli());
        catalog.addPhoto(h, home.resolve("beach ball.jpg"), new float[] {0, 1}, Instant.parse("2020-01-01T10:00:00Z"), 0);
    }

    private List<String> names() {
        return vm.results().stream().map(r -> r.path().getFileName().toString()).toList();
    }

    @Test
    void libraryItemsAreMadeFromPhotosAsTheyAre_withoutScores() {
        // pure, so that BrowseViewModel makes them off the FX thread (100,000 photos are 100,000 items)
        Instant d = Instant.parse("2020-01-01T10:00:00Z");
        List<ResultItem> items = SearchViewModel.libraryItems(List.of(
                new LibraryBrowser.Photo(7, home.resolve("a.jpg"), d, 0),
                new LibraryBrowser.Photo(3, home.resolve("b.mp4"), null, 4000)));
        assertThat(items).extracting(ResultItem::id).containsExactly(7L, 3L);
        assertThat(items).extracting(ResultItem::path).containsExactly(home.resolve("a.jpg"), home.resolve("b.mp4"));
        assertThat(items.get(0).date()).isEqualTo(d);
        assertThat(items.get(1).date()).isEqualTo(Instant.EPOCH); // unknown dates sort last
        assertThat(items).allSatisfy(r -> assertThat(r.score()).isNaN());
        assertThat(items).noneMatch(r -> r.selectedProperty().get());
    }

    @Test
    void theGridOpensOnAllPhotosNewestFirstAndAFolderClickShowsThatFolder() {
        browse.refresh();
        assertThat(vm.browsingProperty().get()).isTrue();
        assertThat(names()).containsExactly("beach 2023.jpg", "cat.jpg", "beach ball.jpg", "beach 2019.jpg");
        assertThat(vm.statusProperty().get()).isEqualTo("All photos · 4 photos");
        assertThat(vm.chipProperty().get()).isNull();

        browse.show(trips);
        assertThat(names()).containsExactly("beach 2023.jpg", "beach 2019.jpg");
        assertThat(vm.statusProperty().get()).isEqualTo("trips · 2 photos");
        browse.show(trips.resolve("rome"));
        assertThat(names()).containsExactly("beach 2023.jpg");
        browse.showAll();
        assertThat(names()).hasSize(4);
    }

    @Test
    void readsOfTheLibraryAskedForWhileOneIsInFlightBecomeOneMoreRead() {
        ArrayDeque<Runnable> background = new ArrayDeque<>();
        BrowseViewModel queued = new BrowseViewModel(catalog, vm, new UiExecutors(background::add, Runnable::run),
                notes);
        queued.refresh();
        queued.refresh(); // e.g. indexing runs changing state while a 1M-photo library is read
        queued.show(trips);
        assertThat(background).hasSize(1);

        background.poll().run(); // the first read ends (all photos, no longer wanted): one more starts
        assertThat(background).hasSize(1);
        assertThat(names()).isEmpty();
        background.poll().run();
        assertThat(background).isEmpty();
        assertThat(names()).containsExactly("beach 2023.jpg", "beach 2019.jpg"); // the scope asked for last

        queued.showAll(); // nothing in flight: a read starts at once
        assertThat(background).hasSize(1);
        background.poll().run();
        assertThat(names()).hasSize(4);
    }

    @Test
    void moreLikeThisStartsFromABrowsedPhotoAndEscReturnsToBrowsing() {
        browse.show(home);
        vm.click(0, false, false);
        ResultItem cat = vm.focusedProperty().get();
        assertThat(cat.path().getFileName().toString()).isEqualTo("cat.jpg");

        vm.moreLikeThis(cat);

        assertThat(search.queries).containsExactly(new Query.ByImage(cat.id()));
        assertThat(vm.browsingProperty().get()).isFalse();
        assertThat(vm.chipProperty().get()).isEqualTo(new QueryChip("cat.jpg", cat.path()));
        assertThat(vm.results()).hasSize(4);
        vm.escape();
        assertThat(vm.browsingProperty().get()).isTrue();
        assertThat(vm.chipProperty().get()).isNull();
        assertThat(names()).containsExactly("cat.jpg", "beach ball.jpg"); // back in the folder, as it was
    }

    @Test
    void resultsSortByRelevanceOrDateLocallyAndFilterByFolderAndDatesInsideTheSearch() {
        vm.queryTextProperty().set("beach");
        vm.searchText();
        assertThat(vm.chipProperty().get()).isEqualTo(new QueryChip("“beach”", null));
        assertThat(names()).containsExactly("beach 2019.jpg", "beach 2023.jpg", "beach ball.jpg", "cat.jpg");
        assertThat(search.options.get(0).scope()).isEqualTo(SearchScope.ALL);

        vm.viewProperty().set(vm.viewProperty().get().withOrder(ResultView.Order.NEWEST));
        assertThat(names()).containsExactly("beach 2023.jpg", "cat.jpg", "beach ball.jpg", "beach 2019.jpg");
        assertThat(search.queries).as("re-sorting needs no new search").hasSize(1);

        vm.viewProperty().set(vm.viewProperty().get().withOrder(ResultView.Order.OLDEST).withFolders(Set.of(home)));
        assertThat(search.queries).as("a folder filter searches again, inside the index").hasSize(2);
        assertThat(search.options.get(1).scope()).isEqualTo(new SearchScope(Set.of(home), null, null, Set.of()));
        assertThat(names()).containsExactly("beach ball.jpg", "cat.jpg");
        assertThat(vm.statusProperty().get()).isEqualTo("2 results · 1.5 ms");

        vm.viewProperty().set(ResultView.DEFAULT.withDates(LocalDate.of(2020, 1, 1), LocalDate.of(2021, 12, 31)));
        assertThat(search.options.get(2).scope()).isEqualTo(new SearchScope(Set.of(),
                Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2022-01-01T00:00:00Z"), Set.of()));
        assertThat(names()).containsExactly("beach ball.jpg", "cat.jpg");

        vm.viewProperty().set(ResultView.DEFAULT.withCloseOnly(true));
        // unfiltered again (a new search); fake scores 1.0, 0.8, 0.6, 0.4: only those within 10 % of the best
        assertThat(names()).containsExactly("beach 2019.jpg");
        vm.viewProperty().set(ResultView.DEFAULT);
        assertThat(search.queries).as("'close matches only' needs no new search").hasSize(4);
    }

    @Test
    void aFilterThatLeavesOutMostPhotosStillGivesKResults() {
        SearchViewModel two = new SearchViewModel(search, UiExecutors.direct(), notes, 2,
                ids -> catalog.images(ids).entrySet().stream().collect(Collectors.toMap(
                        Map.Entry::getKey, e -> LibraryBrowser.dateOf(e.getValue()))), ZoneOffset.UTC);
        two.viewProperty().set(ResultView.DEFAULT.withFolders(Set.of(home)));
        two.queryTextProperty().set("beach");
        two.searchText();
        // the two best overall are in trips/: filtering the top 2 afterwards would leave nothing
        assertThat(two.results()).extracting(r -> r.path().getFileName().toString())
                .containsExactly("beach ball.jpg", "cat.jpg");
        assertThat(search.options.get(0).scope().folders()).containsExactly(home);
    }

    @Test
    void aDroppedPhotoShowsAsAChipAndASuccessfulSearchClearsTheEarlierError() {
        search.failTextWith("Searching by words needs CLIP. Get it under Models.");
        vm.queryTextProperty().set("dog");
        vm.searchText();
        assertThat(notes.current().level()).isEqualTo(Notifications.Level.ERROR);

        Path photo = trips.resolve("beach 2019.jpg");
        vm.moreLikeThis(vm.results().isEmpty() ? new ResultItem(new SearchHit(1, photo, 1f)) : vm.results().get(0));

        assertThat(notes.current()).isNull();
        assertThat(vm.chipProperty().get().isImage()).isTrue();
        assertThat(vm.chipProperty().get().image()).isEqualTo(photo);
    }
}
