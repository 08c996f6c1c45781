package io.ocular.index;

import io.ocular.embed.ImageEncoder;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.testing.FakeImageEncoder;
import io.ocular.testing.InMemoryCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Decode → embed with the one-by-one fallback, and move detection, without threads. */
class BatchEmbedderTest {
    @TempDir
    Path dir;

    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final List<String> problems = new ArrayList<>();
    private final BatchEmbedder embedder = new BatchEmbedder(catalog, new ContentHasher(), new ImageDecoder(),
            FileAccess.system(), new BatchEmbedder.Events() {
                @Override
                public void current(Path file) {
                }

                @Override
                public void modelFailed(IndexJob job, String message) {
                    problems.add(message);
                }
            }, null);

    /** Fails on any call that includes a pure red image, and on every call when broken. */
    private static final class PickyEncoder implements ImageEncoder {
        final List<Integer> calls = new ArrayList<>();
        boolean broken;

        @Override
        public String modelId() {
            return "picky";
        }

        @Override
        public int dimension() {
            return FakeImageEncoder.DIMENSION;
        }

        @Override
        public int preferredShortSide() {
            return 32;
        }

        @Override
        public float[][] encode(List<BufferedImage> images) {
            calls.add(images.size());
            for (BufferedImage img : images) {
                if (broken || img.getRGB(1, 1) == Color.RED.getRGB()) {
                    throw new IllegalStateException("poison");
                }
            }
            return images.stream().map(FakeImageEncoder::vector).toArray(float[][]::new);
        }

        @Override
        public void close() {
        }
    }

    private WorkItem item(IndexJob job, Path file) throws Exception {
        return new WorkItem(new FolderScanner.FoundFile(file, Files.size(file), Files.getLastModifiedTime(file).toMillis()),
                null, 1, job);
    }

    @Test
    void aPoisonImageIsSkippedAloneAndTheRestOfTheBatchIsEmbedded() throws Exception {
        PickyEncoder encoder = new PickyEncoder();
        IndexJob job = new IndexJob(0, encoder);
        Path ok1 = TestImages.write(TestImages.seeded(1, 40, 30), "png", dir.resolve("a.png"));
        Path poison = TestImages.write(TestImages.solid(40, 30, Color.RED), "png", dir.resolve("b.png"));
        Path ok2 = TestImages.write(TestImages.seeded(2, 40, 30), "png", dir.resolve("c.png"));
        Path text = Files.writeString(dir.resolve("d.jpg"), "not an image");

        EmbeddedBatch b = embedder.embed(job, List.of(item(job, ok1), item(job, poison), item(job, ok2), item(job, text)));

        assertThat(encoder.calls).as("one batch call, then one call per image").containsExactly(3, 1, 1, 1);
        assertThat(b.items()).isEqualTo(4);
        assertThat(b.records()).extracting(ImageRecord::path, ImageRecord::status).containsExactlyInAnyOrder(
                tuple(ok1, ImageStatus.INDEXED),
                tuple(poison, ImageStatus.SKIPPED),
                tuple(ok2, ImageStatus.INDEXED),
                tuple(text, ImageStatus.SKIPPED));
        for (int i = 0; i < b.records().size(); i++) {
            assertThat(b.vectors().get(i) == null).isEqualTo(b.records().get(i).status() == ImageStatus.SKIPPED);
        }
        assertThat(job.hasModelFailed()).isFalse();
        assertThat(problems).isEmpty();
    }

    @Test
    void aModelFailingOnEveryImageMarksNothingAndFailsTheJob() throws Exception {
        PickyEncoder encoder = new PickyEncoder();
        encoder.broken = true;
        IndexJob job = new IndexJob(0, encoder);
        Path a = TestImages.write(TestImages.seeded(1, 40, 30), "png", dir.resolve("a.png"));
        assertThat(embedder.embed(job, List.of(item(job, a)))).isNull();
        assertThat(job.hasModelFailed()).isTrue();
        assertThat(problems).containsExactly("the image model failed: poison");
    }

    @Test
    void aNewPathWithTheContentOfAVanishedImageIsAMoveNotAnEmbedding() throws Exception {
        FakeImageEncoder encoder = new FakeImageEncoder();
        IndexJob job = new IndexJob(0, encoder);
        Path moved = TestImages.write(TestImages.seeded(3, 40, 30), "png", dir.resolve("new.png"));
        long folder = catalog.addFolder(dir).id();
        catalog.registerModel(new ModelInfo(encoder.modelId(), "fake", ModelKind.IMAGE, encoder.dimension(), ""));
        ImageRecord old = new ImageRecord(0, folder, dir.resolve("old.png"), Files.size(moved), 1,
                new ContentHasher().hash(moved), 40, 30, null, 1, ImageStatus.INDEXED, null);
        catalog.commitBatch(List.of(old), encoder.modelId(), List.of(new float[FakeImageEncoder.DIMENSION]));
        long id = catalog.imageByPath(old.path()).orElseThrow().id();

        EmbeddedBatch b = embedder.embed(job, List.of(item(job, moved)));

        assertThat(b.records()).isEmpty();
        assertThat(b.moves()).extracting(EmbeddedBatch.Move::imageId, EmbeddedBatch.Move::path)
                .containsExactly(tuple(id, moved));
        assertThat(encoder.encodedCount()).isZero();
        b.apply(catalog, f -> false);
        assertThat(catalog.imageByPath(moved).orElseThrow().id()).isEqualTo(id);
    }
}
