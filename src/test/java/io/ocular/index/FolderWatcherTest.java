package io.ocular.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class FolderWatcherTest {

    @TempDir
    Path lib;

    private final LinkedBlockingQueue<Path> changes = new LinkedBlockingQueue<>();

    @Test
    void changeTriggersARescanOfItsFolderAndNewSubfoldersAreWatched() throws Exception {
        Files.createDirectories(lib.resolve("a"));
        Files.createDirectories(lib.resolve(".git"));
        try (FolderWatcher w = new FolderWatcher(changes::add, () -> changes.add(Path.of("OVERFLOW")), Duration.ofMillis(200))) {
            w.watch(lib);
            assertThat(w.watchedFolders()).isEqualTo(2); // lib and a, not .git

            Files.write(lib.resolve("a/x.jpg"), new byte[]{1});
            assertThat(changes.poll(20, TimeUnit.SECONDS)).isEqualTo(lib.resolve("a"));

            Files.createDirectories(lib.resolve("new"));
            assertThat(changes.poll(20, TimeUnit.SECONDS)).isEqualTo(lib);
            assertThat(w.watchedFolders()).isEqualTo(3);
            Files.write(lib.resolve("new/y.jpg"), new byte[]{1});
            assertThat(changes.poll(20, TimeUnit.SECONDS)).isEqualTo(lib.resolve("new"));
        }
    }

    @Test
    void disabledOrClosedWatcherReportsNothing() throws Exception {
        FolderWatcher w = new FolderWatcher(changes::add, () -> { }, Duration.ofMillis(100));
        w.watch(lib);
        w.setEnabled(false);
        Files.write(lib.resolve("x.jpg"), new byte[]{1});
        assertThat(changes.poll(1, TimeUnit.SECONDS)).isNull();
        w.setEnabled(true);
        w.close();
        Files.write(lib.resolve("y.jpg"), new byte[]{1});
        assertThat(changes.poll(1, TimeUnit.SECONDS)).isNull();
    }
}
