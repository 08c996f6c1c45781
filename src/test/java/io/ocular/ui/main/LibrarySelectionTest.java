package io.ocular.ui.main;

import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.fakes.FakeSearchService;
import io.ocular.ui.fakes.UiTestCatalog;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Selecting in the browsed library, which the grid shows a page of items at a time (issue 13): clicks, Ctrl and
 * Shift clicks across pages that were dropped meanwhile, Esc; the selection is the same items, in grid order.
 */
class LibrarySelectionTest {
    private static final int N = 5000;
    private final UiTestCatalog catalog = new UiTestCatalog();
    private final SearchViewModel vm = new SearchViewModel(new FakeSearchService(catalog), UiExecutors.direct(),
            new Notifications(), 100);

    private void browse() {
        List<LibraryBrowser.Photo> photos = new ArrayList<>();
        Instant newest = Instant.parse("2024-03-01T10:00:00Z");
        for (int i = 0; i < N; i++) {
            photos.add(new LibraryBrowser.Photo(i + 1, Path.of("/lib/p" + i + ".jpg"), newest.minusSeconds(60L * i)));
        }
        vm.showLibrary("All photos", photos);
    }

    private void scrollThroughEverything() {
        for (int i = 0; i < vm.results().size(); i++) {
            vm.results().get(i);
        }
    }

    @Test
    void shiftAndCtrlClicksSelectAcrossDroppedPagesAndEscClearsThem() {
        browse();
        assertThat(vm.results()).hasSize(N);

        vm.click(10, false, false);
        scrollThroughEverything();
        vm.click(4000, false, true); // Shift: 10..4000
        assertThat(vm.selectionCountProperty().get()).isEqualTo(3991);
        vm.click(20, true, false); // Ctrl: off
        scrollThroughEverything();

        List<ResultItem> selected = vm.selectedItems();
        assertThat(selected).hasSize(3990).extracting(ResultItem::id).startsWith(11L, 12L).doesNotContain(21L)
                .endsWith(4001L).isSorted();
        assertThat(vm.results().get(4000).isSelected()).isTrue();
        assertThat(vm.results().get(4001).isSelected()).isFalse();
        assertThat(vm.results().indexOf(vm.focusedProperty().get())).isEqualTo(20);

        vm.click(4500, false, false); // a plain click keeps only itself
        assertThat(vm.selectedItems()).extracting(ResultItem::id).containsExactly(4501L);
        assertThat(vm.results().get(10).isSelected()).isFalse();

        vm.escape();
        assertThat(vm.selectionCountProperty().get()).isZero();
        assertThat(vm.selectedItems()).isEmpty();
        assertThat(vm.results().get(4500).isSelected()).isFalse();
    }

    @Test
    void selectAllThenAnotherViewStartsWithNothingSelected() {
        browse();
        vm.selectAll();
        assertThat(vm.selectedItems()).hasSize(N);

        vm.viewProperty().set(vm.viewProperty().get().withOrder(ResultView.Order.OLDEST));

        assertThat(vm.selectionCountProperty().get()).isZero();
        assertThat(vm.results().get(0).id()).isEqualTo(N);
        assertThat(vm.results().get(N - 1).isSelected()).isFalse();
        assertThat(vm.selectedItems()).isEmpty();
    }
}
