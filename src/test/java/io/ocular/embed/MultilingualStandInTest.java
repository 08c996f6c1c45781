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
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/**
 * The stand-in multilingual text tower (scripts/make_standin_multilingual.py: the real export's
 * signature, the real tokenizer's pieces and ids, a stand-in Dense in safetensors) run through Ocular's
 * own tokenizer, pooling and projection, against the stand-in CLIP image tower's space.
 */
class MultilingualStandInTest {

    static Path dir;
    private static Path clipDir;
    private static MultilingualTextEncoder text;
    private static ClipImageEncoder images;

    static Path standInDir() {
        try {
            return Path.of(MultilingualStandInTest.class.getResource("/models/multilingual-standin/text_model.onnx")
                    .toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void open() throws URISyntaxException {
        dir = standInDir();
        clipDir = Path.of(MultilingualStandInTest.class.getResource("/models/clip-standin/vision_model.onnx").toURI())
                .getParent();
        text = new MultilingualTextEncoder("ml-standin", dir.resolve("text_model.onnx"),
                dir.resolve("dense.safetensors"), dir.resolve("tokenizer.json"), 512, null);
        images = new ClipImageEncoder("clip-standin", clipDir.resolve("vision_model.onnx"), 512);
    }

    @AfterAll
    static void close() {
        if (text != null) {
            text.close();
        }
        if (images != null) {
            images.close();
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private final List<BufferedImage> photos = List.of(
            ClipStandInTest.noisy(320, 240, 0xD02020, 1), ClipStandInTest.noisy(200, 300, 0x20A030, 2),
            ClipStandInTest.noisy(256, 256, 0x2040D0, 3), ClipStandInTest.solid(500, 400, 0x808080),
            ClipStandInTest.noisy(300, 200, 0x901010, 4), ClipStandInTest.noisy(240, 240, 0x1030B0, 5),
            ClipStandInTest.solid(100, 60, 0x30C040));

    private List<Integer> top(float[] q, float[][] img, int n) {
        return IntStream.range(0, img.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -dot(q, img[i]))).toList().subList(0, n);
    }

    @Test
    void koreanAndEnglishRetrieveTheSamePhotos() {
        float[][] img = images.encode(photos);
        String[][] pairs = {{"바닷가의 강아지", "a dog on the beach"}, {"바닷가에서 뛰어노는 강아지", "a dog playing on the beach"},
                {"빨간 자동차", "a red car"}, {"초록", "green"}};
        int[][] expected = {{2, 5}, {2, 5}, {0, 4}, {1, 6}};
        for (int p = 0; p < pairs.length; p++) {
            float[][] v = text.encodeText(List.of(pairs[p]));
            List<Integer> ko = top(v[0], img, 2);
            List<Integer> en = top(v[1], img, 2);
            Integer[] want = Arrays.stream(expected[p]).boxed().toArray(Integer[]::new);
            assertThat(ko).as(pairs[p][0]).containsExactlyInAnyOrder(want);
            assertThat(en).as(pairs[p][1]).containsExactlyInAnyOrder(want);
            assertThat(dot(v[0], v[1])).as("cosine of %s and %s", pairs[p][0], pairs[p][1]).isGreaterThan(0.8);
        }
    }

    @Test
    void theRealTokenizerGivesTheStandInTheSameIdsAsItsTinyOne() {
        // the stand-in's tiny tokenizer is a cut of the real one: on the words it knows, the real tokenizer
        // (../shared) must give the same ids, so the stand-in tests say something about the real tower
        Path real = io.ocular.testing.SharedData.multilingualTokenizer();
        try (WordPieceTokenizer tiny = new WordPieceTokenizer(dir.resolve("tokenizer.json"));
             WordPieceTokenizer full = new WordPieceTokenizer(real);
             MultilingualTextEncoder withReal = new MultilingualTextEncoder("ml-real-tok", dir.resolve("text_model.onnx"),
                     dir.resolve("dense.safetensors"), real, 512, null)) {
            for (String s : List.of("바닷가의 강아지", "a dog playing on the beach", "빨간 자동차", "海边的小狗")) {
                assertThat(tiny.encode(s).ids()[0]).as(s).containsExactly(full.encode(s).ids()[0]);
                assertThat(withReal.encodeText(List.of(s))[0]).containsExactly(text.encodeText(List.of(s))[0],
                        offset(1e-6f));
            }
        }
    }

    @Test
    void vectorsAreUnitLengthAndABatchEqualsSinglesDespitePadding() {
        List<String> texts = List.of("a", "바닷가에서 뛰어노는 강아지", "a dog playing on the beach at the sea",
                "word ".repeat(500), "海边的小狗 🐶");
        float[][] batch = text.encodeText(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(Math.sqrt(dot(batch[i], batch[i]))).isCloseTo(1.0, offset(1e-5));
            // alone, a text has no padding; in the batch, short texts are padded with [PAD], whose stand-in
            // hidden state is huge: equal vectors prove the pooling ignores masked positions
            assertThat(text.encodeText(List.of(texts.get(i)))[0]).as(texts.get(i))
                    .containsExactly(batch[i], offset(1e-5f));
        }
    }

    @Test
    void poolingAndProjectionFollowSentenceTransformers() {
        // reference: masked mean, then W·x, then L2, written out plainly
        DenseProjection dense = DenseProjection.read(dir.resolve("dense.safetensors"), 768, 512);
        float[] hidden = new float[2 * 3 * 768];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = (float) Math.sin(i * 0.37);
        }
        long[] mask = {1, 1, 0};
        float[] pooled = MeanPooling.pool(hidden, 1, 3, 768, mask);
        for (int j = 0; j < 768; j++) {
            float want = (hidden[3 * 768 + j] + hidden[3 * 768 + 768 + j]) / 2;
            assertThat(pooled[j]).isCloseTo(want, offset(1e-6f));
        }
        float[] projected = dense.apply(pooled);
        assertThat(projected).hasSize(512);
        float[] zeroMask = MeanPooling.pool(hidden, 0, 3, 768, new long[] {0, 0, 0});
        assertThat(zeroMask).containsOnly(0f);
    }

    @Test
    void int32AndInt64ExportsBothLoadAndAgree() {
        try (MultilingualTextEncoder i32 = new MultilingualTextEncoder("ml32", dir.resolve("text_model_int32.onnx"),
                dir.resolve("dense.safetensors"), dir.resolve("tokenizer.json"), 512, null)) {
            assertThat(i32.idType()).isEqualTo(TokenIdType.INT32);
            assertThat(text.idType()).isEqualTo(TokenIdType.INT64);
            String q = "바닷가의 강아지";
            assertThat(i32.encodeText(List.of(q))[0]).containsExactly(text.encodeText(List.of(q))[0], offset(1e-6f));
        }
        try (MultilingualTextEncoder declared = new MultilingualTextEncoder("ml32", dir.resolve("text_model_int32.onnx"),
                dir.resolve("dense.safetensors"), dir.resolve("tokenizer.json"), 512, TokenIdType.INT32)) {
            assertThat(declared.idType()).isEqualTo(TokenIdType.INT32);
        }
    }

    @Test
    void brokenFilesGiveClearMessages(@TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> new MultilingualTextEncoder("x", dir.resolve("text_model.onnx"),
                dir.resolve("dense.safetensors"), dir.resolve("tokenizer.json"), 256, null))
                .isInstanceOf(OcularException.class).hasMessageContaining("256");
        Path truncated = tmp.resolve("dense.safetensors");
        byte[] all = Files.readAllBytes(dir.resolve("dense.safetensors"));
        Files.write(truncated, Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> DenseProjection.read(truncated, 768, 512))
                .isInstanceOf(OcularException.class).hasMessageContaining("dense.safetensors");
        Path notSafetensors = tmp.resolve("junk.safetensors");
        Files.writeString(notSafetensors, "this is not a safetensors file at all, just words");
        assertThatThrownBy(() -> DenseProjection.read(notSafetensors, 768, 512))
                .isInstanceOf(OcularException.class).hasMessageContaining("junk.safetensors");
        assertThatThrownBy(() -> new MultilingualTextEncoder("x", clipDir.resolve("text_model.onnx"),
                dir.resolve("dense.safetensors"), dir.resolve("tokenizer.json"), 512, null))
                .isInstanceOf(OcularException.class).hasMessageContaining("last_hidden_state");
        assertThatThrownBy(() -> new MultilingualTextEncoder("x", dir.resolve("text_model.onnx"),
                dir.resolve("dense.safetensors"), clipDir.resolve("tokenizer.json"), 512, null))
                .isInstanceOf(OcularException.class).hasMessageContaining("WordPiece");
        assertThatThrownBy(() -> text.encodeText(List.of("ok", " "))).isInstanceOf(OcularException.class)
                .hasMessageContaining("empty");
        List<String> none = new ArrayList<>();
        assertThat(text.encodeText(none)).isEmpty();
    }
}
