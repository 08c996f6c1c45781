package io.ocular.ui.main;

import io.ocular.model.Query;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.fakes.Library;
import io.ocular.ui.fakes.QueueExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SearchViewModelTest {
    final Library lib = new Library(Path.of("/photos"), 10, "beach.jpg", "red car.jpg", "beach2.jpg");
    final Notifications notes = new Notifications();
    final SearchViewModel vm = new SearchViewModel(lib.search, UiExecutors.direct(), notes, 100);

    @Test
    void textSearchShowsRankedResultsAndStatus() {
        vm.queryTextProperty().set("  beach ");
        vm.searchText();
        assertThat(lib.search.queries).containsExactly(new Query.ByText("beach"));
        assertThat(vm.results()).hasSize(10);
        assertThat(vm.results().subList(0, 2)).extracting(r -> r.hit().path().getFileName().toString())
                .containsExactly("beach.jpg", "beach2.jpg");
        assertThat(vm.statusProperty().get()).isEqualTo("10 results · 1.5 ms");
        assertThat(vm.busyProperty().get()).isFalse();
    }

    @Test
    void partialCoverageWhileReindexingIsSaidInlineWithTheResults() {
        lib.search.notice("re-indexing with CLIP: 340 of 1,000 photos; results cover those so far");
        vm.queryTextProperty().set("beach");
        vm.searchText();
        assertThat(vm.results()).hasSize(10);
        assertThat(vm.statusProperty().get())
                .isEqualTo("10 results · 1.5 ms · re-indexing with CLIP: 340 of 1,000 photos; results cover those so far");
    }

    @Test
    void blankQueryAndEngineFailuresAreInlineMessages() {
        vm.searchText();
        assertThat(lib.search.queries).isEmpty();
        assertThat(notes.current().level()).isEqualTo(Notifications.Level.INFO);
        lib.search.failTextWith("Searching by words needs CLIP. Get it under Models.");
        vm.queryTextProperty().set("dog");
        vm.searchText();
        assertThat(notes.current().level()).isEqualTo(Notifications.Level.ERROR);
        assertThat(notes.current().text()).isEqualTo("Searching by words needs CLIP. Get it under Models.");
    }

    @Test
    void droppedFilesAreCheckedBeforeSearching(@TempDir Path dir) throws Exception {
        vm.searchFile(dir.resolve("gone.jpg"));
        assertThat(notes.current().text()).contains("gone.jpg is gone");
        Path txt = Files.writeString(dir.resolve("notes.txt"), "hello");
        vm.searchFile(txt);
        assertThat(notes.current().text()).contains("not an image");
        assertThat(lib.search.queries).isEmpty();
        Path jpg = Files.write(dir.resolve("q.jpg"), new byte[] {1});
        vm.searchFile(jpg);
        assertThat(lib.search.queries).containsExactly(new Query.ByFile(jpg));
    }

    @Test
    void staleResultsAreDropped() {
        QueueExecutor background = new QueueExecutor();
        SearchViewModel slow = new SearchViewModel(lib.search, new UiExecutors(background, Runnable::run), notes, 5);
        slow.queryTextProperty().set("beach");
        slow.searchText();
        slow.queryTextProperty().set("car");
        slow.searchText();
        background.runAll();
        assertThat(slow.results()).first().extracting(r -> r.hit().path().getFileName().toString())
                .isEqualTo("red car.jpg");
    }

    @Test
    void clickToggleAndRangeSelect() {
        vm.queryTextProperty().set("x");
        vm.searchText();
        vm.click(2, false, false);
        vm.click(5, false, true);
        assertThat(vm.selectedItems()).hasSize(4);
        vm.click(3, true, false);
        assertThat(vm.selectedItems()).hasSize(3);
        assertThat(vm.selectionCountProperty().get()).isEqualTo(3);
        assertThat(vm.focusedProperty().get()).isSameAs(vm.results().get(3));
        vm.click(7, false, false);
        assertThat(vm.selectedItems()).containsExactly(vm.results().get(7));
        vm.escape();
        assertThat(vm.selectionCountProperty().get()).isZero();
        assertThat(vm.results()).isNotEmpty();
        vm.escape();
        assertThat(vm.results()).isEmpty();
        assertThat(vm.queryTextProperty().get()).isEmpty();
    }

    @Test
    void feedbackRoundsRefineUndoAndClear() {
        vm.queryTextProperty().set("beach");
        vm.searchText();
        long third = vm.results().get(2).id();
        long first = vm.results().get(0).id();
        vm.refine();
        assertThat(notes.current().text()).contains("Mark some results");
        assertThat(lib.search.queries).hasSize(1);

        vm.click(2, false, false);
        vm.markSelected(Mark.RELEVANT);
        vm.mark(vm.results().get(0), Mark.NOT_RELEVANT);
        assertThat(vm.pendingMarks()).isEqualTo(2);
        vm.refine();
        Query q = lib.search.queries.get(1);
        assertThat(q).isEqualTo(new Query.Refined(new Query.ByText("beach"),
                java.util.List.of(new Query.FeedbackRound(Set.of(third), Set.of(first)))));
        assertThat(vm.results().get(0).id()).isEqualTo(third);
        assertThat(vm.results().get(0).getMark()).isEqualTo(Mark.RELEVANT);
        assertThat(vm.results()).extracting(ResultItem::id).doesNotContain(first);
        assertThat(vm.roundCountProperty().get()).isEqualTo(1);

        long next = vm.results().get(1).id();
        vm.mark(vm.results().get(1), Mark.RELEVANT);
        vm.refine();
        assertThat(vm.rounds()).hasSize(2);
        assertThat(vm.statusProperty().get()).contains("refined 2×");

        vm.undoRound();
        assertThat(lib.search.queries.get(3)).isEqualTo(lib.search.queries.get(1));
        assertThat(vm.roundCountProperty().get()).isEqualTo(1);
        assertThat(vm.results()).filteredOn(r -> r.id() == next).extracting(ResultItem::getMark)
                .containsExactly(Mark.NONE);

        vm.clearFeedback();
        assertThat(lib.search.queries.get(4)).isEqualTo(new Query.ByText("beach"));
        assertThat(vm.results()).allMatch(r -> r.getMark() == Mark.NONE);
        vm.undoRound();
        assertThat(notes.current().text()).isEqualTo("No feedback round to undo.");
    }
}
