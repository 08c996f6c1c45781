package io.ocular.store;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.ocular.store.CatalogFixtures.MODEL_A;
import static io.ocular.store.CatalogFixtures.image;
import static io.ocular.store.CatalogFixtures.randomVector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Videos in the catalog (SQLite schema version 3, PostgreSQL version 2): one file row, moments with their times and
 * vectors. Run against PostgreSQL by {@code PostgresVideoMomentsTest} and {@code PgvectorVideoMomentsTest}.
 */
class VideoMomentsCatalogTest {

    @TempDir
    Path tmp;

    Catalog catalog;
    private FolderRecord folder;
    private final Random random = new Random(7);

    @BeforeEach
    void open() {
        catalog = openCatalog();
        folder = catalog.addFolder(tmp.resolve("lib"));
        catalog.registerModel(MODEL_A);
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    /** The catalog under test (PostgreSQL in the subclasses). */
    Catalog openCatalog() {
        return SqliteCatalog.open(tmp.resolve("data/catalog.db"));
    }

    /** The catalog's own integrity check where it has one. */
    void assertIntact() {
        assertThat(CatalogCheck.check(((SqliteCatalog) catalog).file()).problems())
                .allSatisfy((problem, n) -> assertThat(n).as(problem).isZero());
    }

    private ImageRecord video(Path path, String hash, long durationMs) {
        return new ImageRecord(0, folder.id(), path, 5000, 1_700_000_000_000L, hash, 1920, 1080, null, 1,
                ImageStatus.INDEXED, null, ImageRecord.NO_FRAME, durationMs);
    }

    /** Commits the video row and one moment per time, as the daemon does; returns the stored records. */
    private List<ImageRecord> commitVideo(ImageRecord video, long... times) {
        List<ImageRecord> rows = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        rows.add(video);
        vectors.add(null);
        for (long t : times) {
            rows.add(video.moment(t));
            vectors.add(randomVector(random, MODEL_A.dimension()));
        }
        return catalog.commitBatch(rows, MODEL_A.id(), vectors);
    }

    @Test
    void aVideoIsOneFileWithMomentsThatCarryTheVectors() {
        Path clip = tmp.resolve("lib/clip.mp4");
        catalog.commitBatch(List.of(image(folder.id(), tmp.resolve("lib/a.jpg"), "h1", ImageStatus.INDEXED)),
                MODEL_A.id(), List.of(randomVector(random, MODEL_A.dimension())));
        List<ImageRecord> stored = commitVideo(video(clip, "hv", 61_000), 0, 42_000, 55_500);

        ImageRecord file = catalog.imageByPath(clip).orElseThrow();
        assertThat(file.isVideoFile()).isTrue();
        assertThat(file.durationMs()).isEqualTo(61_000);
        assertThat(file.id()).isEqualTo(stored.get(0).id());
        assertThat(catalog.moments(file.id())).extracting(ImageRecord::frameMs).containsExactly(0L, 42_000L, 55_500L);
        assertThat(catalog.moments(file.id())).allSatisfy(m -> {
            assertThat(m.path()).isEqualTo(clip);
            assertThat(m.durationMs()).isEqualTo(61_000);
            assertThat(m.isMoment()).isTrue();
        });
        // files: the photo and the video; vectors: the photo and three moments
        assertThat(catalog.imagesInFolder(folder.id())).extracting(ImageRecord::path)
                .containsExactly(tmp.resolve("lib/a.jpg"), clip);
        assertThat(catalog.countImages(ImageStatus.INDEXED)).isEqualTo(2);
        assertThat(catalog.folders().get(0).imageCount()).isEqualTo(2);
        assertThat(catalog.stats().indexedImages()).isEqualTo(2);
        assertThat(catalog.imagesByHash("hv")).extracting(ImageRecord::id).containsExactly(file.id());
        EmbeddingMatrix m = catalog.loadEmbeddings(MODEL_A.id());
        assertThat(m.ids()).hasSize(4).doesNotContain(file.id());
        assertThat(catalog.images(Arrays.stream(m.ids()).boxed().toList()).values())
                .filteredOn(ImageRecord::isMoment).extracting(ImageRecord::frameMs).contains(42_000L);
        // the video needs no embedding with this model, but does with another
        assertThat(catalog.imagesWithoutEmbedding(MODEL_A.id())).isEmpty();
        catalog.registerModel(CatalogFixtures.MODEL_B);
        assertThat(catalog.imagesWithoutEmbedding(CatalogFixtures.MODEL_B.id())).contains(file.id())
                .doesNotContainAnyElementsOf(catalog.moments(file.id()).stream().map(ImageRecord::id).toList());
        // derived-data passes (local features) see photos only
        assertThat(catalog.imagesWithoutImageData("delf")).hasSize(1).doesNotContain(file.id());
        catalog.setActiveModelId(MODEL_A.id());
        assertIntact();
    }

    /** The counts read indexes only (all rows less the moments), so they must still leave every moment out. */
    @Test
    void folderAndStatusCountsLeaveMomentsOutInEveryFolder() {
        FolderRecord other = catalog.addFolder(tmp.resolve("other"));
        catalog.commitBatch(List.of(image(folder.id(), tmp.resolve("lib/a.jpg"), "h1", ImageStatus.INDEXED),
                        image(folder.id(), tmp.resolve("lib/bad.jpg"), "h2", ImageStatus.SKIPPED)),
                MODEL_A.id(), Arrays.asList(randomVector(random, MODEL_A.dimension()), null));
        commitVideo(video(tmp.resolve("lib/clip.mp4"), "hv", 61_000), 0, 42_000, 55_500);
        commitVideo(new ImageRecord(0, other.id(), tmp.resolve("other/b.mp4"), 5000, 1_700_000_000_000L, "hb", 1920,
                1080, null, 1, ImageStatus.INDEXED, null, ImageRecord.NO_FRAME, 9_000L), 0, 4_000);
        catalog.upsertImage(image(other.id(), tmp.resolve("other/p.jpg"), "h3", ImageStatus.PENDING));

        assertThat(catalog.folders()).extracting(FolderRecord::path, FolderRecord::imageCount, FolderRecord::skippedCount)
                .containsExactly(tuple(tmp.resolve("lib"), 3L, 1L),
                        tuple(tmp.resolve("other"), 2L, 0L));
        assertThat(catalog.countImages(ImageStatus.INDEXED)).isEqualTo(3); // a.jpg and the two videos
        assertThat(catalog.countImages(ImageStatus.SKIPPED)).isEqualTo(1);
        assertThat(catalog.countImages(ImageStatus.PENDING)).isEqualTo(1);
        assertThat(catalog.stats()).extracting(CatalogStats::indexedImages, CatalogStats::skippedImages,
                CatalogStats::pendingImages).containsExactly(3L, 1L, 1L);
        assertThat(catalog.addFolder(tmp.resolve("lib")).imageCount()).isEqualTo(3); // the one-folder form
    }

    @Test
    void reindexingAVideoReplacesItsMomentsAndNewContentOrASkipDropsThem() {
        Path clip = tmp.resolve("lib/clip.mp4");
        long id = commitVideo(video(clip, "hv", 30_000), 0, 10_000, 20_000).get(0).id();
        commitVideo(video(clip, "hv", 30_000), 0, 15_000);
        assertThat(catalog.moments(id)).extracting(ImageRecord::frameMs).containsExactly(0L, 15_000L);
        assertThat(catalog.countEmbeddings(MODEL_A.id())).isEqualTo(2);

        // the file row alone (e.g. a move re-checked) keeps them
        catalog.upsertImage(video(clip, "hv", 30_000));
        assertThat(catalog.moments(id)).hasSize(2);

        // new content: the old moments described old pictures
        catalog.upsertImage(video(clip, "other", 30_000));
        assertThat(catalog.moments(id)).isEmpty();
        assertThat(catalog.countEmbeddings(MODEL_A.id())).isZero();

        commitVideo(video(clip, "other", 30_000), 0);
        catalog.commitBatch(List.of(video(clip, "other", 30_000).withStatus(ImageStatus.SKIPPED, "corrupt video")),
                MODEL_A.id(), Collections.singletonList(null));
        assertThat(catalog.moments(id)).isEmpty();
        assertThat(catalog.skippedImages(5)).extracting(ImageRecord::skipReason).containsExactly("corrupt video");
    }

    @Test
    void movingAndDeletingAVideoTakesItsMomentsAlong() {
        Path clip = tmp.resolve("lib/clip.mp4");
        Path moved = tmp.resolve("lib/sub/holiday.mp4");
        long id = commitVideo(video(clip, "hv", 30_000), 0, 10_000).get(0).id();

        catalog.moveImage(id, folder.id(), moved, 5000, 1);
        assertThat(catalog.imageByPath(moved).orElseThrow().id()).isEqualTo(id);
        assertThat(catalog.imageByPath(clip)).isEmpty();
        assertThat(catalog.moments(id)).extracting(ImageRecord::path).containsOnly(moved);
        assertThat(catalog.countEmbeddings(MODEL_A.id())).isEqualTo(2); // vectors kept

        catalog.deleteImages(List.of(id));
        assertThat(catalog.moments(id)).isEmpty();
        assertThat(catalog.countEmbeddings(MODEL_A.id())).isZero();
        assertThat(catalog.imageByPath(moved)).isEmpty();
    }

    @Test
    void aMomentOfAVideoNotInTheCatalogRejectsTheBatch() {
        ImageRecord stray = video(tmp.resolve("lib/none.mp4"), "h", 1000).moment(0);
        assertThatThrownBy(() -> catalog.commitBatch(List.of(stray), MODEL_A.id(),
                List.of(randomVector(random, MODEL_A.dimension()))))
                .isInstanceOf(OcularException.class).hasMessageContaining("the video is not in the catalog");
        assertThat(catalog.countEmbeddings(MODEL_A.id())).isZero();
    }
}
