package io.ocular.index;

import io.ocular.model.ImageStatus;
import io.ocular.model.IndexProgress;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.store.PostgresCatalog;
import io.ocular.store.PostgresLocation;
import io.ocular.testing.FakeImageEncoder;
import io.ocular.testing.PostgresServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library server (PostgreSQL 15) goes away in the middle of indexing: indexing pauses with a clear message,
 * resumes by itself once the server is back, and every photo ends up stored exactly once with its vector.
 */
@Tag("postgres")
class ServerAwayIndexingTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int PHOTOS = 160;

    @TempDir
    Path tmp;

    private final List<IndexProgress> events = new CopyOnWriteArrayList<>();
    private PostgresServers.Owned pg;
    private PostgresCatalog catalog;
    private IndexingDaemon daemon;

    @AfterEach
    void close() {
        if (daemon != null) {
            daemon.close();
        }
        if (catalog != null) {
            catalog.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(20);
        }
    }

    private long count(String sql) throws Exception {
        try (Connection c = pg.server().connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String database;

    private long indexedNow() {
        try {
            return count("SELECT COUNT(*) FROM images WHERE status = 'INDEXED'");
        } catch (Exception e) {
            return -1; // the server is away
        }
    }

    @Test
    void indexingPausesWhileTheServerIsAwayAndResumesWithNothingLostOrDuplicated() throws Exception {
        pg = PostgresServers.ownPostgres15();
        PostgresServers.Server s = pg.server();
        database = s.newDatabase();
        PostgresLocation loc = PostgresLocation.parse(s.url(database), Map.of("PGUSER", s.user(), "PGPASSWORD",
                s.password()), "x");
        catalog = PostgresCatalog.open(loc, "computer-a");
        catalog.registerModel(new ModelInfo("fake-colour-v1", "fake", ModelKind.IMAGE, FakeImageEncoder.DIMENSION,
                ""));
        catalog.setActiveModelId("fake-colour-v1");
        Path lib = library();
        FakeImageEncoder encoder = new FakeImageEncoder();
        encoder.setDelay(Duration.ofMillis(25));
        daemon = new IndexingDaemon(catalog, () -> encoder, new ImageDecoder(), IndexingDaemon.Config.defaults()
                .withWorkers(2).withBatchSize(8).withWatching(null));
        daemon.addListener(events::add);
        daemon.addFolder(lib);
        await("some photos indexed", () -> indexedNow() >= 30);

        pg.stop(); // the NAS goes to sleep mid-run
        await("the pause", () -> events.stream().anyMatch(p -> p.state() == IndexProgress.State.PAUSED
                && p.notice() != null && p.notice().contains("Lost or no connection to the library server")));
        IndexProgress paused = daemon.progress();
        assertThat(paused.state()).isEqualTo(IndexProgress.State.PAUSED);
        assertThat(paused.notice()).contains("127.0.0.1:" + s.port()).contains("Indexing is paused")
                .contains("nothing indexed so far is lost").contains("resumes by itself when the server is back")
                .doesNotContain(s.password()).doesNotContain("Exception");
        Thread.sleep(1500); // still away: still paused, and the retries do not fail the run
        assertThat(daemon.progress().state()).isEqualTo(IndexProgress.State.PAUSED);

        pg.startAgain();
        await("every photo indexed", () -> indexedNow() == PHOTOS);
        assertThat(daemon.awaitIdle(WAIT)).isTrue();
        assertThat(count("SELECT COUNT(*) FROM images")).isEqualTo(PHOTOS);
        assertThat(count("SELECT COUNT(DISTINCT rel_path) FROM images")).isEqualTo(PHOTOS);
        assertThat(count("SELECT COUNT(*) FROM embeddings")).isEqualTo(PHOTOS);
        assertThat(count("SELECT COUNT(*) FROM claims")).as("no claim left behind").isZero();
        assertThat(catalog.countImages(ImageStatus.SKIPPED)).isZero();
        IndexProgress after = daemon.progress();
        assertThat(after.notice() == null || !after.notice().contains("Lost")).as(after.notice()).isTrue();
    }

    private Path library() throws IOException {
        Path lib = tmp.resolve("library");
        for (int i = 0; i < PHOTOS; i++) {
            TestImages.write(TestImages.seeded(i, 32, 24), "png", lib.resolve("d" + (i % 5)).resolve("p" + i + ".png"));
        }
        return lib;
    }
}
