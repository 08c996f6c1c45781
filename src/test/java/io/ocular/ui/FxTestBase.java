package io.ocular.ui;

import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** The whole window over fakes in a headless stage, with the FX exception guard. */
@ExtendWith(ApplicationExtension.class)
public abstract class FxTestBase {
    @RegisterExtension
    protected final FxExceptionGuard guard = new FxExceptionGuard();

    @TempDir
    protected static Path tmp;
    protected UiHarness h;

    /** Subclasses call this from their own {@code @Start} method (TestFX only looks at the test class). */
    protected void showWindow(Stage stage) {
        h = new UiHarness(tmp.resolve("photos"), 16);
        h.show(stage, 1100, 700);
    }

    @AfterEach
    void closeHarness() {
        h.close();
    }

    protected static void waitFor(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }
}
