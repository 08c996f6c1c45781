package io.ocular.embed;

import io.ocular.model.OcularException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/**
 * The stand-in CLIP pair (scripts/make_standin_clip.py: Xenova's signature, tiny deterministic weights,
 * colour-aware by construction) run end to end through the real tokenizer/preprocessing/ONNX plumbing.
 */
class ClipStandInTest {

    private static Path dir;
    private static ClipModel clip;

    @BeforeAll
    static void open() throws URISyntaxException {
        dir = Path.of(ClipStandInTest.class.getResource("/models/clip-standin/vision_model.onnx").toURI()).getParent();
        clip = ClipModel.open("clip-standin", ClipModel.Files3.in(dir), 512);
    }

    @AfterAll
    static void close() {
        if (clip != null) {
            clip.close();
        }
    }

    static BufferedImage solid(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    static BufferedImage noisy(int w, int h, int rgb, long seed) {
        java.util.Random r = new java.util.Random(seed);
        BufferedImage img = solid(w, h, rgb);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y);
                int red = clamp(((p >> 16) & 255) + r.nextInt(61) - 30);
                int g = clamp(((p >> 8) & 255) + r.nextInt(61) - 30);
                int b = clamp((p & 255) + r.nextInt(61) - 30);
                img.setRGB(x, y, (red << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }

    private final List<BufferedImage> images = List.of(
            noisy(320, 240, 0xD02020, 1), noisy(200, 300, 0x20A030, 2), noisy(256, 256, 0x2040D0, 3),
            solid(500, 400, 0x808080), noisy(300, 200, 0x901010, 4), solid(100, 60, 0x30C040));

    @Test
    void imageVectorsHaveShapeAndUnitNormAndBatchEqualsSingles() {
        ClipImageEncoder enc = clip.imageEncoder();
        assertThat(enc.dimension()).isEqualTo(512);
        assertThat(enc.preferredShortSide()).isEqualTo(2 * ClipPreprocessor.SIZE); // the preprocessor does the last 2:1
        float[][] batch = enc.encode(images);
        assertThat(batch).hasNumberOfRows(images.size());
        for (int i = 0; i < images.size(); i++) {
            assertThat(batch[i]).hasSize(512);
            assertThat(norm(batch[i])).isCloseTo(1.0, offset(1e-5));
            float[] single = enc.encode(List.of(images.get(i)))[0];
            assertThat(single).containsExactly(batch[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
        assertThat(dot(batch[0], batch[1])).isLessThan(0.9); // different images, different vectors
    }

    @Test
    void textVectorsHaveShapeAndUnitNormAndBatchEqualsSingles() {
        ClipTextEncoder enc = clip.textEncoder();
        List<String> texts = List.of("a red car", "GREEN grass in the park", "강아지 🐶 café", "blue",
                "word ".repeat(3000), "a   photo\tof\n a dog!!");
        float[][] batch = enc.encodeText(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(batch[i]).hasSize(512);
            assertThat(norm(batch[i])).isCloseTo(1.0, offset(1e-5));
            assertThat(enc.encodeText(List.of(texts.get(i)))[0]).containsExactly(batch[i], offset(1e-5f));
        }
    }

    @Test
    void colourWordsRankImagesOfThatColourFirst() {
        float[][] img = clip.imageEncoder().encode(images);
        String[] queries = {"a red car", "Green grass", "the BLUE sea"};
        int[][] expectedTop = {{0, 4}, {1, 5}, {2}};
        for (int q = 0; q < queries.length; q++) {
            float[] t = clip.textEncoder().encodeText(List.of(queries[q]))[0];
            Integer[] order = new Integer[img.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            final float[] tq = t;
            java.util.Arrays.sort(order, (a, b) -> Double.compare(dot(tq, img[b]), dot(tq, img[a])));
            List<Integer> top = List.of(order).subList(0, expectedTop[q].length);
            assertThat(top).as(queries[q]).containsExactlyInAnyOrder(
                    java.util.Arrays.stream(expectedTop[q]).boxed().toArray(Integer[]::new));
            assertThat(dot(t, img[expectedTop[q][0]])).as("cosine of %s with its colour", queries[q]).isGreaterThan(0.5);
            assertThat(dot(t, img[3])).as("cosine of %s with grey", queries[q]).isLessThan(0.3);
        }
    }

    @Test
    void blankTextIsRejected() {
        assertThatThrownBy(() -> clip.textEncoder().encodeText(List.of("ok", "  ")))
                .isInstanceOf(OcularException.class).hasMessageContaining("empty");
    }

    @Test
    void concurrentCallersGetTheSameVectors() throws Exception {
        float[][] want = clip.imageEncoder().encode(images);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[][]>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> clip.imageEncoder().encode(images)));
            }
            for (Future<float[][]> f : futures) {
                float[][] got = f.get();
                for (int i = 0; i < want.length; i++) {
                    assertThat(got[i]).containsExactly(want[i], offset(1e-6f));
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void exportWithoutAttentionMaskInputWorks(@TempDir Path tmp) throws Exception {
        Files.copy(dir.resolve("vision_model.onnx"), tmp.resolve("vision_model.onnx"));
        Files.copy(dir.resolve("text_model_ids_only.onnx"), tmp.resolve("text_model.onnx"));
        Files.copy(dir.resolve("tokenizer.json"), tmp.resolve("tokenizer.json"));
        try (ClipModel m = ClipModel.open("ids-only", ClipModel.Files3.in(tmp), 512)) {
            float[] red = m.textEncoder().encodeText(List.of("red"))[0];
            float[] redImage = m.imageEncoder().encode(List.of(solid(64, 64, 0xE01010)))[0];
            float[] greenImage = m.imageEncoder().encode(List.of(solid(64, 64, 0x10E010)))[0];
            assertThat(dot(red, redImage)).isGreaterThan(dot(red, greenImage));
        }
    }

    @Test
    void int32AndInt64TextExportsBothLoadAndAgree() {
        assertThat(clip.textEncoder().idType()).isEqualTo(TokenIdType.INT64);
        for (TokenIdType declared : new TokenIdType[] {null, TokenIdType.INT32}) {
            try (ClipTextEncoder i32 = new ClipTextEncoder("i32", dir.resolve("text_model_int32.onnx"),
                    dir.resolve("tokenizer.json"), 512, declared)) {
                assertThat(i32.idType()).isEqualTo(TokenIdType.INT32);
                assertThat(i32.encodeText(List.of("a red car"))[0])
                        .containsExactly(clip.textEncoder().encodeText(List.of("a red car"))[0], offset(1e-6f));
            }
        }
        assertThatThrownBy(() -> new ClipTextEncoder("wrong", dir.resolve("text_model_int32.onnx"),
                dir.resolve("tokenizer.json"), 512, TokenIdType.INT64)).isInstanceOf(OcularException.class);
    }

    @Test
    void wrongDimensionIsACLearErrorAtLoad() {
        assertThatThrownBy(() -> new ClipImageEncoder("x", dir.resolve("vision_model_dim256.onnx"), 512))
                .isInstanceOf(OcularException.class).hasMessageContaining("256").hasMessageContaining("512");
        assertThatThrownBy(() -> new ClipImageEncoder("x", dir.resolve("vision_model.onnx"), 768))
                .isInstanceOf(OcularException.class).hasMessageContaining("768");
    }

    @Test
    void aTextModelIsNotAnImageModel() {
        assertThatThrownBy(() -> new ClipImageEncoder("x", dir.resolve("text_model.onnx"), 512))
                .isInstanceOf(OcularException.class).hasMessageContaining("pixel_values");
        assertThatThrownBy(() -> new ClipTextEncoder("x", dir.resolve("vision_model.onnx"),
                dir.resolve("tokenizer.json"), 512))
                .isInstanceOf(OcularException.class).hasMessageContaining("input_ids");
    }

    @Test
    void textModelWithoutImageModelIsRefusedWhereAPairIsNeeded(@TempDir Path tmp) throws Exception {
        Files.copy(dir.resolve("text_model.onnx"), tmp.resolve("text_model.onnx"));
        Files.copy(dir.resolve("tokenizer.json"), tmp.resolve("tokenizer.json"));
        assertThatThrownBy(() -> ClipModel.open("half", ClipModel.Files3.in(tmp), 512))
                .isInstanceOf(OcularException.class).hasMessageContaining("image model")
                .hasMessageContaining("vision_model.onnx");
    }

    @Test
    void damagedFilesGiveClearErrors(@TempDir Path tmp) throws Exception {
        Path garbage = tmp.resolve("vision_model.onnx");
        Files.write(garbage, new byte[]{1, 2, 3, 4, 5, 6, 7, 8});
        assertThatThrownBy(() -> new ClipImageEncoder("x", garbage, 512))
                .isInstanceOf(OcularException.class).hasMessageContaining("damaged");
        assertThatThrownBy(() -> new ClipImageEncoder("x", tmp.resolve("missing.onnx"), 512))
                .isInstanceOf(OcularException.class).hasMessageContaining("missing");
        Path badTokenizer = tmp.resolve("tokenizer.json");
        Files.writeString(badTokenizer, "{not json");
        assertThatThrownBy(() -> new ClipTokenizer(badTokenizer))
                .isInstanceOf(OcularException.class).hasMessageContaining("tokenizer");
    }
}
