package io.ocular.ui.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Security review (docs/decisions/0180): "Show in folder" with file names that would be dangerous in a
 * shell. The desktop receives {@link File#toURI()} as one argument of a native call (no shell, see
 * NoShellTest); the URI is a single token (white space, quotes, back-ticks percent-encoded) that names
 * exactly that file, and a vanished file gives a clear message naming it.
 */
class OddFileNamesTest {
    static final String[] ODD = {"$(touch pwned).jpg", "a;rm -rf ~.jpg", "--help.jpg", "it's \"quoted\".jpg",
            "back`tick`.jpg", "new\nline.jpg", "percent %20 and #hash?.jpg", "Été 東京.jpg"};

    @TempDir
    Path dir;

    @Test
    void theUriHandedToTheDesktopIsOneInertToken() throws Exception {
        for (String name : ODD) {
            Path f;
            try {
                f = Files.createFile(dir.resolve(name));
            } catch (java.nio.file.InvalidPathException | java.io.IOException e) {
                continue; // a file system that cannot hold the name cannot hand it to us either
            }
            URI uri = f.toFile().toURI();
            assertThat(uri.toString()).as(name).startsWith("file:/").doesNotContainPattern("[\\s\"`<>\\\\]");
            assertThat(Path.of(uri)).isEqualTo(f); // and it names exactly that file
        }
    }

    @Test
    void aVanishedOddFileIsReportedByName() throws Exception {
        Notifications notifications = new Notifications();
        Path gone = dir.resolve("$(touch pwned).jpg");
        CompletableFuture<Void> shown = new CompletableFuture<>();
        FileManager.reveal(gone, Runnable::run, r -> {
            r.run();
            shown.complete(null);
        }, notifications, Messages.english());
        shown.get(5, TimeUnit.SECONDS);
        assertThat(notifications.current().text()).contains("$(touch pwned).jpg").contains("gone");
        assertThat(dir.resolve("pwned")).doesNotExist();
    }
}
