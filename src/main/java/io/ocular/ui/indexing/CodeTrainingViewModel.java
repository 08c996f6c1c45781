package io.ocular.ui.indexing;

import io.ocular.engine.CodeTraining;
import io.ocular.ui.common.Coalescer;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiTask;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.time.Duration;

/**
 * The indexing panel's "codes trained on your photos" row (issues 13 and 17, decision 0200): train or stop the
 * active model's SPQ codes, their progress, and the self-check's verdict (SPQ in use, or PQ kept, with the numbers).
 *
 * <p>The trainer reports on its own thread (every photo while views are prepared, every epoch); those reports only
 * store the newest status, and a {@link Coalescer} keeps at most one update pending on the UI thread, at most four
 * a second in the window. Start and stop run in the background.
 */
public final class CodeTrainingViewModel {
    private final CodeTraining training;
    private final Notifications notifications;
    private final Messages msg;
    private final UiTask reading;
    private final UiTask commands;
    private final Coalescer<CodeTraining.Status> coalescer;
    private final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper(this, "available", false);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running", false);
    private final ReadOnlyStringWrapper stateText = new ReadOnlyStringWrapper(this, "stateText", "");
    private final ReadOnlyStringWrapper details = new ReadOnlyStringWrapper(this, "details", "");
    private final ReadOnlyDoubleWrapper fraction = new ReadOnlyDoubleWrapper(this, "fraction", 0);
    private long updatesApplied;

    /** {@code minGap}: updates reach the UI thread at least this far apart (zero in unit tests). */
    public CodeTrainingViewModel(CodeTraining training, UiExecutors executors, Notifications notifications,
                                 Messages msg, Duration minGap) {
        this.training = training;
        this.notifications = notifications;
        this.msg = msg;
        this.reading = UiTask.latestWins(msg.get("indexing.codes"), executors, notifications);
        this.commands = UiTask.everyRun(msg.get("indexing.codes"), executors, notifications);
        this.coalescer = Coalescer.throttled(executors.ui(), this::apply, minGap);
    }

    /** Whether codes can be trained here at all (an engine with a model; the row is hidden otherwise). */
    public ReadOnlyBooleanProperty availableProperty() {
        return available.getReadOnlyProperty();
    }

    /** Whether a job prepares, trains or checks now (Stop is offered, Train is not). */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** What the codes are, or what the job does, in a line. */
    public ReadOnlyStringProperty stateTextProperty() {
        return stateText.getReadOnlyProperty();
    }

    /** The engine's own sentence about the job (a tooltip). */
    public ReadOnlyStringProperty detailsProperty() {
        return details.getReadOnlyProperty();
    }

    /** The job's progress, -1 while indeterminate (the self-check). */
    public ReadOnlyDoubleProperty fractionProperty() {
        return fraction.getReadOnlyProperty();
    }

    /** Asks the engine what the codes are now. */
    public void refresh() {
        reading.supply(training::status).onSuccess(this::apply).start();
    }

    /** Starts (or resumes) training in the background; why it cannot start goes to the notice bar. */
    public void train() {
        commands.run(() -> training.start(coalescer::offer)).onSuccess(v -> refresh()).start();
    }

    /** Stops the job after its current batch (Train resumes it later). */
    public void stop() {
        commands.run(training::cancel).onSuccess(v -> notifications.info(msg.get("indexing.codes.stopping"))).start();
    }

    /** Updates applied on the UI thread so far (tests: the coalescing works). */
    public long updatesApplied() {
        return updatesApplied;
    }

    private void apply(CodeTraining.Status s) {
        updatesApplied++;
        available.set(!s.modelId().isEmpty());
        running.set(s.running());
        details.set(s.message() == null ? "" : s.message());
        CodeTraining.Verdict v = s.verdict();
        switch (s.phase()) {
            case PREPARING -> {
                stateText.set(msg.format("indexing.codes.preparing", s.done(), s.total()));
                fraction.set(s.total() > 0 ? (double) s.done() / s.total() : -1);
            }
            case TRAINING -> {
                stateText.set(msg.format("indexing.codes.training", s.epoch(), s.epochs(), s.loss()));
                fraction.set(s.epochs() > 0 ? (double) s.epoch() / s.epochs() : -1);
            }
            case SELF_CHECK -> {
                stateText.set(msg.get("indexing.codes.checking"));
                fraction.set(-1);
            }
            case CANCELLED -> stateText.set(msg.get("indexing.codes.cancelled"));
            case TOO_FEW, FAILED -> stateText.set(msg.get("indexing.codes.failed"));
            default -> stateText.set(v == null ? msg.get("indexing.codes.none")
                    : v.spqWins() && s.inUse() ? msg.format("indexing.codes.inUse", v.spq(), v.pq(), v.heldOut())
                    : v.spqWins() ? msg.format("indexing.codes.won", v.spq(), v.pq(), v.heldOut())
                    : msg.format("indexing.codes.lost", v.spq(), v.pq(), v.heldOut()));
        }
    }
}
