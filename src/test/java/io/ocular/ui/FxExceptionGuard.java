package io.ocular.ui;

import javafx.application.Platform;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Fails a test when any exception escapes on the FX thread (or any other thread) while it runs. Register it
 * AFTER {@code ApplicationExtension} so the toolkit is up when it installs the FX thread's handler.
 */
public final class FxExceptionGuard implements BeforeEachCallback, AfterEachCallback {
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private Thread.UncaughtExceptionHandler previousDefault;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        errors.clear();
        previousDefault = Thread.getDefaultUncaughtExceptionHandler();
        Thread.UncaughtExceptionHandler record = (t, e) -> errors.add(e);
        Thread.setDefaultUncaughtExceptionHandler(record);
        WaitForAsyncUtils.asyncFx(() -> Thread.currentThread().setUncaughtExceptionHandler(record))
                .get(10, TimeUnit.SECONDS);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (Platform.isFxApplicationThread()) {
            throw new IllegalStateException("afterEach on the FX thread");
        }
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.asyncFx(() -> Thread.currentThread().setUncaughtExceptionHandler(null)).get(10, TimeUnit.SECONDS);
        Thread.setDefaultUncaughtExceptionHandler(previousDefault);
        if (!errors.isEmpty()) {
            AssertionError failure = new AssertionError(errors.size() + " uncaught exception(s) on the FX thread; first: "
                    + errors.get(0), errors.get(0));
            errors.clear();
            throw failure;
        }
    }

    /** What was caught so far (for testing the guard itself). */
    public List<Throwable> caught() {
        return errors;
    }
}
