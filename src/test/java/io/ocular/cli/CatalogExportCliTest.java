package io.ocular.cli;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.store.SqliteCatalog;
import io.ocular.testing.PostgresServers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ocular catalog export}: a local library to PostgreSQL 15 and back, resumed after a partial copy. */
@Tag("postgres")
class CatalogExportCliTest {
    private static final ModelInfo A = new ModelInfo("model-a", "A", ModelKind.IMAGE, 8, "sha-a");
    private static final ModelInfo B = new ModelInfo("model-b", "B", ModelKind.IMAGE_TEXT, 5, "sha-b");

    @TempDir
    Path tmp;

    @Test
    void exportsToTheServerResumesAndComesBackIdentical() throws Exception {
        Path photos = tmp.resolve("photos");
        int n = 600; // more than two batches
        try (SqliteCatalog c = SqliteCatalog.open(tmp.resolve("data/catalog.db"))) {
            c.registerModel(A);
            c.registerModel(B);
            c.setActiveModelId(A.id());
            FolderRecord f = c.addFolder(photos);
            FolderRecord g = c.addFolder(tmp.resolve("more"));
            Random r = new Random(5);
            List<ImageRecord> images = new ArrayList<>();
            List<float[]> va = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean skipped = i % 50 == 0;
                images.add(new ImageRecord(0, i % 7 == 0 ? g.id() : f.id(),
                        (i % 7 == 0 ? tmp.resolve("more") : photos).resolve("sub/" + i + ".jpg"), 1000 + i, 17L * i,
                        "h" + i, 64, 48, i % 3 == 0 ? null : Instant.ofEpochMilli(1_600_000_000_000L + i), 1,
                        skipped ? ImageStatus.SKIPPED : ImageStatus.INDEXED, skipped ? "broken" : null));
                va.add(skipped ? null : vector(r, 8));
            }
            List<ImageRecord> stored = c.commitBatch(images, A.id(), va);
            List<float[]> vb = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                vb.add(i % 4 == 1 ? vector(r, 5) : null);
            }
            c.commitBatch(images, B.id(), vb);
            c.putImageData(stored.get(3).id(), "delf-v1", new byte[] {1, 2, 3});
        }
        PostgresServers.Server s = PostgresServers.postgres15();
        String db = s.newDatabase();
        String url = s.url(db) + "?user=" + s.user() + "&password=" + s.password();

        CliRun first = CliRun.run(io.ocular.engine.Engine::open, "catalog", "export", "--data-dir",
                tmp.resolve("data").toString(), "--to", url);
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("Copied " + n + " images (0 were already there)")
                .contains("model-a=" + (n - n / 50)).contains("SHA-256");
        assertThat(first.err()).doesNotContain(s.password());
        String checksum = first.out().substring(first.out().indexOf("SHA-256 ") + 8).trim();

        // an interrupted export: some images never reached the server; the next run copies only those
        try (Connection c = s.connect(db); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM images WHERE id IN (SELECT id FROM images ORDER BY id DESC LIMIT 40)");
        }
        CliRun resumed = CliRun.run(io.ocular.engine.Engine::open, "catalog", "export", "--data-dir",
                tmp.resolve("data").toString(), "--to", url);
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("Copied 40 images (" + (n - 40) + " were already there)").contains(checksum);

        // and back to a file on another computer
        Path back = tmp.resolve("elsewhere/catalog.db");
        CliRun home = CliRun.run(io.ocular.engine.Engine::open, "catalog", "export", "--data-dir",
                tmp.resolve("other").toString(), "--catalog", url, "--to", back.toString());
        assertThat(home.code()).as(home.err()).isZero();
        assertThat(home.out()).contains("Copied " + n + " images").contains(checksum);
        try (SqliteCatalog c = SqliteCatalog.open(back)) {
            assertThat(c.activeModelId()).contains(A.id());
            assertThat(c.countEmbeddings(B.id())).isEqualTo(n / 4);
            assertThat(c.countImageData("delf-v1")).isEqualTo(1);
        }
    }

    @Test
    void exportingALibraryOntoItselfIsRefused() {
        CliRun r = CliRun.run(io.ocular.engine.Engine::open, "catalog", "export", "--data-dir",
                tmp.resolve("data").toString(), "--to", tmp.resolve("data/catalog.db").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("the library itself");
    }

    private static float[] vector(Random r, int d) {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
