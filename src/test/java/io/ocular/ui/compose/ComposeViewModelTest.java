package io.ocular.ui.compose;

import io.ocular.model.Query;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.fakes.Library;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ComposeViewModelTest {
    final Library lib = new Library(Path.of("/photos"), 12);
    final Notifications notes = new Notifications();
    final ComposeViewModel vm = new ComposeViewModel(lib.search, UiExecutors.direct(), notes, 50);

    @Test
    void noReferenceOrNoWordsIsAnInlineErrorNotAQuery() {
        vm.modificationProperty().set("at night");
        vm.search();
        assertThat(notes.current().text()).startsWith("Pick a reference image first");
        vm.useReferenceFile(Path.of("/nope/missing.jpg"));
        assertThat(notes.current().text()).contains("gone");
        assertThat(vm.referenceProperty().get()).isNull();
        assertThat(lib.search.queries).isEmpty();
    }

    @Test
    void twoTurnsThenStepBackAndBranch() {
        var start = lib.catalog.image(3).orElseThrow();
        vm.useReference(new io.ocular.model.SearchHit(start.id(), start.path(), 1f));
        vm.modificationProperty().set("at night");
        vm.weightProperty().set(0.3);
        vm.search();
        assertThat(lib.search.queries).containsExactly(new Query.Composed(new Query.ByImage(start.id()), "at night", 0.3));
        assertThat(vm.history()).hasSize(1);
        var pick = vm.results().get(4);

        vm.continueFrom(pick);
        assertThat(vm.modificationProperty().get()).isEmpty();
        vm.search();
        assertThat(notes.current().text()).startsWith("Describe the change");
        vm.modificationProperty().set("in snow");
        vm.search();
        assertThat(lib.search.queries.get(1)).isEqualTo(new Query.Composed(new Query.ByImage(pick.imageId()), "in snow", 0.3));
        assertThat(vm.history()).extracting(ComposeViewModel.Turn::modification).containsExactly("at night", "in snow");
        assertThat(vm.currentTurnProperty().get()).isEqualTo(1);

        vm.back();
        assertThat(vm.currentTurnProperty().get()).isZero();
        assertThat(vm.modificationProperty().get()).isEqualTo("at night");
        assertThat(vm.results()).isEqualTo(vm.history().get(0).hits());
        assertThat(vm.referenceProperty().get().query()).isEqualTo(new Query.ByImage(start.id()));

        // A new search from turn 0 replaces the turns after it.
        vm.modificationProperty().set("in fog");
        vm.search();
        assertThat(vm.history()).extracting(ComposeViewModel.Turn::modification).containsExactly("at night", "in fog");
        vm.reset();
        assertThat(vm.history()).isEmpty();
        assertThat(vm.currentTurnProperty().get()).isEqualTo(-1);
    }
}
