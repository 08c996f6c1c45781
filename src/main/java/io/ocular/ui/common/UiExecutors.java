package io.ocular.ui.common;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Where ViewModels run work: {@code background} for engine calls that may block (search, catalog reads),
 * {@code ui} for publishing results to observable state (the FX thread in the app, the calling thread in
 * unit tests). ViewModels never call {@code Platform} themselves, so they are tested without a toolkit.
 */
public record UiExecutors(Executor background, Executor ui) {
    public UiExecutors {
        Objects.requireNonNull(background, "background");
        Objects.requireNonNull(ui, "ui");
    }

    /** Everything on the calling thread: deterministic unit tests. */
    public static UiExecutors direct() {
        return new UiExecutors(Runnable::run, Runnable::run);
    }
}
