package io.ocular.store;

import io.ocular.app.Main;
import io.ocular.testing.PostgresServers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18's "done when": two Ocular processes (child JVMs running the real CLI) on different data folders share
 * one library on a real PostgreSQL 15. A indexes and is killed with SIGKILL in the middle of a batch; B indexes the
 * same folder, takes over A's unfinished claims once their lease has run out, and stores the rest; A's computer then
 * searches and sees every photo. Counts are exact (each photo once, every claim ended) and every vector equals, bit
 * for bit, the one a plain single-computer run (SQLite catalog) computes for the same file.
 */
@Tag("postgres")
class SharedLibraryTwoProcessesTest {
    private static final int PHOTOS = 240;

    @TempDir
    Path tmp;

    @Test
    void killedIndexerIsTakenOverAndTheOtherComputerSeesEveryPhotoExactlyOnce() throws Exception {
        PostgresServers.Server server = PostgresServers.postgres15();
        String url = server.url(server.newDatabase());
        Path photos = makePhotos(tmp.resolve("photos"), PHOTOS);
        try (PostgresCatalog library = PostgresCatalog.open(PostgresLocation.parse(url, Map.of(
                "PGUSER", server.user(), "PGPASSWORD", server.password()), "x"), "setup")) {
            library.putSetting(PostgresClaims.LEASE_SETTING, "3"); // a killed computer's batch is free after 3 s
        }

        // computer A indexes, one worker, and is killed with SIGKILL while it holds a batch
        Process a = ocular(server, tmp.resolve("a"), url, "index", photos.toString());
        Set<String> heldByA;
        try (Connection db = connect(server, url)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (true) {
                assertThat(a.isAlive()).as("A finished before it could be killed: %s", output(a)).isTrue();
                if (count(db, "SELECT COUNT(*) FROM images WHERE status = 'INDEXED'") >= 32
                        && count(db, "SELECT COUNT(*) FROM claims") > 0) {
                    break;
                }
                assertThat(System.nanoTime()).as("A made no progress").isLessThan(deadline);
                Thread.sleep(5);
            }
            a.destroyForcibly(); // SIGKILL on Linux
            assertThat(a.waitFor(30, TimeUnit.SECONDS)).isTrue();
            heldByA = strings(db, "SELECT rel_path FROM claims");
            assertThat(heldByA).as("A was killed holding a batch").isNotEmpty();
            assertThat(count(db, "SELECT COUNT(*) FROM embeddings")).isLessThan(PHOTOS);
        }

        // computer B indexes the same library folder: takes over A's batch, stores the rest
        Process b = ocular(server, tmp.resolve("b"), url, "index", photos.toString());
        assertThat(b.waitFor(240, TimeUnit.SECONDS)).as("B finishes").isTrue();
        String bOut = output(b);
        assertThat(b.exitValue()).as(bOut).isZero();
        assertThat(bOut).contains(PHOTOS + " images indexed");

        try (Connection db = connect(server, url)) {
            assertThat(count(db, "SELECT COUNT(*) FROM images")).isEqualTo(PHOTOS);
            assertThat(count(db, "SELECT COUNT(*) FROM images WHERE status = 'INDEXED'")).isEqualTo(PHOTOS);
            assertThat(count(db, "SELECT COUNT(*) FROM embeddings")).isEqualTo(PHOTOS);
            assertThat(count(db, "SELECT COUNT(DISTINCT rel_path) FROM images")).isEqualTo(PHOTOS);
            assertThat(count(db, "SELECT COUNT(*) FROM folders")).isEqualTo(1);
            assertThat(count(db, "SELECT COUNT(*) FROM claims")).as("every claim ended with its commit").isZero();
            assertThat(strings(db, "SELECT i.rel_path FROM images i JOIN embeddings e ON e.image_id = i.id"))
                    .containsAll(heldByA);

            // every vector is the one a single computer computes for that photo, bit for bit
            Process ref = ocular(null, tmp.resolve("reference"), null, "index", photos.toString());
            assertThat(ref.waitFor(240, TimeUnit.SECONDS)).isTrue();
            assertThat(ref.exitValue()).as(output(ref)).isZero();
            Map<String, byte[]> expected = new HashMap<>();
            try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("reference/catalog.db"));
                 Statement st = sqlite.createStatement();
                 ResultSet rs = st.executeQuery("SELECT i.path, e.vector FROM images i JOIN embeddings e ON e.image_id = i.id")) {
                while (rs.next()) {
                    expected.put(photos.relativize(Path.of(rs.getString(1))).toString().replace(File.separatorChar, '/'),
                            rs.getBytes(2));
                }
            }
            assertThat(expected).hasSize(PHOTOS);
            int compared = 0;
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT i.rel_path, e.vector FROM images i JOIN embeddings e ON e.image_id = i.id")) {
                while (rs.next()) {
                    assertThat(Arrays.equals(rs.getBytes(2), expected.get(rs.getString(1))))
                            .as("vector of %s", rs.getString(1)).isTrue();
                    compared++;
                }
            }
            assertThat(compared).isEqualTo(PHOTOS);
        }

        // computer A, back again, searches the shared library and sees every photo, B's too (the example is a PNG
        // copy of p7 from outside the library, so no photo is left out as the example itself)
        Path query = tmp.resolve("query.png");
        ImageIO.write(ImageIO.read(photos.resolve("p7.jpg").toFile()), "png", query.toFile());
        Process search = ocular(server, tmp.resolve("a"), url, "search", "--image", query.toString(),
                "-k", String.valueOf(PHOTOS), "--rotations", "off");
        assertThat(search.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String found = output(search);
        assertThat(search.exitValue()).as(found).isZero();
        long listed = found.lines().filter(l -> l.contains(photos.toString())).count();
        assertThat(listed).as(found).isEqualTo(PHOTOS);
        assertThat(found.lines().filter(l -> l.contains(photos.toString())).findFirst().orElseThrow())
                .contains("p7.jpg");
    }

    /** The real CLI in a child JVM on one core (one indexing worker), PGUSER/PGPASSWORD in its environment. */
    private Process ocular(PostgresServers.Server server, Path dataDir, String url, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ActiveProcessorCount=1", "-Xmx512m", "-Djava.awt.headless=true", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--data-dir", dataDir.toString()));
        if (url != null) {
            cmd.addAll(List.of("--catalog", url));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Files.createDirectories(dataDir);
        pb.redirectOutput(dataDir.resolve("out-" + System.nanoTime() + ".txt").toFile());
        pb.environment().remove("OCULAR_CATALOG");
        if (server != null) {
            pb.environment().put("PGUSER", server.user());
            pb.environment().put("PGPASSWORD", server.password());
        }
        Process p = pb.start();
        outputs.put(p, pb.redirectOutput().file().toPath());
        return p;
    }

    private final Map<Process, Path> outputs = new HashMap<>();

    private String output(Process p) throws IOException {
        return Files.readString(outputs.get(p), StandardCharsets.UTF_8);
    }

    private static Connection connect(PostgresServers.Server server, String url) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", server.user());
        props.setProperty("password", server.password());
        return DriverManager.getConnection(url, props);
    }

    private static long count(Connection db, String sql) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Set<String> strings(Connection db, String sql) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = db.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Distinct photos: coloured shapes on coloured grounds, 480x360 so decoding takes a moment. */
    static Path makePhotos(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(18);
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(480, 360, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
            g.fillRect(0, 0, 480, 360);
            for (int s = 0; s < 12; s++) {
                g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
                if (r.nextBoolean()) {
                    g.fillOval(r.nextInt(480), r.nextInt(360), 20 + r.nextInt(200), 20 + r.nextInt(200));
                } else {
                    g.fillRect(r.nextInt(480), r.nextInt(360), 20 + r.nextInt(200), 20 + r.nextInt(200));
                }
            }
            g.dispose();
            ImageIO.write(img, "jpg", dir.resolve("p" + i + ".jpg").toFile());
        }
        return dir;
    }
}
