package io.ocular.store;
// Longer than 600 lines: the catalog contract (files, moments, models, batches, migrations) that every backend
// must pass; PostgreSQL runs the same tests through a subclass.

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.ocular.store.CatalogFixtures.MODEL_A;
import static io.ocular.store.CatalogFixtures.MODEL_B;
import static io.ocular.store.CatalogFixtures.image;
import static io.ocular.store.CatalogFixtures.randomVector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The catalog contract, run here against the SQLite file and, by subclasses, against the other catalogs
 * ({@code PostgresCatalogTest}, {@code PgvectorCatalogTest}); tests of SQLite-only behaviour are overridden there.
 */
class SqliteCatalogTest {

    @TempDir
    Path tmp;

    Path photos;
    Catalog catalog;

    @BeforeEach
    void open() {
        photos = tmp.resolve("photos");
        catalog = openCatalog();
    }

    /** Opens the catalog under test (again, for the reopening test: the same storage). */
    Catalog openCatalog() {
        return SqliteCatalog.open(tmp.resolve("data/catalog.db"));
    }

    int latestSchemaVersion() {
        return new Migrations().latestVersion();
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    // ---- folders -------------------------------------------------------------------------------

    @Test
    void addFolderNormalisesAndIsIdempotent() {
        FolderRecord f = catalog.addFolder(photos.resolve("2021/../2020/./"));
        FolderRecord again = catalog.addFolder(photos.resolve("2020"));

        assertThat(f.path()).isEqualTo(photos.resolve("2020").toAbsolutePath());
        assertThat(again.id()).isEqualTo(f.id());
        assertThat(again.addedAt()).isEqualTo(f.addedAt());
        assertThat(catalog.folders()).containsExactly(f);
    }

    @Test
    void imagesReadsManyIdsInOneGoAndLeavesOutUnknownOnes() {
        FolderRecord a = catalog.addFolder(photos.resolve("a"));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 1500; i++) { // more than SQLite's default host-parameter limit of old versions (999)
            ids.add(catalog.upsertImage(image(a.id(), photos.resolve("a/" + i + ".jpg"))).id());
        }
        List<Long> asked = new ArrayList<>(ids.subList(0, 1200));
        asked.add(-5L);
        asked.add(999_999L);
        var found = catalog.images(asked);
        assertThat(found).hasSize(1200).doesNotContainKeys(-5L, 999_999L);
        assertThat(found.get(ids.get(7)).path()).isEqualTo(photos.resolve("a/7.jpg").toAbsolutePath());
        assertThat(found.get(ids.get(7))).isEqualTo(catalog.image(ids.get(7)).orElseThrow());
        assertThat(catalog.images(List.of())).isEmpty();
    }

    @Test
    void foldersReportTheirImageAndSkippedCounts() {
        FolderRecord a = catalog.addFolder(photos.resolve("a"));
        FolderRecord b = catalog.addFolder(photos.resolve("b"));
        catalog.upsertImage(image(a.id(), photos.resolve("a/1.jpg")));
        catalog.upsertImage(image(a.id(), photos.resolve("a/2.jpg"), null, ImageStatus.SKIPPED));
        catalog.upsertImage(image(b.id(), photos.resolve("b/1.jpg"), null, ImageStatus.INDEXED));

        assertThat(catalog.folders()).extracting(FolderRecord::path, FolderRecord::imageCount, FolderRecord::skippedCount)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(a.path(), 2L, 1L),
                        org.assertj.core.groups.Tuple.tuple(b.path(), 1L, 0L));
    }

    @Test
    void removingAFolderCascadesToItsImagesVectorsAndData() {
        catalog.registerModel(MODEL_A);
        FolderRecord a = catalog.addFolder(photos.resolve("a"));
        FolderRecord b = catalog.addFolder(photos.resolve("b"));
        Random r = new Random(1);
        List<ImageRecord> inA = catalog.commitBatch(
                List.of(image(a.id(), photos.resolve("a/1.jpg")), image(a.id(), photos.resolve("a/2.jpg"))),
                MODEL_A.id(), List.of(randomVector(r, 8), randomVector(r, 8)));
        List<ImageRecord> inB = catalog.commitBatch(List.of(image(b.id(), photos.resolve("b/1.jpg"))),
                MODEL_A.id(), List.of(randomVector(r, 8)));
        catalog.putImageData(inA.get(0).id(), "delf", new byte[]{1, 2, 3});
        catalog.putImageData(inB.get(0).id(), "delf", new byte[]{4});

        catalog.removeFolder(a.id());

        assertThat(catalog.folders()).extracting(FolderRecord::id).containsExactly(b.id());
        assertThat(catalog.image(inA.get(0).id())).isEmpty();
        assertThat(catalog.imagesInFolder(a.id())).isEmpty();
        assertThat(catalog.embedding(inA.get(0).id(), MODEL_A.id())).isEmpty();
        assertThat(catalog.countEmbeddings(MODEL_A.id())).isEqualTo(1);
        assertThat(catalog.loadEmbeddings(MODEL_A.id()).ids()).containsExactly(inB.get(0).id());
        assertThat(catalog.countImageData("delf")).isEqualTo(1);
        assertThat(catalog.imageData(inB.get(0).id(), "delf")).contains(new byte[]{4});
    }

    // ---- images --------------------------------------------------------------------------------

    @Test
    void upsertInsertsThenUpdatesByPath() {
        FolderRecord f = catalog.addFolder(photos);
        ImageRecord first = catalog.upsertImage(image(f.id(), photos.resolve("x/../a.jpg")));
        assertThat(first.id()).isPositive();
        assertThat(first.path()).isEqualTo(photos.resolve("a.jpg"));
        assertThat(catalog.image(first.id())).contains(first);
        assertThat(catalog.imageByPath(photos.resolve("./a.jpg"))).contains(first);

        ImageRecord indexed = new ImageRecord(0, f.id(), photos.resolve("a.jpg"), 1234, 1_700_000_000_000L, "h1",
                4000, 3000, null, 8, ImageStatus.INDEXED, null);
        ImageRecord second = catalog.upsertImage(indexed);

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(catalog.image(first.id())).contains(indexed.withId(first.id()));
        assertThat(catalog.imagesInFolder(f.id())).hasSize(1);
    }

    @Test
    void imageFieldsRoundTrip() {
        FolderRecord f = catalog.addFolder(photos);
        ImageRecord full = new ImageRecord(0, f.id(), photos.resolve("full.jpg"), Long.MAX_VALUE / 3, -5L,
                "abcdef0123456789", 123, 456, Instant.parse("1999-12-31T23:59:58.123Z"), 5, ImageStatus.SKIPPED,
                "truncated JPEG");
        ImageRecord stored = catalog.upsertImage(full);
        assertThat(catalog.image(stored.id())).contains(full.withId(stored.id()));
        assertThat(catalog.image(stored.id() + 1000)).isEmpty();
        assertThat(catalog.imageByPath(photos.resolve("missing.jpg"))).isEmpty();
    }

    @Test
    void countsAndListsSkippedImagesWithReasons() {
        FolderRecord f = catalog.addFolder(photos);
        for (int i = 0; i < 5; i++) {
            catalog.upsertImage(image(f.id(), photos.resolve("s" + i + ".jpg"), null, ImageStatus.SKIPPED));
        }
        catalog.upsertImage(image(f.id(), photos.resolve("p.jpg")));
        catalog.upsertImage(image(f.id(), photos.resolve("i.jpg"), "h", ImageStatus.INDEXED));

        assertThat(catalog.countImages(ImageStatus.SKIPPED)).isEqualTo(5);
        assertThat(catalog.countImages(ImageStatus.PENDING)).isEqualTo(1);
        assertThat(catalog.countImages(ImageStatus.INDEXED)).isEqualTo(1);
        assertThat(catalog.skippedImages(3)).hasSize(3)
                .allSatisfy(r -> assertThat(r.skipReason()).isEqualTo("not an image"))
                .extracting(r -> r.path().getFileName().toString()).containsExactly("s0.jpg", "s1.jpg", "s2.jpg");
        assertThat(catalog.skippedImages(0)).isEmpty();
    }

    @Test
    void imagesByHashFindsEveryCopy() {
        FolderRecord f = catalog.addFolder(photos);
        ImageRecord a = catalog.upsertImage(image(f.id(), photos.resolve("a.jpg"), "same", ImageStatus.INDEXED));
        ImageRecord b = catalog.upsertImage(image(f.id(), photos.resolve("copy/a.jpg"), "same", ImageStatus.INDEXED));
        catalog.upsertImage(image(f.id(), photos.resolve("other.jpg"), "other", ImageStatus.INDEXED));
        catalog.upsertImage(image(f.id(), photos.resolve("unhashed.jpg")));

        assertThat(catalog.imagesByHash("same")).extracting(ImageRecord::id).containsExactly(a.id(), b.id());
        assertThat(catalog.imagesByHash("nothing")).isEmpty();
    }

    @Test
    void deleteImagesDropsTheirVectorsAndData() {
        catalog.registerModel(MODEL_A);
        FolderRecord f = catalog.addFolder(photos);
        Random r = new Random(2);
        List<ImageRecord> stored = catalog.commitBatch(
                List.of(image(f.id(), photos.resolve("1.jpg")), image(f.id(), photos.resolve("2.jpg"))),
                MODEL_A.id(), List.of(randomVector(r, 8), randomVector(r, 8)));
        catalog.putImageData(stored.get(0).id(), "code", new byte[]{9});

        catalog.deleteImages(List.of(stored.get(0).id()));
        catalog.deleteImages(List.of());

        assertThat(catalog.image(stored.get(0).id())).isEmpty();
        assertThat(catalog.countEmbeddings(MODEL_A.id())).isEqualTo(1);
        assertThat(catalog.countImageData("code")).isZero();
        assertThat(catalog.image(stored.get(1).id())).isPresent();
    }

    @Test
    void newContentAtAKnownPathDropsStaleVectorsButTheSameContentKeepsThem() {
        catalog.registerModel(MODEL_A);
        FolderRecord f = catalog.addFolder(photos);
        ImageRecord original = image(f.id(), photos.resolve("a.jpg"), "h1", ImageStatus.INDEXED);
        ImageRecord stored = catalog.commitBatch(List.of(original), MODEL_A.id(),
                List.of(randomVector(new Random(3), 8))).get(0);
        catalog.putImageData(stored.id(), "delf", new byte[]{1});

        // touched (new mtime) but the same content: keep
        catalog.upsertImage(new ImageRecord(0, f.id(), original.path(), original.size(), original.mtimeMillis() + 1,
                "h1", 640, 480, null, 1, ImageStatus.INDEXED, null));
        assertThat(catalog.embedding(stored.id(), MODEL_A.id())).isPresent();
        assertThat(catalog.imageData(stored.id(), "delf")).isPresent();

        // edited: the old vector described other pixels
        ImageRecord edited = catalog.upsertImage(new ImageRecord(0, f.id(), original.path(), 999,
                original.mtimeMillis() + 2, "h2", 640, 480, null, 1, ImageStatus.PENDING, null));
        assertThat(edited.id()).isEqualTo(stored.id());
        assertThat(catalog.embedding(stored.id(), MODEL_A.id())).isEmpty();
        assertThat(catalog.imageData(stored.id(), "delf")).isEmpty();
        assertThat(catalog.imagesWithoutEmbedding(MODEL_A.id())).containsExactly(stored.id());
    }

    @Test
    void moveImageKeepsIdVectorsAndData() {
        catalog.registerModel(MODEL_A);
        FolderRecord a = catalog.addFolder(photos.resolve("a"));
        FolderRecord b = catalog.addFolder(photos.resolve("b"));
        float[] v = randomVector(new Random(4), 8);
        ImageRecord stored = catalog.commitBatch(List.of(image(a.id(), photos.resolve("a/x.jpg"), "h", ImageStatus.INDEXED)),
                MODEL_A.id(), Collections.singletonList(v)).get(0);
        catalog.putImageData(stored.id(), "delf", new byte[]{7, 7});

        catalog.moveImage(stored.id(), b.id(), photos.resolve("b/renamed.jpg"), 1234, 42L);

        ImageRecord moved = catalog.image(stored.id()).orElseThrow();
        assertThat(moved.path()).isEqualTo(photos.resolve("b/renamed.jpg"));
        assertThat(moved.folderId()).isEqualTo(b.id());
        assertThat(moved.mtimeMillis()).isEqualTo(42L);
        assertThat(moved.contentHash()).isEqualTo("h");
        assertThat(catalog.imageByPath(photos.resolve("a/x.jpg"))).isEmpty();
        assertThat(catalog.embedding(stored.id(), MODEL_A.id())).hasValueSatisfying(w -> assertThat(w).containsExactly(v));
        assertThat(catalog.imageData(stored.id(), "delf")).contains(new byte[]{7, 7});
    }

    @Test
    void moveOntoAPathAlreadyCataloguedReplacesThatRow() {
        FolderRecord f = catalog.addFolder(photos);
        ImageRecord old = catalog.upsertImage(image(f.id(), photos.resolve("old.jpg"), "h", ImageStatus.INDEXED));
        ImageRecord seenFirst = catalog.upsertImage(image(f.id(), photos.resolve("new.jpg")));

        catalog.moveImage(old.id(), f.id(), photos.resolve("new.jpg"), 1234, 1L);

        assertThat(catalog.imageByPath(photos.resolve("new.jpg"))).map(ImageRecord::id).contains(old.id());
        assertThat(catalog.image(seenFirst.id())).isEmpty();
        assertThat(catalog.imagesInFolder(f.id())).hasSize(1);
    }

    @Test
    void movingAnUnknownImageFailsClearlyAndChangesNothing() {
        FolderRecord f = catalog.addFolder(photos);
        ImageRecord there = catalog.upsertImage(image(f.id(), photos.resolve("there.jpg")));

        assertThatThrownBy(() -> catalog.moveImage(there.id() + 99, f.id(), photos.resolve("there.jpg"), 1, 1))
                .isInstanceOf(OcularException.class).hasMessageContaining("no longer in the catalog");
        assertThat(catalog.image(there.id())).isPresent(); // the DELETE of the destination was rolled back
    }

    @Test
    void nonAsciiPathsRoundTripExactly() {
        Path dir = photos.resolve("Ünïcödé 日本語");
        String nfc = Normalizer.normalize("café фото 🎉.jpg", Normalizer.Form.NFC);
        String nfd = Normalizer.normalize("café фото 🎉.jpg", Normalizer.Form.NFD);
        FolderRecord f = catalog.addFolder(dir);
        ImageRecord a = catalog.upsertImage(image(f.id(), dir.resolve(nfc)));
        ImageRecord b = catalog.upsertImage(image(f.id(), dir.resolve(nfd)));

        assertThat(a.id()).isNotEqualTo(b.id()); // two distinct names on disk stay two files
        assertThat(catalog.folders().get(0).path().toString()).isEqualTo(dir.toAbsolutePath().toString());
        assertThat(catalog.image(a.id()).orElseThrow().path().getFileName().toString()).isEqualTo(nfc);
        assertThat(catalog.image(b.id()).orElseThrow().path().getFileName().toString()).isEqualTo(nfd);
        assertThat(catalog.imageByPath(dir.resolve(nfd))).map(ImageRecord::id).contains(b.id());
    }

    // ---- models and settings -------------------------------------------------------------------

    @Test
    void registersModelsAndTheActiveOne() {
        catalog.registerModel(MODEL_B);
        catalog.registerModel(MODEL_A);
        catalog.registerModel(MODEL_A);

        assertThat(catalog.models()).containsExactly(MODEL_A, MODEL_B);
        assertThat(catalog.model("model-b")).contains(MODEL_B);
        assertThat(catalog.model("nope")).isEmpty();
        assertThat(catalog.activeModelId()).isEmpty();

        catalog.setActiveModelId("model-b");
        assertThat(catalog.activeModelId()).contains("model-b");
        assertThatThrownBy(() -> catalog.setActiveModelId("unknown"))
                .isInstanceOf(OcularException.class).hasMessageContaining("not registered");
        assertThat(catalog.activeModelId()).contains("model-b");
    }

    @Test
    void reRegisteringAModelWithOtherWeightsDropsItsVectorsOnly() {
        catalog.registerModel(MODEL_A);
        catalog.registerModel(MODEL_B);
        FolderRecord f = catalog.addFolder(photos);
        Random r = new Random(5);
        ImageRecord img = catalog.commitBatch(List.of(image(f.id(), photos.resolve("a.jpg"))), MODEL_A.id(),
                List.of(randomVector(r, 8))).get(0);
        catalog.commitBatch(List.of(img), MODEL_B.id(), List.of(randomVector(r, 5)));

        catalog.registerModel(new ModelInfo("model-a", "Model A (renamed)", ModelKind.IMAGE, 8, "sha-a"));
        assertThat(catalog.countEmbeddings(MODEL_A.id())).isEqualTo(1);

        catalog.registerModel(new ModelInfo("model-a", "Model A v2", ModelKind.IMAGE, 8, "sha-a2"));
        assertThat(catalog.countEmbeddings(MODEL_A.id())).isZero();
        assertThat(catalog.countEmbeddings(MODEL_B.id())).isEqualTo(1);
        assertThat(catalog.model("model-a").orElseThrow().name()).isEqualTo("Model A v2");
    }

    @Test
    void settingsPutGetOverwriteRemove() {
        assertThat(catalog.setting("daemon.checkpoint")).isEmpty();
        catalog.putSetting("daemon.checkpoint", "42");
        catalog.putSetting("daemon.checkpoint", "43 ✓");
        assertThat(catalog.setting("daemon.checkpoint")).contains("43 ✓");
        catalog.putSetting("daemon.checkpoint", null);
        assertThat(catalog.setting("daemon.checkpoint")).isEmpty();
    }

    // ---- batches and vectors -------------------------------------------------------------------

    @Test
    void commitBatchStoresImagesAndVectorsAndNullMeansNoVector() {
        catalog.registerModel(MODEL_A);
        FolderRecord f = catalog.addFolder(photos);
        float[] v = randomVector(new Random(6), 8);
        List<ImageRecord> stored = catalog.commitBatch(
                List.of(image(f.id(), photos.resolve("1.jpg"), "h1", ImageStatus.INDEXED),
                        image(f.id(), photos.resolve("2.jpg"), null, ImageStatus.SKIPPED)),
                MODEL_A.id(), java.util.Arrays.asList(v, null));

        assertThat(stored).extracting(ImageRecord::id).doesNotContain(0L).doesNotHaveDuplicates();
        assertThat(catalog.embedding(stored.get(0).id(), MODEL_A.id())).hasValueSatisfying(w -> assertThat(w).containsExactly(v));
        assertThat(catalog.embedding(stored.get(1).id(), MODEL_A.id())).isEmpty();
        assertThat(catalog.countImages(ImageStatus.SKIPPED)).isEqualTo(1);
        assertThat(catalog.commitBatch(List.of(), MODEL_A.id(), List.of())).isEmpty();
    }

    @Test
    void commitBatchIsAllOrNothingWhenItFailsMidway() {
        catalog.registerModel(MODEL_A);
        FolderRecord f = catalog.addFolder(photos);
        Random r = new Random(7);
        ImageRecord before = catalog.commitBatch(List.of(image(f.id(), photos.resolve("before.jpg"))),
                MODEL_A.id(), List.of(randomVector(r, 8))).get(0);

        List<ImageRecord> images = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            // image 6 names a folder that does not exist: the insert fails after six rows were written
            long folder = i == 6 ? f.id() + 1000 : f.id();
            images.add(image(folder, photos.resolve("batch/" + i + ".jpg")));
            vectors.add(randomVector(r, 8));
        }
        // the batch also re-stores the earlier image with new content, which would drop its vector
        images.set(0, new ImageRecord(0, f.id(), photos.resolve("before.jpg"), 1, 2, "new", 0, 0, null, 1,
                ImageStatus.PENDING, null));

        assertThatThrownBy(() -> catalog.commitBatch(images, MODEL_A.id(), vectors))
                .isInstanceOf(OcularException.class);

        assertThat(catalog.imagesInFolder(f.id())).containsExactly(before);
        assertThat(catalog.countEmbeddings(MODEL_A.id())).isEqualTo(1);
        assertThat(catalog.embedding(before.id(), MODEL_A.id())).isPresent();

        // and the catalog still works afterwards
        assertThat(catalog.commitBatch(images.subList(1, 6), MODEL_A.id(), vectors.subList(1, 6))).hasSize(5);
        assertThat(catalog.countEmbeddings(MODEL_A.id())).isEqualTo(6);
    }

    @Test
    void rejectsNonFiniteValuesWrongDimensionsAndUnknownModels() {
        catalog.registerModel(MODEL_A);
        FolderRecord f = catalog.addFolder(photos);
        ImageRecord a = image(f.id(), photos.resolve("a.jpg"));
        ImageRecord b = image(f.id(), photos.resolve("b.jpg"));
        float[] good = randomVector(new Random(8), 8);
        float[] nan = good.clone();
        nan[3] = Float.NaN;
        float[] inf = good.clone();
        inf[7] = Float.NEGATIVE_INFINITY;

        assertThatThrownBy(() -> catalog.commitBatch(List.of(a, b), MODEL_A.id(), List.of(good, nan)))
                .isInstanceOf(OcularException.class)
                .hasMessageContaining("NaN").hasMessageContaining("position 3").hasMessageContaining("b.jpg");
        assertThatThrownBy(() -> catalog.commitBatch(List.of(a, b), MODEL_A.id(), List.of(good, inf)))
                .isInstanceOf(OcularException.class).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> catalog.commitBatch(List.of(a), MODEL_A.id(), List.of(new float[5])))
                .isInstanceOf(OcularException.class).hasMessageContaining("5 values").hasMessageContaining("8");
        assertThatThrownBy(() -> catalog.commitBatch(List.of(a), "unregistered", List.of(good)))
                .isInstanceOf(OcularException.class).hasMessageContaining("not registered");
        assertThatThrownBy(() -> catalog.commitBatch(List.of(a, b), MODEL_A.id(), List.of(good)))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(catalog.imagesInFolder(f.id())).isEmpty();
        assertThat(catalog.countEmbeddings(MODEL_A.id())).isZero();
    }

    @Test
    void loadEmbeddingsMatchesWhatWasWrittenBitForBitAndNeverMixesModels() {
        catalog.registerModel(MODEL_A);
        catalog.registerModel(MODEL_B);
        FolderRecord f = catalog.addFolder(photos);
        Random r = new Random(9);
        float[] special = {-0.0f, 0.0f, Float.MIN_VALUE, -Float.MIN_NORMAL / 3, Float.MAX_VALUE, -Float.MAX_VALUE,
                1e-38f, Float.intBitsToFloat(0x3f800001)};
        List<ImageRecord> images = new ArrayList<>();
        List<float[]> vectorsA = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            images.add(image(f.id(), photos.resolve(i + ".jpg")));
            vectorsA.add(i == 17 ? special : randomVector(r, 8));
        }
        List<ImageRecord> stored = catalog.commitBatch(images, MODEL_A.id(), vectorsA);
        // model B only for every third image
        List<ImageRecord> bImages = new ArrayList<>();
        List<float[]> vectorsB = new ArrayList<>();
        for (int i = 0; i < 50; i += 3) {
            bImages.add(images.get(i));
            vectorsB.add(randomVector(r, 5));
        }
        catalog.commitBatch(bImages, MODEL_B.id(), vectorsB);

        EmbeddingMatrix a = catalog.loadEmbeddings(MODEL_A.id());
        assertThat(a.modelId()).isEqualTo(MODEL_A.id());
        assertThat(a.dimension()).isEqualTo(8);
        assertThat(a.rows()).isEqualTo(50);
        assertThat(a.data()).hasSize(50 * 8);
        for (int i = 0; i < 50; i++) {
            assertThat(a.ids()[i]).isEqualTo(stored.get(i).id());
            assertThat(bits(a.row(i))).containsExactly(bits(vectorsA.get(i)));
        }
        EmbeddingMatrix b = catalog.loadEmbeddings(MODEL_B.id());
        assertThat(b.dimension()).isEqualTo(5);
        assertThat(b.rows()).isEqualTo(vectorsB.size());
        for (int i = 0; i < b.rows(); i++) {
            assertThat(b.ids()[i]).isEqualTo(stored.get(3 * i).id());
            assertThat(bits(b.row(i))).containsExactly(bits(vectorsB.get(i)));
        }
        assertThat(bits(catalog.embedding(stored.get(17).id(), MODEL_A.id()).orElseThrow())).containsExactly(bits(special));
    }

    @Test
    void loadEmbeddingsOfAModelWithoutVectorsIsEmptyAndOfAnUnknownModelFails() {
        catalog.registerModel(MODEL_B);
        EmbeddingMatrix empty = catalog.loadEmbeddings(MODEL_B.id());
        assertThat(empty.rows()).isZero();
        assertThat(empty.dimension()).isEqualTo(5);
        assertThatThrownBy(() -> catalog.loadEmbeddings("unknown"))
                .isInstanceOf(OcularException.class).hasMessageContaining("not registered");
    }

    @Test
    void imagesWithoutEmbeddingAfterSwitchingModel() {
        catalog.registerModel(MODEL_A);
        FolderRecord f = catalog.addFolder(photos);
        Random r = new Random(10);
        List<ImageRecord> images = List.of(
                image(f.id(), photos.resolve("1.jpg"), "h1", ImageStatus.INDEXED),
                image(f.id(), photos.resolve("2.jpg"), "h2", ImageStatus.INDEXED),
                image(f.id(), photos.resolve("3.jpg"), "h3", ImageStatus.INDEXED));
        List<ImageRecord> stored = catalog.commitBatch(images, MODEL_A.id(),
                List.of(randomVector(r, 8), randomVector(r, 8), randomVector(r, 8)));
        ImageRecord skipped = catalog.upsertImage(image(f.id(), photos.resolve("bad.jpg"), null, ImageStatus.SKIPPED));
        ImageRecord pending = catalog.upsertImage(image(f.id(), photos.resolve("new.jpg")));
        assertThat(catalog.imagesWithoutEmbedding(MODEL_A.id())).containsExactly(pending.id());

        catalog.registerModel(MODEL_B);
        catalog.setActiveModelId(MODEL_B.id());
        assertThat(catalog.imagesWithoutEmbedding(MODEL_B.id()))
                .containsExactly(stored.get(0).id(), stored.get(1).id(), stored.get(2).id(), pending.id())
                .doesNotContain(skipped.id());

        catalog.commitBatch(List.of(stored.get(1)), MODEL_B.id(), List.of(randomVector(r, 5)));
        assertThat(catalog.imagesWithoutEmbedding(MODEL_B.id()))
                .containsExactly(stored.get(0).id(), stored.get(2).id(), pending.id());
        assertThat(catalog.countEmbeddings(MODEL_A.id())).isEqualTo(3);
    }

    // ---- derived per-image data ----------------------------------------------------------------

    @Test
    void imageDataPutReplaceCountDeleteByKind() {
        FolderRecord f = catalog.addFolder(photos);
        ImageRecord a = catalog.upsertImage(image(f.id(), photos.resolve("a.jpg")));
        ImageRecord b = catalog.upsertImage(image(f.id(), photos.resolve("b.jpg")));
        catalog.putImageData(a.id(), "delf", new byte[]{1, 2});
        catalog.putImageData(a.id(), "delf", new byte[]{3});
        catalog.putImageData(b.id(), "delf", new byte[0]);
        catalog.putImageData(a.id(), "pq16", new byte[]{(byte) 0xff, 0});

        assertThat(catalog.imageData(a.id(), "delf")).contains(new byte[]{3});
        assertThat(catalog.imageData(b.id(), "delf")).contains(new byte[0]);
        assertThat(catalog.imageData(b.id(), "pq16")).isEmpty();
        assertThat(catalog.countImageData("delf")).isEqualTo(2);

        catalog.deleteImageData("delf");
        assertThat(catalog.countImageData("delf")).isZero();
        assertThat(catalog.imageData(a.id(), "pq16")).contains(new byte[]{(byte) 0xff, 0});

        assertThatThrownBy(() -> catalog.putImageData(b.id() + 100, "delf", new byte[1]))
                .isInstanceOf(OcularException.class).hasMessageContaining("no longer in the catalog");
    }

    @Test
    void statsCountEverything() {
        catalog.registerModel(MODEL_A);
        catalog.registerModel(MODEL_B);
        FolderRecord f = catalog.addFolder(photos);
        ImageRecord a = catalog.commitBatch(List.of(image(f.id(), photos.resolve("a.jpg"), "h", ImageStatus.INDEXED)),
                MODEL_A.id(), List.of(randomVector(new Random(11), 8))).get(0);
        catalog.upsertImage(image(f.id(), photos.resolve("b.jpg")));
        catalog.upsertImage(image(f.id(), photos.resolve("c.jpg"), null, ImageStatus.SKIPPED));
        catalog.putImageData(a.id(), "delf", new byte[10]);

        CatalogStats s = catalog.stats();
        assertThat(s.schemaVersion()).isEqualTo(latestSchemaVersion());
        assertThat(s.folders()).isEqualTo(1);
        assertThat(s.indexedImages()).isEqualTo(1);
        assertThat(s.pendingImages()).isEqualTo(1);
        assertThat(s.skippedImages()).isEqualTo(1);
        assertThat(s.totalImages()).isEqualTo(3);
        assertThat(s.embeddingsByModel()).containsEntry("model-a", 1L).containsEntry("model-b", 0L).hasSize(2);
        assertThat(s.imageDataByKind()).containsExactlyEntriesOf(java.util.Map.of("delf", 1L));
        assertThat(s.fileBytes()).isPositive();
    }

    // ---- persistence and WAL -------------------------------------------------------------------

    @Test
    void everythingSurvivesReopening() {
        catalog.registerModel(MODEL_A);
        catalog.setActiveModelId(MODEL_A.id());
        FolderRecord f = catalog.addFolder(photos);
        float[] v = randomVector(new Random(12), 8);
        ImageRecord img = catalog.commitBatch(List.of(image(f.id(), photos.resolve("a.jpg"))), MODEL_A.id(),
                List.of(v)).get(0);
        catalog.close();
        catalog.close(); // idempotent

        catalog = openCatalog();
        assertThat(catalog.folders()).containsExactly(new FolderRecord(f.id(), f.path(), f.addedAt(), 1, 0));
        assertThat(catalog.image(img.id())).contains(img);
        assertThat(catalog.activeModelId()).contains(MODEL_A.id());
        assertThat(catalog.embedding(img.id(), MODEL_A.id())).hasValueSatisfying(w -> assertThat(w).containsExactly(v));
    }

    @Test
    void readersAreNotBlockedByAnOpenWriteTransactionAndSeeOnlyCommittedData() throws Exception {
        FolderRecord f = catalog.addFolder(photos);
        catalog.upsertImage(image(f.id(), photos.resolve("committed.jpg")));
        // another writer (e.g. a second process) holds the write lock with uncommitted rows
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + ((SqliteCatalog) catalog).file());
             Statement st = other.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            st.executeUpdate("INSERT INTO images(folder_id, path, size, mtime, status) VALUES ("
                    + f.id() + ", '/uncommitted.jpg', 1, 1, 'PENDING')");

            // with a rollback journal this would wait out the busy timeout and then fail
            assertThat(catalog.countImages(ImageStatus.PENDING)).isEqualTo(1);
            assertThat(catalog.imagesInFolder(f.id())).hasSize(1);

            st.execute("COMMIT");
        }
        assertThat(catalog.countImages(ImageStatus.PENDING)).isEqualTo(2);
    }

    @Test
    void closedCatalogRefusesWork() {
        catalog.close();
        assertThatThrownBy(() -> catalog.folders()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> catalog.putSetting("k", "v")).isInstanceOf(IllegalStateException.class);
    }

    private static int[] bits(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.floatToRawIntBits(v[i]);
        }
        return out;
    }
}
