package io.ocular.ui.main;

import io.ocular.model.Query;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.fakes.FakeTextModels;
import io.ocular.ui.fakes.Library;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class TextModelViewModelTest {
    final Library lib = new Library(Path.of("/photos"), 6, "beach.jpg", "dog.jpg");
    final Notifications notes = new Notifications();
    final SearchViewModel search = new SearchViewModel(lib.search, UiExecutors.direct(), notes, 100);
    final FakeTextModels towers = new FakeTextModels();
    final TextModelViewModel vm = new TextModelViewModel(towers, search, UiExecutors.direct(), notes,
            Messages.english());

    @Test
    void oneTextModelOffersNoChoice() {
        towers.choices = List.of(FakeTextModels.CLIP);
        towers.current = "clip";
        vm.refresh();
        assertThat(vm.availableProperty().get()).isFalse();
        assertThat(vm.selectedProperty().get()).isEqualTo(FakeTextModels.CLIP);
        assertThat(towers.used).as("reading the choices chooses nothing").isEmpty();
    }

    @Test
    void choosingTheMultilingualModelSearchesTheWordsOnScreenAgainWithIt() {
        towers.choices = List.of(FakeTextModels.CLIP, FakeTextModels.MULTILINGUAL);
        towers.current = "clip";
        vm.refresh();
        assertThat(vm.availableProperty().get()).isTrue();
        assertThat(vm.choices()).extracting(vm::label).containsExactly("English (CLIP)", "Multilingual");
        search.queryTextProperty().set("바닷가의 강아지");
        search.searchText();
        vm.selectedProperty().set(FakeTextModels.MULTILINGUAL);
        assertThat(towers.used).containsExactly(FakeTextModels.MULTILINGUAL.id());
        assertThat(lib.search.queries).containsExactly(new Query.ByText("바닷가의 강아지"),
                new Query.ByText("바닷가의 강아지"));
        // while browsing (or searching by a photo) nothing is searched again
        search.leaveResults();
        vm.selectedProperty().set(FakeTextModels.CLIP);
        assertThat(lib.search.queries).hasSize(2);
    }

    @Test
    void aRefusalKeepsTheModelInUseAndSaysWhy() {
        towers.choices = List.of(FakeTextModels.CLIP, FakeTextModels.MULTILINGUAL);
        towers.current = "clip";
        towers.refuse = FakeTextModels.MULTILINGUAL.id();
        vm.refresh();
        vm.selectedProperty().set(FakeTextModels.MULTILINGUAL);
        assertThat(vm.selectedProperty().get()).isEqualTo(FakeTextModels.CLIP);
        assertThat(notes.current().level()).isEqualTo(Notifications.Level.ERROR);
        assertThat(notes.current().text()).contains("cannot search these photos");
    }

    @Test
    void theChoicesAreNamedInTheWindowsLanguage() {
        TextModelViewModel ko = new TextModelViewModel(towers, search, UiExecutors.direct(), notes,
                Messages.of(Locale.KOREAN));
        assertThat(ko.label(FakeTextModels.CLIP)).isEqualTo("영어(CLIP)");
        assertThat(ko.label(FakeTextModels.MULTILINGUAL)).isEqualTo("다국어");
        assertThat(ko.label(new io.ocular.ui.common.TextModels.Choice("x", "Some other tower", false)))
                .isEqualTo("Some other tower");
    }
}
