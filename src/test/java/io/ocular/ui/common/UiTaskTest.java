package io.ocular.ui.common;

import io.ocular.model.OcularException;
import io.ocular.ui.fakes.QueueExecutor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class UiTaskTest {
    private final QueueExecutor background = new QueueExecutor();
    private final QueueExecutor ui = new QueueExecutor();
    private final UiExecutors executors = new UiExecutors(background, ui);
    private final Notifications notifications = new Notifications();

    private void runAll() {
        while (background.runAll() + ui.runAll() > 0) {
            // work queues callbacks; run until both are empty
        }
    }

    @Test
    void latestWinsDropsTheOlderRunsResultAndStaysBusyUntilTheLatestEnds() {
        UiTask task = UiTask.latestWins("Search", executors, notifications);
        List<String> shown = new ArrayList<>();
        task.supply(() -> "old").onSuccess(shown::add).start();
        task.supply(() -> "new").onSuccess(shown::add).start();
        assertThat(task.isBusy()).isTrue();

        background.runAll(); // both finish; the old one's callback is queued first
        ui.runAll();

        assertThat(shown).containsExactly("new");
        assertThat(task.isBusy()).isFalse();
    }

    @Test
    void anOlderRunFinishingFirstDoesNotClearBusy() {
        UiTask task = UiTask.latestWins("Search", executors, notifications);
        List<String> shown = new ArrayList<>();
        task.supply(() -> "old").onSuccess(shown::add).start();
        task.supply(() -> "new").onSuccess(shown::add).start();

        assertThat(background.runNext()).isTrue(); // only the old run's work finishes
        ui.runAll();
        assertThat(shown).isEmpty();
        assertThat(task.isBusy()).isTrue();

        runAll();
        assertThat(shown).containsExactly("new");
        assertThat(task.isBusy()).isFalse();
    }

    @Test
    void failureBecomesOneNoticeByDefault() {
        UiTask task = UiTask.latestWins("Search", executors, notifications);
        task.supply(() -> {
            throw new IllegalStateException("disk on fire");
        }).onSuccess(v -> { throw new AssertionError("no success"); }).start();
        runAll();

        assertThat(notifications.current().level()).isEqualTo(Notifications.Level.ERROR);
        assertThat(notifications.current().text()).isEqualTo("Search failed: disk on fire");
        assertThat(task.isBusy()).isFalse();
    }

    @Test
    void ocularExceptionMessageIsShownAsIsAndDescribedAsRenamesTheRun() {
        UiTask task = UiTask.everyRun("Models", executors, notifications);
        task.run(() -> {
            throw new OcularException("Model file is truncated.");
        }).start();
        runAll();
        assertThat(notifications.current().text()).isEqualTo("Model file is truncated.");

        task.run(() -> {
            throw new IllegalArgumentException("bad");
        }).describedAs("Activating CLIP").start();
        runAll();
        assertThat(notifications.current().text()).isEqualTo("Activating CLIP failed: bad");
    }

    @Test
    void customFailureHandlerGetsTheUnwrappedCauseAndReplacesTheNotice() {
        UiTask task = UiTask.latestWins("Viewer", executors, notifications);
        AtomicReference<Throwable> seen = new AtomicReference<>();
        List<String> finished = new ArrayList<>();
        task.supply(() -> {
            throw new IllegalStateException("gone");
        }).onFailure(seen::set).onFinished(() -> finished.add("done")).start();
        runAll();

        assertThat(seen.get()).isInstanceOf(IllegalStateException.class).hasMessage("gone");
        assertThat(notifications.current()).isNull();
        assertThat(finished).containsExactly("done");
    }

    @Test
    void everyRunReportsEachRunAndIsBusyUntilAllEnd() {
        UiTask task = UiTask.everyRun("Adding a folder", executors, notifications);
        List<Integer> done = new ArrayList<>();
        task.supply(() -> 1).onSuccess(done::add).start();
        task.supply(() -> 2).onSuccess(done::add).start();
        assertThat(background.runNext()).isTrue();
        ui.runAll();
        assertThat(done).containsExactly(1);
        assertThat(task.isBusy()).isTrue();

        runAll();
        assertThat(done).containsExactly(1, 2);
        assertThat(task.isBusy()).isFalse();
    }

    @Test
    void supersedeDropsRunsInFlightAndClearsBusy() {
        UiTask task = UiTask.latestWins("Search", executors, notifications);
        List<String> shown = new ArrayList<>();
        task.supply(() -> "stale").onSuccess(shown::add).onFinished(() -> shown.add("finished")).start();
        task.supersede();
        assertThat(task.isBusy()).isFalse();
        runAll();
        assertThat(shown).isEmpty();

        UiTask every = UiTask.everyRun("Import", executors, notifications);
        every.supply(() -> "stale").onSuccess(shown::add).start();
        every.supersede();
        every.supply(() -> "fresh").onSuccess(shown::add).start();
        runAll();
        assertThat(shown).containsExactly("fresh");
        assertThat(every.isBusy()).isFalse();
    }
}
