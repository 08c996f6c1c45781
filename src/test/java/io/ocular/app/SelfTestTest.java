package io.ocular.app;

import io.ocular.engine.AppPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SelfTestTest {

    @Test
    void passesOnAFreshDataFolderAndLeavesThePhotosOfTheUserAlone(@TempDir Path home) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = SelfTest.run(AppPaths.under(home), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("encoder builtin-v1", "index + search", "top hit photo-1.png").endsWith("OK\n");
        assertThat(Files.exists(home.resolve("catalog.db"))).isTrue();
    }

    @Test
    void reportsAFailureWithItsReasonWhenTheCatalogIsDamaged(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("catalog.db"), "this is not a database");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = SelfTest.run(AppPaths.under(home), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(1);
        assertThat(out).contains("FAILED").contains("catalog");
        assertThat(Files.readString(home.resolve("catalog.db"))).isEqualTo("this is not a database");
    }

    @Test
    void commandLinesOfExistingAbsolutePathsOpenTheWindowOthersAreCliCommands(@TempDir Path dir) {
        assertThat(Main.opensWindow(new String[0])).isTrue();
        assertThat(Main.opensWindow(new String[]{dir.toString()})).isTrue();
        assertThat(Main.opensWindow(new String[]{"--data-dir", "/tmp/x", dir.toString()})).isTrue();
        assertThat(Main.opensWindow(new String[]{"index", dir.toString()})).isFalse();
        assertThat(Main.opensWindow(new String[]{"--help"})).isFalse();
        assertThat(Main.opensWindow(new String[]{dir.resolve("missing").toString()})).isFalse();
    }
}
