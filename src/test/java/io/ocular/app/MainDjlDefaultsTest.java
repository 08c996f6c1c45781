package io.ocular.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code java -jar ocular.jar} gets the DJL settings the installed app passes (no PyTorch for ONNX inference). */
class MainDjlDefaultsTest {
    private final Map<String, String> saved = new HashMap<>();

    @BeforeEach
    void save() {
        Main.DJL_DEFAULTS.keySet().forEach(k -> saved.put(k, System.getProperty(k)));
    }

    @AfterEach
    void restore() {
        saved.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    @Test
    void unsetPropertiesGetTheInstalledAppsValues() {
        Main.DJL_DEFAULTS.keySet().forEach(System::clearProperty);
        Main.applyDjlDefaults();
        assertThat(System.getProperty("ai.djl.onnx.disable_alternative")).isEqualTo("true");
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    }

    @Test
    void aValueGivenOnTheCommandLineWins() {
        System.setProperty("ai.djl.onnx.disable_alternative", "false");
        Main.applyDjlDefaults();
        assertThat(System.getProperty("ai.djl.onnx.disable_alternative")).isEqualTo("false");
    }
}
