package io.ocular.ui.settings;

import io.ocular.engine.ComposeLearning;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiTask;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Settings → Composed search: which composer the active model's composed searches use (the weighted sum, the
 * user's personal Combiner with its held-out recall against the sum, or an imported Combiner), the marks kept and
 * the training under way, and Reset back to the sum with the marks kept or forgotten. UI-thread methods; the
 * engine is asked in the background.
 */
public final class ComposerSettingsViewModel {
    private final ComposeLearning learning;
    private final Notifications notifications;
    private final Messages msg;
    private final UiTask reading;
    private final UiTask resetting;
    private final ReadOnlyStringWrapper inUse = new ReadOnlyStringWrapper(this, "inUse", "…");
    private final ReadOnlyStringWrapper details = new ReadOnlyStringWrapper(this, "details", "");
    private final ReadOnlyStringWrapper outcome = new ReadOnlyStringWrapper(this, "outcome", "");
    private final ReadOnlyBooleanWrapper canReset = new ReadOnlyBooleanWrapper(this, "canReset", false);
    private final ReadOnlyBooleanWrapper training = new ReadOnlyBooleanWrapper(this, "training", false);

    public ComposerSettingsViewModel(ComposeLearning learning, UiExecutors executors, Notifications notifications,
                                     Messages msg) {
        this.learning = learning;
        this.notifications = notifications;
        this.msg = msg;
        this.reading = UiTask.latestWins(msg.get("task.composerStatus"), executors, notifications);
        this.resetting = UiTask.everyRun(msg.get("task.composerReset"), executors, notifications);
    }

    /** The composer in use, in a line. */
    public ReadOnlyStringProperty inUseProperty() {
        return inUse.getReadOnlyProperty();
    }

    /** The marks kept, the training under way or why the last personal Combiner is not used. */
    public ReadOnlyStringProperty detailsProperty() {
        return details.getReadOnlyProperty();
    }

    /** The engine's own sentence about the last training (a tooltip). */
    public ReadOnlyStringProperty outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canResetProperty() {
        return canReset.getReadOnlyProperty();
    }

    /** Whether a personal Combiner is being trained now (the view refreshes meanwhile and offers Stop). */
    public ReadOnlyBooleanProperty trainingProperty() {
        return training.getReadOnlyProperty();
    }

    /** Stops the training after its current batch (it resumes when Ocular next starts). */
    public void stop() {
        resetting.supply(() -> {
            learning.stopTraining();
            return learning.status();
        }).onSuccess((ComposeLearning.Status s) -> {
            show(s);
            notifications.info(msg.get("settings.composer.stopped"));
        }).start();
    }

    /** Asks the engine again. */
    public void refresh() {
        reading.supply(learning::status).onSuccess(this::show).start();
    }

    /** Back to the weighted sum; {@code forgetMarks} also deletes this model's marks. */
    public void reset(boolean forgetMarks) {
        resetting.supply(() -> {
            learning.reset(forgetMarks);
            return learning.status();
        }).onSuccess((ComposeLearning.Status s) -> {
            show(s);
            notifications.info(msg.get(forgetMarks ? "settings.composer.resetForgotten" : "settings.composer.resetDone"));
        }).start();
    }

    private void show(ComposeLearning.Status s) {
        outcome.set(s.lastOutcome() == null ? "" : s.lastOutcome());
        training.set(s.training());
        canReset.set(s.available() && (s.active() != ComposeLearning.Active.SUM || s.relevantMarks() + s.otherMarks() > 0));
        if (!s.available()) {
            inUse.set(msg.get("settings.composer.unavailable"));
            details.set("");
            return;
        }
        inUse.set(s.active() == ComposeLearning.Active.PERSONAL
                ? msg.format("settings.composer.PERSONAL", s.personalRecall(), s.sumRecall(), s.heldOut())
                : msg.get("settings.composer." + s.active().name()));
        String line = msg.format("settings.composer.marks", s.relevantMarks(), s.otherMarks(), s.needed());
        if (s.training()) {
            line += "\n" + msg.format("settings.composer.training", s.epoch(), s.epochs());
        } else if (!s.personalWon() && !Double.isNaN(s.personalRecall()) && s.active() != ComposeLearning.Active.PERSONAL) {
            line += "\n" + msg.format("settings.composer.notBetter", s.personalRecall(), s.sumRecall());
        }
        details.set(line);
    }
}
