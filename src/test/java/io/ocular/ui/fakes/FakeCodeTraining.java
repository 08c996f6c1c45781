package io.ocular.ui.fakes;

import io.ocular.engine.CodeTraining;
import io.ocular.model.OcularException;

import java.util.function.Consumer;

/** Answers the status it is given and hands the test the listener a start registers (the UI tests' trainer). */
public final class FakeCodeTraining implements CodeTraining {
    public volatile Status status = new Status("fake", Phase.IDLE, 0, 0, 0, 0, Double.NaN, null, false, null);
    /** When set, {@link #start} refuses with this message. */
    public volatile String failure;
    public volatile Consumer<Status> listener;
    public volatile int starts;
    public volatile int cancels;

    @Override
    public void start(Consumer<Status> l) {
        if (failure != null) {
            throw new OcularException(failure);
        }
        starts++;
        listener = l;
        publish(new Status("fake", Phase.PREPARING, 0, 300, 0, 30, Double.NaN, status.verdict(), false, null));
    }

    /** What the trainer reports on its thread. */
    public void publish(Status s) {
        status = s;
        Consumer<Status> l = listener;
        if (l != null) {
            l.accept(s);
        }
    }

    @Override
    public void cancel() {
        cancels++;
    }

    @Override
    public Status status() {
        return status;
    }
}
