package io.ocular.engine;

import io.ocular.model.ImageStatus;
import io.ocular.model.IndexProgress;
import io.ocular.model.OcularException;
import io.ocular.model.Query;
import io.ocular.model.SearchHit;
import io.ocular.model.SearchOptions;
import io.ocular.model.SearchResult;
import io.ocular.model.SearchScope;
import io.ocular.model.StorageException;
import io.ocular.testing.PostgresServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A shared library (PostgreSQL 15, bytea mode) whose server goes away while the app runs: searches keep answering
 * from this computer's copy of the library and say so, indexing pauses, and when the server is back everything
 * reads from it again and the paused indexing finishes with each photo stored once.
 */
@Tag("postgres")
class ServerAwaySearchTest {
    @TempDir
    Path tmp;

    private PostgresServers.Owned pg;
    private Engine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void searchReadsThisComputersCopyWhileTheServerIsAway() throws Exception {
        pg = PostgresServers.ownPostgres15();
        PostgresServers.Server s = pg.server();
        String url = s.url(s.newDatabase()) + "?user=" + s.user() + "&password=" + s.password();
        Path lib = tmp.resolve("library");
        photos(lib.resolve("a"), 0, 12);
        photos(lib.resolve("b"), 12, 12);
        engine = Engine.open(AppPaths.under(tmp.resolve("data")).withCatalog(url, Map.of()), null);
        engine.indexer().addFolder(lib);
        assertThat(engine.indexer().awaitIdle(Duration.ofSeconds(120))).isTrue();
        assertThat(engine.refreshLibraryCopy()).isTrue();
        assertThat(engine.refreshLibraryCopy()).as("nothing changed: not written again").isFalse();
        assertThat(Files.isRegularFile(tmp.resolve("data").resolve(LibrarySnapshot.FILE_NAME))).isTrue();

        long example = engine.catalog().imageByPath(lib.resolve("a").resolve("p3.png")).orElseThrow().id();
        SearchOptions inB = SearchOptions.DEFAULT.withScope(new SearchScope(Set.of(lib.resolve("b")), null, null,
                null));
        SearchResult before = engine.search().search(new Query.ByImage(example), 5);
        SearchResult beforeInB = engine.search().search(new Query.ByImage(example), 5, inB);
        assertThat(before.hits()).hasSize(5);
        assertThat(before.notice()).isNull();

        pg.stop();
        SearchResult away = engine.search().search(new Query.ByImage(example), 5);
        assertThat(away.hits()).extracting(SearchHit::imageId).containsExactlyElementsOf(ids(before));
        assertThat(away.hits()).extracting(SearchHit::path).containsExactlyElementsOf(
                before.hits().stream().map(SearchHit::path).toList());
        assertThat(away.notice()).contains("the library server is away: results from this computer's copy");
        SearchResult awayInB = engine.search().search(new Query.ByImage(example), 5, inB);
        assertThat(awayInB.hits()).extracting(SearchHit::imageId).containsExactlyElementsOf(ids(beforeInB));
        assertThat(awayInB.hits()).allMatch(h -> h.path().startsWith(lib.resolve("b")));

        // indexing new photos while the server is away pauses, and finishes once it is back
        photos(lib.resolve("c"), 24, 6);
        engine.indexer().rescan();
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (engine.indexer().progress().state() != IndexProgress.State.PAUSED) {
            assertThat(System.nanoTime()).as("the pause").isLessThan(end);
            Thread.sleep(20);
        }
        assertThat(engine.indexer().progress().notice()).contains("Lost or no connection to the library server");

        pg.startAgain();
        end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (engine.catalog().countImages(ImageStatus.INDEXED) < 30) {
            assertThat(System.nanoTime()).as("the photos added while away").isLessThan(end);
            Thread.sleep(50);
        }
        assertThat(engine.indexer().awaitIdle(Duration.ofSeconds(120))).isTrue();
        SearchResult back = engine.search().search(new Query.ByImage(example), 5);
        assertThat(back.notice()).isNull();
        assertThat(engine.catalog().countImages(ImageStatus.INDEXED)).isEqualTo(30);
        assertThat(engine.catalog().countEmbeddings(engine.activeModel().id())).isEqualTo(30);
    }

    @Test
    void aWindowStartedWhileTheServerIsAwayOpensTheCopyReadOnly() throws Exception {
        pg = PostgresServers.ownPostgres15();
        PostgresServers.Server s = pg.server();
        String url = s.url(s.newDatabase()) + "?user=" + s.user() + "&password=" + s.password();
        Path lib = tmp.resolve("library");
        photos(lib, 0, 10);
        AppPaths paths = AppPaths.under(tmp.resolve("data")).withCatalog(url, Map.of());
        List<Long> before;
        long example;
        try (Engine first = Engine.open(paths, null)) {
            first.indexer().addFolder(lib);
            assertThat(first.indexer().awaitIdle(Duration.ofSeconds(120))).isTrue();
            assertThat(first.refreshLibraryCopy()).isTrue();
            example = first.catalog().imageByPath(lib.resolve("p4.png")).orElseThrow().id();
            before = ids(first.search().search(new Query.ByImage(example), 4));
        }
        pg.stop();
        assertThatThrownBy(() -> Engine.open(paths, null)).isInstanceOf(StorageException.class)
                .hasMessageContaining("Lost or no connection");
        engine = Engine.openCopy(paths);
        assertThat(engine.catalog().describeLocation()).contains("copy of the shared library").contains("read-only");
        assertThat(ids(engine.search().search(new Query.ByImage(example), 4))).isEqualTo(before);
        photos(lib, 10, 3); // new photos cannot be stored: indexing pauses with the reason, nothing fails
        engine.indexer().rescan();
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (engine.indexer().progress().state() != IndexProgress.State.PAUSED) {
            assertThat(System.nanoTime()).as("the pause").isLessThan(end);
            Thread.sleep(20);
        }
        assertThat(engine.indexer().progress().notice()).contains("The library server is away");
        assertThatThrownBy(() -> Engine.openCopy(AppPaths.under(tmp.resolve("other"))))
                .isInstanceOf(OcularException.class).hasMessageContaining("no copy of the shared library");
    }

    /** {@code n} photos of different colours and stripes, numbered from {@code first}. */
    private static void photos(Path dir, int first, int n) throws IOException {
        Files.createDirectories(dir);
        for (int i = first; i < first + n; i++) {
            Random r = new Random(i);
            BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
            g.fillRect(0, 0, 64, 48);
            g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
            g.fillRect(r.nextInt(32), 0, 8 + r.nextInt(24), 48);
            g.dispose();
            ImageIO.write(img, "png", dir.resolve("p" + i + ".png").toFile());
        }
    }

    private static List<Long> ids(SearchResult r) {
        return r.hits().stream().map(SearchHit::imageId).toList();
    }
}
