package io.ocular.ui.compose;

import io.ocular.model.SearchHit;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.fakes.FakeComposeLearning;
import io.ocular.ui.fakes.Library;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

/** Marking composed results as good matches / not matches (issue 19): what is kept, shown and refused. */
class ComposeMarksViewModelTest {
    final Library lib = new Library(Path.of("/photos"), 12);
    final Notifications notes = new Notifications();
    final FakeComposeLearning learning = new FakeComposeLearning();
    final ComposeViewModel vm = new ComposeViewModel(lib.search, learning, UiExecutors.direct(), notes, 50,
            Messages.english());

    private SearchHit hit(long id) {
        var r = lib.catalog.image(id).orElseThrow();
        return new SearchHit(r.id(), r.path(), 1f);
    }

    @Test
    void marksKeepReferenceWordsWeightAndResultAndShowOnTheResults() {
        vm.useReference(hit(3));
        vm.modificationProperty().set(" at night ");
        vm.weightProperty().set(0.3);
        vm.search();
        SearchHit first = vm.results().get(0);
        SearchHit second = vm.results().get(1);

        vm.mark(first, true);
        vm.mark(second, false);
        assertThat(learning.calls).containsExactly(
                new FakeComposeLearning.Call(3, "at night", 0.3, first.imageId(), true),
                new FakeComposeLearning.Call(3, "at night", 0.3, second.imageId(), false));
        assertThat(vm.marks()).isEqualTo(Map.of(first.imageId(), true, second.imageId(), false));
        assertThat(notes.current().text()).isEqualTo("Kept. 1 of 100 good matches before Ocular learns how you compose.");

        vm.mark(second, null); // taken back
        assertThat(vm.marks()).isEqualTo(Map.of(first.imageId(), true));

        // another turn shows its own marks; going back shows the first turn's again (read from the engine)
        vm.continueFrom(first);
        vm.modificationProperty().set("in snow");
        vm.search();
        assertThat(vm.marks()).isEmpty();
        vm.back();
        assertThat(vm.marks()).isEqualTo(Map.of(first.imageId(), true));
        vm.reset();
        assertThat(vm.marks()).isEmpty();
    }

    @Test
    void aDroppedFileAsReferenceCannotTeachAndTheUserIsToldWhy(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("dropped.png");
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
        assertThat(Files.size(file)).isPositive();
        vm.useReferenceFile(file);
        vm.modificationProperty().set("at night");
        vm.search();
        vm.mark(vm.results().get(0), true);
        assertThat(learning.calls).isEmpty();
        assertThat(vm.marks()).isEmpty();
        assertThat(notes.current().text()).contains("photo of your library");
    }

    @Test
    void aMarkThatCannotBeKeptIsAnErrorAndShowsNothing() {
        vm.useReference(hit(2));
        vm.modificationProperty().set("but red");
        vm.search();
        learning.failure = "The mark was not kept: the photo (id 5) is no longer in the library.";
        vm.mark(vm.results().get(0), true);
        assertThat(vm.marks()).isEmpty();
        assertThat(notes.current().text()).contains("no longer in the library");
    }

    @Test
    void withoutAShownTurnThereIsNothingToMark() {
        vm.mark(hit(4), true);
        assertThat(learning.calls).isEmpty();
    }
}
