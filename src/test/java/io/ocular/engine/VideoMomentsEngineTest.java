package io.ocular.engine;

import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.store.SqliteCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Moments of videos in the engine: the live index follows them, duplicates compare files. */
class VideoMomentsEngineTest {
    @TempDir
    Path tmp;

    private static ImageRecord file(long folder, Path p, long durationMs) {
        return new ImageRecord(0, folder, p, 1, 1, null, 0, 0, null, 1, ImageStatus.INDEXED, null,
                ImageRecord.NO_FRAME, durationMs);
    }

    /** The video row and its moments at 0, 5 and 10 s, every moment with {@code v}. */
    private static List<ImageRecord> commitVideo(LiveIndexCatalogCommit c, long folder, Path p, float[] v) {
        ImageRecord video = file(folder, p, 12_000);
        List<ImageRecord> rows = new ArrayList<>(List.of(video, video.moment(0), video.moment(5000), video.moment(10_000)));
        List<float[]> vectors = new ArrayList<>();
        vectors.add(null);
        vectors.add(v);
        vectors.add(v);
        vectors.add(v);
        return c.commit(rows, vectors);
    }

    @FunctionalInterface
    interface LiveIndexCatalogCommit {
        List<ImageRecord> commit(List<ImageRecord> rows, List<float[]> vectors);
    }

    @Test
    void theLiveIndexDropsMomentsOfReindexedAndDeletedVideos() {
        LiveIndexCatalogTest.MapIndex index = new LiveIndexCatalogTest.MapIndex();
        try (SqliteCatalog sqlite = SqliteCatalog.open(tmp.resolve("c.db"))) {
            sqlite.registerModel(new ModelInfo("m", "m", ModelKind.IMAGE, 2, "x"));
            LiveIndexCatalog c = new LiveIndexCatalog(sqlite, "m", index);
            long folder = c.addFolder(tmp).id();
            Path clip = tmp.resolve("clip.mp4");
            List<ImageRecord> first = commitVideo((r, v) -> c.commitBatch(r, "m", v), folder, clip, new float[] {1, 0});
            assertThat(index.size()).isEqualTo(3).isEqualTo(sqlite.countEmbeddings("m"));
            assertThat(index.vectors).doesNotContainKey(first.get(0).id());

            // indexed again (another model run): the old moments leave the index, the new ones are in it
            List<ImageRecord> again = commitVideo((r, v) -> c.commitBatch(r, "m", v), folder, clip, new float[] {0, 1});
            assertThat(index.vectors.keySet()).containsExactlyInAnyOrderElementsOf(
                    again.subList(1, 4).stream().map(ImageRecord::id).toList());
            assertThat(index.vectors.values()).allSatisfy(v -> assertThat(v).containsExactly(0, 1));

            c.deleteImages(List.of(again.get(0).id()));
            assertThat(index.size()).isZero();
            assertThat(sqlite.countEmbeddings("m")).isZero();

            commitVideo((r, v) -> c.commitBatch(r, "m", v), folder, clip, new float[] {1, 0});
            c.removeFolder(folder);
            assertThat(index.size()).isZero();
        }
    }

    @Test
    void duplicatesListFilesNeverTwoScenesOfOneVideoNorAPhotoBesideAFrame() {
        try (SqliteCatalog c = SqliteCatalog.open(tmp.resolve("c.db"))) {
            c.registerModel(new ModelInfo("m", "m", ModelKind.IMAGE, 2, "x"));
            long folder = c.addFolder(tmp).id();
            float[] same = {1, 0};
            float[] other = {0, 1};
            c.commitBatch(List.of(file(folder, tmp.resolve("a.jpg"), 0), file(folder, tmp.resolve("a copy.jpg"), 0),
                    file(folder, tmp.resolve("still.jpg"), 0)), "m", List.of(same, same, other));
            commitVideo((r, v) -> c.commitBatch(r, "m", v), folder, tmp.resolve("clip.mp4"), other);
            commitVideo((r, v) -> c.commitBatch(r, "m", v), folder, tmp.resolve("clip copy.mp4"), other);

            List<DuplicateService.Group> groups = new DuplicateService(c, () -> "m").find(0.95);
            List<List<String>> names = groups.stream().map(g -> g.members().stream()
                    .map(m -> m.path().getFileName().toString()).sorted().toList()).toList();
            assertThat(names).containsExactlyInAnyOrder(List.of("a copy.jpg", "a.jpg"),
                    List.of("clip copy.mp4", "clip.mp4"));
        }
    }
}
