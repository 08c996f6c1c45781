package io.ocular.ui.common;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One kind of background work of a ViewModel (a search, reading the library, an import): the work runs on
 * the background executor, its result is published on the UI executor, a busy flag tracks it and a failure
 * becomes one inline notice unless the caller handles it. Modelled on JabRef's {@code BackgroundTask}, cut to
 * what the ViewModels here repeat.
 *
 * <p>Two policies: {@link #latestWins} (a search, the viewer's details: a run that finishes after a newer one
 * started is dropped, none of its callbacks run) and {@link #everyRun} (adding folders, imports: every run
 * reports, busy while any is in flight). Call {@link Job#start()} and {@link #supersede()} on the UI thread.
 */
public final class UiTask {
    private final String what;
    private final boolean latestWins;
    private final UiExecutors executors;
    private final Notifications notifications;
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private long generation;   // UI thread only: the latest run's number
    private long supersededAt; // UI thread only: runs up to this number were dropped by supersede()
    private int running;       // UI thread only: runs in flight whose callbacks will run

    private UiTask(String what, boolean latestWins, UiExecutors executors, Notifications notifications) {
        this.what = Objects.requireNonNull(what, "what");
        this.latestWins = latestWins;
        this.executors = Objects.requireNonNull(executors, "executors");
        this.notifications = Objects.requireNonNull(notifications, "notifications");
    }

    /**
     * A newer run supersedes the ones in flight: only the latest run's callbacks run.
     *
     * @param what what failed, in the user's words ("Search"), for the default failure notice
     */
    public static UiTask latestWins(String what, UiExecutors executors, Notifications notifications) {
        return new UiTask(what, true, executors, notifications);
    }

    /** Every run reports (its callbacks run); busy while any run is in flight. */
    public static UiTask everyRun(String what, UiExecutors executors, Notifications notifications) {
        return new UiTask(what, false, executors, notifications);
    }

    /** Work that computes a value. */
    public <T> Job<T> supply(Supplier<? extends T> work) {
        return new Job<>(Objects.requireNonNull(work, "work"));
    }

    /** Work without a value. */
    public Job<Void> run(Runnable work) {
        Objects.requireNonNull(work, "work");
        return new Job<>(() -> {
            work.run();
            return null;
        });
    }

    /** True while a run whose result is still wanted is in flight. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public boolean isBusy() {
        return busy.get();
    }

    /**
     * Drops the runs in flight (their callbacks will not run) and clears the busy flag: the user moved on
     * (cleared the search, stepped back in a history).
     */
    public void supersede() {
        supersededAt = generation;
        generation++;
        running = 0;
        busy.set(false);
    }

    /** One run, configured before {@link #start()}. */
    public final class Job<T> {
        private final Supplier<? extends T> work;
        private Consumer<? super T> onSuccess = v -> { };
        private Consumer<Throwable> onFailure;
        private Runnable onFinished = () -> { };
        private String failureWhat = what;

        private Job(Supplier<? extends T> work) {
            this.work = work;
        }

        /** Runs on the UI executor with the result. */
        public Job<T> onSuccess(Consumer<? super T> action) {
            this.onSuccess = Objects.requireNonNull(action, "action");
            return this;
        }

        /**
         * Handles a failure (the cause, unwrapped from the executor's wrapper) instead of the default notice;
         * call {@link #notice(Throwable)} from it to show the notice as well.
         */
        public Job<T> onFailure(Consumer<Throwable> action) {
            this.onFailure = Objects.requireNonNull(action, "action");
            return this;
        }

        /** Runs after success or failure (not when the run was superseded), e.g. to reload a list. */
        public Job<T> onFinished(Runnable action) {
            this.onFinished = Objects.requireNonNull(action, "action");
            return this;
        }

        /** What the default failure notice says failed, for this run only ("Activating CLIP"). */
        public Job<T> describedAs(String text) {
            this.failureWhat = Objects.requireNonNull(text, "text");
            return this;
        }

        /** The default failure notice: an OcularException's message as is, anything else prefixed. */
        public void notice(Throwable failure) {
            notifications.failure(failureWhat, failure);
        }

        /** Starts the work on the background executor. */
        public void start() {
            long gen = ++generation;
            running++;
            busy.set(true);
            CompletableFuture.supplyAsync(work, executors.background())
                    .whenCompleteAsync((result, failure) -> finish(gen, result, failure), executors.ui());
        }

        private void finish(long gen, T result, Throwable failure) {
            if (latestWins ? gen != generation : gen <= supersededAt) {
                return; // superseded by a newer run or by supersede()
            }
            running = Math.max(0, running - 1);
            busy.set(latestWins ? false : running > 0);
            if (failure != null) {
                Throwable cause = unwrap(failure);
                if (onFailure != null) {
                    onFailure.accept(cause);
                } else {
                    notice(cause);
                }
            } else {
                onSuccess.accept(result);
            }
            onFinished.run();
        }
    }

    static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
