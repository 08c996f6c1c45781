package io.ocular.ui.compose;

import io.ocular.embed.ClipModel;
import io.ocular.embed.ModelCatalogue;
import io.ocular.embed.ModelManifest;
import io.ocular.embed.ModelStore;
import io.ocular.engine.AppPaths;
import io.ocular.engine.ComposeLearning;
import io.ocular.engine.Engine;
import io.ocular.model.ImageRecord;
import io.ocular.model.ModelKind;
import io.ocular.model.Query;
import io.ocular.model.SearchHit;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19 end to end, with the stand-in CLIP (scripts/make_standin_clip.py: an image's vector follows its colour,
 * the words red/green/blue point along the same colour axes) over the real engine and the compose panel's view
 * model. The user's taste: "a red photo + green" means a green photo, not a yellow one (the weighted sum's idea:
 * red plus green). Through the panel the user marks green results good matches and yellow ones not, on ten red
 * references; at the hundredth good match the engine trains a personal Combiner in the background, which beats
 * the sum on the held-out references and is switched on; the same composed search then ranks the green photos
 * first. It survives a restart; Reset brings the sum back.
 */
class ComposeLearningEndToEndTest {
    private static final int PER_COLOUR = 10;

    @TempDir
    Path tmp;

    private void installStandInClip(Path data) throws Exception {
        Path standIn = Path.of(getClass().getResource("/models/clip-standin/vision_model.onnx").toURI()).getParent();
        List<ModelCatalogue.FileSpec> specs = new ArrayList<>();
        Map<String, Path> files = new HashMap<>();
        for (String f : List.of(ClipModel.VISION_FILE, ClipModel.TEXT_FILE, ClipModel.TOKENIZER_FILE)) {
            Path p = standIn.resolve(f);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
            specs.add(new ModelCatalogue.FileSpec(f, p.toUri(), Files.size(p), sha));
            files.put(f, p);
        }
        new ModelStore(data).installFiles(ModelManifest.fromCatalogue(new ModelCatalogue.Entry("clip-standin",
                "Stand-in CLIP", ModelKind.IMAGE_TEXT, specs, "test", 512, "clip-224", null)), files);
    }

    private static void photo(Path file, Color base, int variant) throws Exception {
        BufferedImage img = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(base);
        g.fillRect(0, 0, 96, 64);
        g.setColor(base.darker());
        g.fillRect(4 + 8 * variant, 0, 5 + variant, 64);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static String kind(SearchHit h) {
        return h.path().getFileName().toString().replaceAll("[0-9]+\\.png$", "");
    }

    private static long greensInTop(List<SearchHit> hits, int k) {
        return hits.stream().limit(k).filter(h -> kind(h).equals("green")).count();
    }

    private List<SearchHit> compose(Engine engine, long reference) {
        return engine.search().search(new Query.Composed(new Query.ByImage(reference), "green", 0.5), 20).hits();
    }

    @Test
    void marksInTheComposePanelTrainAPersonalCombinerThatRanksTheMarkedKindFirst() throws Exception {
        Path data = tmp.resolve("data");
        installStandInClip(data);
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        for (int v = 0; v < PER_COLOUR; v++) {
            photo(photos.resolve("red" + v + ".png"), new Color(220 - 3 * v, 30 + 2 * v, 30), v);
            photo(photos.resolve("green" + v + ".png"), new Color(30 + 2 * v, 200 - 3 * v, 40), v);
            photo(photos.resolve("yellow" + v + ".png"), new Color(215 - 2 * v, 205 - 3 * v, 30), v);
            photo(photos.resolve("blue" + v + ".png"), new Color(30, 40 + 2 * v, 220 - 3 * v), v);
        }
        long someRed;
        List<SearchHit> before;
        try (Engine engine = Engine.open(AppPaths.under(data), "clip-standin")) {
            engine.indexer().addFolder(photos);
            assertThat(engine.indexer().awaitIdle(Duration.ofSeconds(120))).isTrue();
            List<ImageRecord> reds = new ArrayList<>();
            for (int v = 0; v < PER_COLOUR; v++) {
                reds.add(engine.catalog().imageByPath(photos.resolve("red" + v + ".png")).orElseThrow());
            }
            someRed = reds.get(0).id();
            before = compose(engine, someRed);
            // the sum's idea of "red + green": the yellow photos come first
            assertThat(greensInTop(before, PER_COLOUR)).isLessThan(PER_COLOUR / 2);

            Notifications notes = new Notifications();
            ComposeViewModel vm = new ComposeViewModel(engine.search(), engine.composeLearning(), UiExecutors.direct(),
                    notes, 4 * PER_COLOUR, Messages.english());
            int good = 0;
            for (ImageRecord red : reds) {
                vm.useReference(new SearchHit(red.id(), red.path(), 1f));
                vm.modificationProperty().set("green");
                vm.search();
                assertThat(vm.results()).hasSizeGreaterThanOrEqualTo(3 * PER_COLOUR - 1);
                for (SearchHit hit : List.copyOf(vm.results())) {
                    if (kind(hit).equals("green")) {
                        vm.mark(hit, true);
                        good++;
                    } else if (kind(hit).equals("yellow")) {
                        vm.mark(hit, false);
                    }
                }
                assertThat(vm.marks().values()).contains(true, false);
            }
            assertThat(good).isEqualTo(PER_COLOUR * PER_COLOUR);
            ComposeLearning.Status status = awaitTraining(engine.composeLearning());
            System.out.printf("personal combiner from the compose panel: %s; held-out R@10 %.3f vs sum %.3f on %d%n",
                    status.active(), status.personalRecall(), status.sumRecall(), status.heldOut());
            assertThat(status.relevantMarks()).isEqualTo(100);
            assertThat(status.otherMarks()).isEqualTo(PER_COLOUR * PER_COLOUR);
            assertThat(status.active()).as(status.lastOutcome()).isEqualTo(ComposeLearning.Active.PERSONAL);
            assertThat(status.personalRecall()).isGreaterThan(status.sumRecall());

            List<SearchHit> after = compose(engine, someRed); // the composer switched while the engine runs
            System.out.printf("greens in the top %d of red0 + green: sum %d, personal combiner %d%n", PER_COLOUR,
                    greensInTop(before, PER_COLOUR), greensInTop(after, PER_COLOUR));
            assertThat(greensInTop(after, PER_COLOUR)).isGreaterThanOrEqualTo(PER_COLOUR - 1)
                    .isGreaterThan(greensInTop(before, PER_COLOUR));
        }
        try (Engine engine = Engine.open(AppPaths.under(data), null)) { // persisted per model
            assertThat(engine.composeLearning().status().active()).isEqualTo(ComposeLearning.Active.PERSONAL);
            assertThat(greensInTop(compose(engine, someRed), PER_COLOUR)).isGreaterThanOrEqualTo(PER_COLOUR - 1);

            engine.composeLearning().reset(false);
            ComposeLearning.Status reset = engine.composeLearning().status();
            assertThat(reset.active()).isEqualTo(ComposeLearning.Active.SUM);
            assertThat(reset.relevantMarks()).isEqualTo(100);
            assertThat(compose(engine, someRed)).extracting(SearchHit::imageId)
                    .isEqualTo(before.stream().map(SearchHit::imageId).toList());
            engine.composeLearning().reset(true);
            assertThat(engine.composeLearning().status().relevantMarks()).isZero();
            assertThat(engine.catalog().composeMarks("clip-standin")).isEmpty();
        }
    }

    private static ComposeLearning.Status awaitTraining(ComposeLearning learning) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        ComposeLearning.Status s = learning.status();
        while (System.nanoTime() < deadline && (s.training() || Double.isNaN(s.personalRecall()))) {
            Thread.sleep(200);
            s = learning.status();
        }
        return s;
    }
}
