package io.ocular.ui.settings;

import io.ocular.engine.ComposeLearning;
import io.ocular.engine.ComposeLearning.Active;
import io.ocular.engine.ComposeLearning.Status;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.fakes.FakeComposeLearning;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings → Composed search: which composer is in use, with what evidence, and the two resets. */
class ComposerSettingsViewModelTest {
    final FakeComposeLearning learning = new FakeComposeLearning();
    final Notifications notes = new Notifications();
    final ComposerSettingsViewModel vm = new ComposerSettingsViewModel(learning, UiExecutors.direct(), notes,
            Messages.english());

    private static Status status(Active active, long good, double personal, double sum, boolean won, boolean training) {
        return new Status("clip", true, active, good, 3, 100, personal, sum, 24, won, training, 7, 30, "details");
    }

    @Test
    void theSumWithItsMarksAndTraining() {
        learning.status = status(Active.SUM, 120, Double.NaN, Double.NaN, false, true);
        vm.refresh();
        assertThat(vm.inUseProperty().get()).isEqualTo("In use: the weighted sum of the image and the words");
        assertThat(vm.detailsProperty().get()).isEqualTo("120 good-match and 3 not-a-match marks kept for this model;"
                + " a personal Combiner is trained from 100 good matches on.\nLearning from your marks: epoch 7 of 30");
        assertThat(vm.canResetProperty().get()).isTrue();
        assertThat(vm.outcomeProperty().get()).isEqualTo("details");
        assertThat(vm.trainingProperty().get()).isTrue();

        vm.stop();
        assertThat(learning.stops).isEqualTo(1);
        assertThat(vm.trainingProperty().get()).isFalse();
        assertThat(notes.current().text()).startsWith("Training stopped");
    }

    @Test
    void thePersonalCombinerWithItsHeldOutRecallAgainstTheSum() {
        learning.status = status(Active.PERSONAL, 150, 0.75, 0.5, true, false);
        vm.refresh();
        assertThat(vm.inUseProperty().get()).isEqualTo("In use: your personal Combiner (top 10 of 24 held-out searches:"
                + " 75% found, the sum 50%)");
    }

    @Test
    void aPersonalCombinerThatLostIsSaidAndTheSumStays() {
        learning.status = status(Active.SUM, 150, 0.5, 0.58, false, false);
        vm.refresh();
        assertThat(vm.inUseProperty().get()).startsWith("In use: the weighted sum");
        assertThat(vm.detailsProperty().get()).endsWith("not better than the sum on your held-out searches (50% vs 58%"
                + " in the top 10), so the sum stays.");
    }

    @Test
    void anImportedCombinerAndAModelThatCannotCompose() {
        learning.status = status(Active.IMPORTED, 0, Double.NaN, Double.NaN, false, false);
        vm.refresh();
        assertThat(vm.inUseProperty().get()).contains("imported Combiner");
        learning.status = ComposeLearning.unavailable().status();
        vm.refresh();
        assertThat(vm.inUseProperty().get()).isEqualTo("The active model cannot compose a photo with words.");
        assertThat(vm.canResetProperty().get()).isFalse();
    }

    @Test
    void resetKeepsOrForgetsTheMarksAndSaysWhich() {
        learning.status = status(Active.PERSONAL, 150, 0.75, 0.5, true, false);
        vm.refresh();
        vm.reset(false);
        assertThat(learning.resets).containsExactly(false);
        assertThat(vm.inUseProperty().get()).startsWith("In use: the weighted sum");
        assertThat(vm.detailsProperty().get()).startsWith("150 good-match");
        assertThat(notes.current().text()).isEqualTo("Composed search uses the weighted sum again; your marks were kept.");
        vm.reset(true);
        assertThat(learning.resets).containsExactly(false, true);
        assertThat(vm.detailsProperty().get()).startsWith("0 good-match and 0 not-a-match");
        assertThat(notes.current().text()).contains("forgotten");
    }

    @Test
    void inKorean() {
        ComposerSettingsViewModel ko = new ComposerSettingsViewModel(learning, UiExecutors.direct(), notes,
                Messages.of(Locale.KOREAN));
        learning.status = status(Active.PERSONAL, 150, 0.75, 0.5, true, false);
        ko.refresh();
        assertThat(ko.inUseProperty().get()).startsWith("사용 중: 나만의 조합 모델").contains("75%").contains("50%");
    }
}
