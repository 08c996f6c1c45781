package io.ocular.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocular.embed.BuiltinDescriptor;
import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.engine.SpqCodes;
import io.ocular.search.AdaptiveIndex;
import io.ocular.search.IndexChoice;
import io.ocular.search.SpqModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ocular train spq} end to end: a generated library of 300 photos indexed by the built-in model. */
class TrainSpqCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Small enough for 260 training photos: 4 subspaces of 16 codewords, batches of 32, two epochs. */
    private static final String[] SMALL = {"--bits", "16", "--codewords", "16", "--batch", "32", "--epochs", "2"};

    @TempDir
    Path tmp;

    private Path data() {
        return tmp.resolve("data");
    }

    private CliRun cli(String... args) {
        return CliRun.inDataDir(data(), args);
    }

    /** 300 photos in three colour families with stripes that move, indexed. */
    private void library() throws Exception {
        Path photos = tmp.resolve("photos");
        for (int i = 0; i < 100; i++) {
            OcularCliIntegrationTest.png(photos.resolve("red/" + i + ".png"), new Color(150 + i, 20 + i, 30), i % 7);
            OcularCliIntegrationTest.png(photos.resolve("blue/" + i + ".png"), new Color(30, 20 + i, 150 + i), i % 7);
            OcularCliIntegrationTest.png(photos.resolve("green/" + i + ".png"), new Color(40, 120 + i, 20 + i / 2), i % 7);
        }
        CliRun index = cli("index", photos.toString());
        assertThat(index.code()).as(index.err()).isZero();
    }

    @Test
    void trainsOnTheLibraryReportsTheSelfCheckAndTheIndexFollowsTheVerdict() throws Exception {
        library();
        try (Engine e = Engine.open(AppPaths.under(data()), null)) {
            e.chooseIndex(IndexChoice.COMPACT); // 300 photos: compact codes only when chosen
        }
        CliRun r = cli(concat(new String[]{"train", "spq", "--json"}, SMALL));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("views: 300/300 photos").contains("epoch 1/2").contains("epoch 2/2")
                .contains("comparing SPQ with PQ on 40 held-out photos");
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("model").asText()).isEqualTo(BuiltinDescriptor.MODEL_ID);
        assertThat(j.get("state").asText()).isEqualTo("done");
        JsonNode check = j.get("self_check");
        assertThat(check.get("held_out").asInt()).isEqualTo(40);
        assertThat(check.get("spq_mrr").asDouble()).isBetween(0.0, 1.0);
        assertThat(check.get("pq_mrr").asDouble()).isBetween(0.0, 1.0);
        boolean wins = check.get("spq_wins").asBoolean();
        assertThat(wins).isEqualTo(check.get("spq_mrr").asDouble() > check.get("pq_mrr").asDouble() + 0.01);
        assertThat(j.get("search_uses_spq").asBoolean()).isEqualTo(wins);
        assertThat(Files.exists(SpqCodes.folder(data(), BuiltinDescriptor.MODEL_ID).resolve("spq.bin"))).isTrue();

        // a fresh process opens the index the verdict chose: SPQ codes when SPQ won, PQ codes otherwise
        awaitCodes();
        CliRun again = cli("status", "--json");
        assertThat(again.code()).as(again.err()).isZero();
        JsonNode model = JSON.readTree(again.out()).get("model");
        assertThat(model.get("index").asText()).isEqualTo(wins ? "spq" : "ivfpq");
        JsonNode codes = JSON.readTree(again.out()).get("trained_codes");
        assertThat(codes.get("spq_wins").asBoolean()).isEqualTo(wins);
        if (wins) {
            assertThat(model.get("index_detail").asText()).contains("trained on your photos").contains("over PQ");
        }

        CliRun text = cli(concat(new String[]{"train", "spq"}, SMALL));
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("Self-check on 40 held-out photos").contains("SPQ ").contains("PQ ")
                .contains(wins ? "SPQ wins" : "searches keep PQ codes").contains("Search now: ");
    }

    @Test
    void aWinningVerdictOnDiskMakesTheEngineSearchWithSpqCodesAndADamagedModelFileMakesItPq() throws Exception {
        library();
        try (Engine e = Engine.open(AppPaths.under(data()), null)) {
            e.chooseIndex(IndexChoice.COMPACT);
        }
        Path dir = SpqCodes.folder(data(), BuiltinDescriptor.MODEL_ID);
        Files.createDirectories(dir);
        Random r = new Random(3);
        int in = BuiltinDescriptor.DIMENSION;
        int hidden = 32;
        new SpqModel(in, hidden, 4, 16, 8, random(r, hidden * in), random(r, hidden), random(r, 32 * hidden),
                random(r, 32), random(r, 4 * 16 * 8)).save(dir.resolve("spq.bin"));
        Files.writeString(dir.resolve("selfcheck.properties"), "spq=0.71\npq=0.52\nheldOut=40\nspqWins=true\n");
        awaitCodes();
        CliRun status = cli("status", "--json");
        JsonNode j = JSON.readTree(status.out());
        assertThat(j.get("model").get("index").asText()).isEqualTo("spq");
        assertThat(j.get("model").get("index_detail").asText())
                .startsWith("spq (trained on your photos, self-check +0.190 over PQ: 0.710 vs 0.520 on 40 held-out photos");
        assertThat(j.get("trained_codes").get("in_use").asBoolean()).isTrue();
        CliRun text = cli("status");
        assertThat(text.out()).contains("Search:      spq (trained on your photos");

        byte[] bytes = Files.readAllBytes(dir.resolve("spq.bin"));
        bytes[bytes.length / 3] ^= 0x41;
        Files.write(dir.resolve("spq.bin"), bytes);
        awaitCodes();
        JsonNode after = JSON.readTree(cli("status", "--json").out());
        assertThat(after.get("model").get("index").asText()).as("a damaged model file: PQ again").isEqualTo("ivfpq");
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian() * 0.2f;
        }
        return a;
    }

    /** Opens the engine until the compact codes it builds in the background are ready (they are then saved). */
    private void awaitCodes() throws Exception {
        try (Engine e = Engine.open(AppPaths.under(data()), null)) {
            if (e.index() instanceof AdaptiveIndex a) {
                assertThat(a.awaitIdle(Duration.ofMinutes(2))).isTrue();
            }
        }
    }

    @Test
    void clearMessagesForNoLibraryNoPhotosTooFewAndAJobAlreadyRunning() throws Exception {
        CliRun none = cli("train", "spq");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).startsWith("ocular: ").contains("no library here yet").contains("ocular index DIR")
                .doesNotContain("\tat ");

        Path empty = tmp.resolve("notes");
        Files.createDirectories(empty);
        Files.writeString(empty.resolve("readme.txt"), "no photos here");
        assertThat(cli("index", empty.toString()).code()).isZero();
        CliRun noPhotos = cli("train", "spq");
        assertThat(noPhotos.code()).isEqualTo(1);
        assertThat(noPhotos.err()).contains("No photos are indexed with the active model (" + BuiltinDescriptor.MODEL_ID);

        library();
        CliRun few = cli("train", "spq");
        assertThat(few.code()).isEqualTo(1);
        assertThat(few.err()).contains("Too few photos").contains("at least 1024").contains("has 300")
                .contains("keeps PQ").doesNotContain("views:");

        CliRun bad = cli("train", "spq", "--codewords", "5");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("power of two");

        Path dir = SpqCodes.folder(data(), BuiltinDescriptor.MODEL_ID);
        Files.createDirectories(dir);
        try (FileChannel ch = FileChannel.open(dir.resolve("training.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = ch.lock()) {
            CliRun busy = cli(concat(new String[]{"train", "spq"}, SMALL));
            assertThat(busy.code()).isEqualTo(1);
            assertThat(busy.err()).contains("already being trained").doesNotContain("views:");
        }
    }

    @Test
    void helpSaysWhichHeadAndWhenSearchUsesTheCodes() {
        CliRun help = CliRun.run("train", "spq", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out().replaceAll("\\s+", " ")).contains("vector head").contains("map head needs").contains("held out")
                .contains("only when SPQ wins").contains("Ctrl-C").contains("--epochs").contains("--codewords");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
