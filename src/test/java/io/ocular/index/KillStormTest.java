package io.ocular.index;

import io.ocular.search.ScanPool;
import io.ocular.search.StormCodes;
import io.ocular.store.CatalogCheck;
import io.ocular.testing.PhotoVariants;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Kill storm (issue 16 part 2): a child JVM ({@link KillStormChild}) indexes a library of a few thousand photos
 * made from the shared photos and is killed with SIGKILL ({@code Process.destroyForcibly}) at 50 random
 * moments, aimed in turn at each part of its work: scan, embedding, a batch commit, a model switch, the
 * follow-up pass and compact-code training. Before each restart a few dozen new photos are added (so every
 * restart has new work). After every kill the catalog is checked: {@code PRAGMA integrity_check} ok, no
 * foreign-key violation, no orphan vector or image data, no duplicate path / vector / content, every INDEXED
 * image has a vector and no other image has one, every row's file exists, the saved compact codes load or are
 * rejected by their checksums (never half-read). At the end the storm's catalog equals the catalog of one run
 * without kills over the same photos: every photo, its status, hash, both models' vectors and its follow-up
 * data, and the codes cover every photo.
 *
 * <p>{@code mvn -B -Pslow test -Dtest=KillStormTest} (skipped without ../shared). System properties:
 * {@code ocular.storm.kills} (50), {@code ocular.storm.images} (1500 at the start), {@code ocular.storm.seed}.
 */
@Tag("slow")
class KillStormTest {
    private static final int KILLS = Integer.getInteger("ocular.storm.kills", 50);
    private static final int INITIAL = Integer.getInteger("ocular.storm.images", 1500);
    private static final int ADDED_PER_RESTART = 40;
    private static final String[] PHASES = {"scan", "embed", "write", "switch", "followup", "train"};

    @TempDir
    Path dir;

    @Test
    void fiftyKillsLoseNothingAndDoubleNothing() throws Exception {
        long t0 = System.nanoTime();
        PhotoVariants variants = PhotoVariants.fromSharedPhotos(1000);
        Path library = dir.resolve("library");
        Path data = dir.resolve("data");
        variants.write(library, 0, INITIAL);
        int images = INITIAL;
        Random rnd = new Random(Long.getLong("ocular.storm.seed", 16L));
        Map<String, Integer> byPhase = new TreeMap<>();
        int kills = 0;
        int finishedFirst = 0;
        int codesRejected = 0;
        int pendingAfterKill = 0;
        while (kills < KILLS) {
            assertThat(finishedFirst).as("the child kept finishing before the kill").isLessThan(KILLS * 2);
            String target = PHASES[kills % PHASES.length];
            Outcome o = runChild(data, library, target, rnd);
            if (o.killedIn() != null) {
                kills++;
                byPhase.merge(o.killedIn(), 1, Integer::sum);
            } else {
                finishedFirst++;
            }
            Check c = check(data, library);
            codesRejected += c.codesRejected() ? 1 : 0;
            pendingAfterKill += c.pendingVectors() > 0 ? 1 : 0;
            System.out.printf("kill storm: run %d target %s -> %s; %d images, %d indexed, %d pending vectors%s%n",
                    kills + finishedFirst, target, o.killedIn() == null ? "finished first" : "killed in " + o.killedIn(),
                    images, c.indexed(), c.pendingVectors(), c.codesRejected() ? ", old codes rejected by checksum" : "");
            variants.write(library, images, images + ADDED_PER_RESTART); // new photos before every restart
            images += ADDED_PER_RESTART;
        }
        assertThat(runChild(data, library, null, rnd).killedIn()).isNull(); // the last restart runs to the end
        Check last = check(data, library);
        assertThat(last.pendingVectors()).isZero();
        assertThat(last.indexed()).isEqualTo(images);

        Path reference = dir.resolve("reference");
        assertThat(runChild(reference, library, null, rnd).killedIn()).isNull();
        assertThat(check(reference, library).indexed()).isEqualTo(images);
        assertThat(snapshot(data)).as("the storm's catalog equals a run without kills").isEqualTo(snapshot(reference));
        try (ScanPool pool = new ScanPool(1)) {
            assertThat(StormCodes.load(data.resolve("codes"), pool)).isEqualTo(images);
        }
        System.out.printf("kill storm: %d/%d restarts consistent; kills by phase %s; %d runs finished before their"
                        + " kill; %d restarts found old codes rejected by checksum, %d found vectors of the new model"
                        + " pending; %d photos; final catalog equals a run without kills; %.0f s%n",
                kills, KILLS, byPhase, finishedFirst, codesRejected, pendingAfterKill, images,
                (System.nanoTime() - t0) / 1e9);
        assertThat(byPhase.keySet()).as("kills landed in every part of the work").contains(PHASES);
    }

    private record Outcome(String killedIn) {
    }

    /** Runs the child; kills it at a random moment of {@code target} (null: lets it finish). */
    private Outcome runChild(Path data, Path library, String target, Random rnd) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), KillStormChild.class.getName(),
                data.toString(), library.toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("child-stderr.log").toFile()))
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        String[] current = {"start"};
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("phase=")) {
                        current[0] = line.substring(6);
                    }
                    lines.add(line);
                }
            } catch (IOException e) {
                // killed
            }
            lines.add("EOF");
        });
        reader.setDaemon(true);
        reader.start();
        // which announcement of the target to hit: the n-th batch commit, the first or second embedding (model
        // A's new photos, model B's re-embedding of all), the one announcement of the other phases
        int skip = switch (target == null ? "" : target) {
            case "write" -> rnd.nextInt(8);
            case "embed" -> rnd.nextInt(2);
            default -> 0;
        };
        String wanted = "write".equals(target) ? "write" : "phase=" + target;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        boolean finished = false;
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line == null) {
                continue;
            }
            if (line.equals("FINISHED")) {
                finished = true;
            }
            if (line.equals("EOF")) {
                break;
            }
            if (target != null && line.equals(wanted) && skip-- == 0) {
                Thread.sleep(delayMillis(target, rnd));
                String phase = target.equals("write") ? "write" : current[0];
                child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
                reader.join(10_000);
                boolean done = lines.contains("FINISHED");
                return new Outcome(done ? null : phase);
            }
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child ended").isTrue();
        if (!finished || child.exitValue() != 0) {
            fail("the child failed (exit " + child.exitValue() + "), see " + dir.resolve("child-stderr.log") + ":\n"
                    + tail(dir.resolve("child-stderr.log")));
        }
        return new Outcome(null);
    }

    /** A random moment inside the phase: how long each part of the work lasts here, roughly. */
    private static long delayMillis(String phase, Random rnd) {
        return switch (phase) {
            case "scan" -> rnd.nextInt(300);
            case "embed" -> rnd.nextInt(400);
            case "write" -> rnd.nextInt(3);
            case "switch" -> rnd.nextInt(200);
            case "followup" -> rnd.nextInt(80);
            default -> rnd.nextInt(400);
        };
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        List<String> all = Files.readAllLines(log);
        return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
    }

    private record Check(long indexed, long pendingVectors, boolean codesRejected) {
    }

    /** Everything that must hold after any kill. */
    private Check check(Path data, Path library) throws Exception {
        Path db = data.resolve("catalog.db");
        if (!Files.exists(db)) {
            return new Check(0, 0, false); // killed before the catalog was created
        }
        CatalogCheck.Report r = CatalogCheck.check(db);
        assertThat(r.integrityOk()).as("integrity_check: %s", r.integrity()).isTrue();
        assertThat(r.errors()).isEmpty();
        r.problems().forEach((name, n) -> {
            if (!name.equals("indexed images without a vector")) { // of the active model: a switch in progress
                assertThat(n).as("%s after a kill", name).isZero();
            }
        });
        long pending = r.problems().getOrDefault("indexed images without a vector", 0L);
        long indexed;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = c.createStatement()) {
            indexed = one(st, "SELECT COUNT(*) FROM images WHERE status = 'INDEXED'");
            assertThat(one(st, "SELECT COUNT(*) FROM images i WHERE i.status = 'INDEXED'"
                    + " AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.image_id = i.id)"))
                    .as("INDEXED images without any vector").isZero();
            assertThat(one(st, "SELECT COUNT(*) FROM embeddings e JOIN images i ON i.id = e.image_id"
                    + " WHERE i.status <> 'INDEXED'")).as("vectors of images not INDEXED").isZero();
            assertThat(one(st, "SELECT COUNT(*) FROM (SELECT content_hash FROM images WHERE content_hash IS NOT NULL"
                    + " GROUP BY content_hash HAVING COUNT(*) > 1)")).as("a photo stored twice").isZero();
            assertThat(one(st, "SELECT COUNT(*) FROM images WHERE status = 'SKIPPED'")).as("skipped photos").isZero();
            try (ResultSet rs = st.executeQuery("SELECT path FROM images")) {
                while (rs.next()) {
                    assertThat(Path.of(rs.getString(1))).startsWith(library.toAbsolutePath()).exists();
                }
            }
        }
        boolean rejected = false;
        Path codes = data.resolve("codes");
        if (StormCodes.present(codes)) {
            try (ScanPool pool = new ScanPool(1)) {
                StormCodes.load(codes, pool); // any unchecked exception fails the test
            } catch (IOException e) {
                rejected = true; // a new codebook beside the old codes: refused by the checksum, rebuilt by the app
            }
        }
        return new Check(indexed, pending, rejected);
    }

    private static long one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** The catalog's content by path, for comparing two catalogs (ids and times differ; nothing else may). */
    private static List<String> snapshot(Path data) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("catalog.db"));
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT path FROM folders ORDER BY path")) {
                while (rs.next()) {
                    out.add("folder " + rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT id, dimension FROM models ORDER BY id")) {
                while (rs.next()) {
                    out.add("model " + rs.getString(1) + " " + rs.getInt(2));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT i.path, i.status, i.size, i.content_hash, i.width, i.height,"
                    + " (SELECT group_concat(e.model_id || ':' || hex(e.vector), ' ') FROM"
                    + "   (SELECT * FROM embeddings x WHERE x.image_id = i.id ORDER BY x.model_id) e),"
                    + " (SELECT hex(d.data) FROM image_data d WHERE d.image_id = i.id AND d.kind = '"
                    + KillStormChild.FOLLOW_UP_KIND + "') FROM images i ORDER BY i.path")) {
                while (rs.next()) {
                    String[] row = new String[8];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    out.add(Arrays.toString(row));
                }
            }
        }
        return out;
    }
}
