package io.ocular.index;

import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.testing.FakeImageEncoder;
import io.ocular.testing.InMemoryCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A RAW and the JPEG of the same shot are one photo in the library, whichever arrived first. */
class RawSidecarIndexingTest {
    @TempDir
    Path lib;

    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private IndexingDaemon daemon;

    @AfterEach
    void close() {
        if (daemon != null) {
            daemon.close();
        }
    }

    private List<String> indexedNames() {
        List<String> names = new ArrayList<>();
        catalog.folders().forEach(f -> catalog.imagesInFolder(f.id()).stream()
                .filter(r -> r.status() == ImageStatus.INDEXED).map(ImageRecord::path)
                .forEach(p -> names.add(p.getFileName().toString())));
        names.sort(null);
        return names;
    }

    @Test
    void rawIndexedAloneGivesWayToItsJpegWhenThatAppears() throws Exception {
        byte[] jpeg = TestImages.jpegBytes(TestImages.seeded(7, 160, 120));
        Files.write(lib.resolve("IMG_0001.CR2"), RawFixtures.dng(jpeg, 1, "2020:01:01 12:00:00"));
        Files.write(lib.resolve("IMG_0002.dng"), RawFixtures.dng(TestImages.jpegBytes(TestImages.seeded(8, 160, 120)),
                1, "2020:01:01 12:00:00"));
        FakeImageEncoder encoder = new FakeImageEncoder();
        FileAccess files = FileAccess.system();
        daemon = new IndexingDaemon(catalog, () -> encoder, new ImageDecoder(files, ImageDecoder.DEFAULT_MAX_PIXELS),
                new ContentHasher(files), new FolderScanner(files), files, Clock.systemUTC(),
                IndexingDaemon.Config.defaults().withWorkers(1).withBatchSize(4));
        daemon.addFolder(lib);
        assertThat(daemon.awaitIdle(Duration.ofSeconds(60))).isTrue();
        assertThat(indexedNames()).containsExactly("IMG_0001.CR2", "IMG_0002.dng");

        Files.write(lib.resolve("IMG_0001.JPG"), jpeg); // the camera's JPEG of the same shot is copied in later
        daemon.rescan();
        assertThat(daemon.awaitIdle(Duration.ofSeconds(60))).isTrue();
        assertThat(indexedNames()).containsExactly("IMG_0001.JPG", "IMG_0002.dng");
        assertThat(catalog.countImages(ImageStatus.SKIPPED)).isZero();
    }
}
