package io.ocular.ui.indexing;

import io.ocular.engine.CodeTraining;
import io.ocular.engine.CodeTraining.Phase;
import io.ocular.engine.CodeTraining.Status;
import io.ocular.engine.CodeTraining.Verdict;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.fakes.FakeCodeTraining;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/** The indexing panel's codes row: progress, verdict, start and stop, and coalesced updates. */
class CodeTrainingViewModelTest {
    final FakeCodeTraining training = new FakeCodeTraining();
    final Notifications notes = new Notifications();
    final CodeTrainingViewModel vm = new CodeTrainingViewModel(training, UiExecutors.direct(), notes,
            Messages.english(), Duration.ZERO);

    private static Status done(boolean won, boolean inUse) {
        return new Status("m", Phase.DONE, 0, 0, 30, 30, Double.NaN, new Verdict(0.612, 0.574, 120, won), inUse,
                "trained 64-bit SPQ codes");
    }

    @Test
    void theVerdictSaysWhichCodesAreUsedWithTheNumbers() {
        vm.refresh();
        assertThat(vm.availableProperty().get()).isTrue();
        assertThat(vm.stateTextProperty().get()).startsWith("Not trained yet: compact codes use PQ.");
        training.status = done(true, true);
        vm.refresh();
        assertThat(vm.stateTextProperty().get())
                .isEqualTo("In use: SPQ beat PQ on your photos (0.612 vs 0.574, 120 held-out photos).");
        training.status = done(true, false);
        vm.refresh();
        assertThat(vm.stateTextProperty().get()).endsWith("used whenever compact codes are.");
        training.status = done(false, false);
        vm.refresh();
        assertThat(vm.stateTextProperty().get())
                .isEqualTo("SPQ did not beat PQ on your photos (0.612 vs 0.574, 120 held-out photos): PQ kept.");
        assertThat(vm.detailsProperty().get()).isEqualTo("trained 64-bit SPQ codes");
        assertThat(vm.runningProperty().get()).isFalse();
    }

    @Test
    void progressWhileTrainingThenStop() {
        vm.train();
        assertThat(training.starts).isEqualTo(1);
        assertThat(vm.runningProperty().get()).isTrue();
        assertThat(vm.stateTextProperty().get()).isEqualTo("Preparing views: 0 / 300 photos");
        training.publish(new Status("m", Phase.PREPARING, 150, 300, 0, 30, Double.NaN, null, false, null));
        assertThat(vm.fractionProperty().get()).isEqualTo(0.5);
        training.publish(new Status("m", Phase.TRAINING, 0, 0, 3, 30, 4.25, null, false, null));
        assertThat(vm.stateTextProperty().get()).isEqualTo("Training: epoch 3 of 30 (loss 4.250)");
        assertThat(vm.fractionProperty().get()).isEqualTo(0.1);
        vm.stop();
        assertThat(training.cancels).isEqualTo(1);
        assertThat(notes.current().text()).startsWith("Stopping after the current batch");
        training.publish(new Status("m", Phase.CANCELLED, 0, 0, 0, 30, Double.NaN, null, false, "cancelled"));
        assertThat(vm.runningProperty().get()).isFalse();
        assertThat(vm.stateTextProperty().get()).startsWith("Stopped; Train resumes");
    }

    @Test
    void whyTrainingCannotStartGoesToTheNoticeBar() {
        training.failure = "Too few photos to train compact codes on: 256 codewords need at least 1024 photos";
        vm.train();
        assertThat(notes.current().level()).isEqualTo(Notifications.Level.ERROR);
        assertThat(notes.current().text()).contains("Too few photos");
        assertThat(vm.runningProperty().get()).isFalse();
    }

    @Test
    void withoutAnEngineTheRowIsHidden() {
        CodeTrainingViewModel none = new CodeTrainingViewModel(CodeTraining.unavailable(), UiExecutors.direct(), notes,
                Messages.english(), Duration.ZERO);
        none.refresh();
        assertThat(none.availableProperty().get()).isFalse();
    }

    @Test
    void aBurstOfReportsFromTheTrainingThreadIsOneUpdateOnTheUiThread() {
        ConcurrentLinkedQueue<Runnable> ui = new ConcurrentLinkedQueue<>();
        CodeTrainingViewModel queued = new CodeTrainingViewModel(training, new UiExecutors(Runnable::run, ui::add),
                notes, Messages.english(), Duration.ZERO);
        queued.train();
        for (int i = 1; i <= 1000; i++) {
            training.publish(new Status("m", Phase.PREPARING, i, 1000, 0, 30, Double.NaN, null, false, null));
        }
        long before = queued.updatesApplied();
        Runnable r;
        while ((r = ui.poll()) != null) {
            r.run();
        }
        assertThat(queued.updatesApplied() - before).isLessThanOrEqualTo(3);
        assertThat(queued.stateTextProperty().get()).isEqualTo("Preparing views: 1,000 / 1,000 photos");
    }

    @Test
    void koreanWordsForTheVerdict() {
        CodeTrainingViewModel ko = new CodeTrainingViewModel(training, UiExecutors.direct(), notes,
                Messages.of(Locale.KOREAN), Duration.ZERO);
        training.status = done(true, true);
        ko.refresh();
        assertThat(ko.stateTextProperty().get()).startsWith("사용 중:").contains("0.612").contains("120");
    }
}
