package io.ocular.ui;

import javafx.application.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import static org.assertj.core.api.Assertions.assertThat;

/** The guard really sees exceptions thrown on the FX thread (so a view test with one would fail). */
@ExtendWith(ApplicationExtension.class)
class FxExceptionGuardTest {
    @RegisterExtension
    final FxExceptionGuard guard = new FxExceptionGuard();

    @Test
    void recordsAnExceptionThrownInAnFxEventHandler() {
        Platform.runLater(() -> {
            throw new IllegalStateException("boom on the FX thread");
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(guard.caught()).singleElement().extracting(Throwable::getMessage).isEqualTo("boom on the FX thread");
        guard.caught().clear(); // handled here, so this test itself passes
    }
}
