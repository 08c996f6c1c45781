package io.ocular.store;

import io.ocular.model.ComposeMark;
import io.ocular.model.FolderRecord;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static io.ocular.store.CatalogFixtures.MODEL_A;
import static io.ocular.store.CatalogFixtures.MODEL_B;
import static io.ocular.store.CatalogFixtures.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The compose-marks part of the catalog contract (the user's relevant / not-relevant verdicts on composed-search
 * results, issue 19), on the SQLite file here and on PostgreSQL / pgvector through the subclasses.
 */
class ComposeMarksCatalogTest {
    private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");

    @TempDir
    Path tmp;

    Catalog catalog;
    long ref;
    long target;
    long other;

    Catalog openCatalog() {
        return SqliteCatalog.open(tmp.resolve("data/catalog.db"));
    }

    @BeforeEach
    void open() {
        catalog = openCatalog();
        catalog.registerModel(MODEL_A);
        catalog.registerModel(MODEL_B);
        FolderRecord f = catalog.addFolder(tmp.resolve("photos"));
        ref = catalog.upsertImage(image(f.id(), tmp.resolve("photos/ref.jpg"))).id();
        target = catalog.upsertImage(image(f.id(), tmp.resolve("photos/target.jpg"))).id();
        other = catalog.upsertImage(image(f.id(), tmp.resolve("photos/other.jpg"))).id();
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    private ComposeMark mark(String model, long to, boolean relevant, int second) {
        return new ComposeMark(model, ref, "at night", to, relevant, 0.4, T.plusSeconds(second));
    }

    @Test
    void marksAreKeptPerModelAndMarkingAgainReplacesTheVerdict() {
        catalog.putComposeMark(mark(MODEL_A.id(), target, true, 1));
        catalog.putComposeMark(mark(MODEL_A.id(), other, false, 2));
        catalog.putComposeMark(mark(MODEL_B.id(), target, true, 3));

        assertThat(catalog.composeMarks(MODEL_A.id())).containsExactly(mark(MODEL_A.id(), target, true, 1),
                mark(MODEL_A.id(), other, false, 2));
        assertThat(catalog.countComposeMarks(MODEL_A.id(), true)).isEqualTo(1);
        assertThat(catalog.countComposeMarks(MODEL_A.id(), false)).isEqualTo(1);

        catalog.putComposeMark(mark(MODEL_A.id(), other, true, 4)); // the user changed their mind
        assertThat(catalog.composeMarks(MODEL_A.id())).hasSize(2).contains(mark(MODEL_A.id(), other, true, 4));
        assertThat(catalog.countComposeMarks(MODEL_A.id(), true)).isEqualTo(2);
        assertThat(catalog.countComposeMarks(MODEL_A.id(), false)).isZero();
        assertThat(catalog.composeMarks(MODEL_B.id())).containsExactly(mark(MODEL_B.id(), target, true, 3));
    }

    @Test
    void theWordsAreKeptAsTypedButStrippedAndEveryCharacterSurvives() {
        catalog.putComposeMark(new ComposeMark(MODEL_A.id(), ref, "  밤에, but 'red' \"quoted\" ; DROP TABLE x  ",
                target, true, 1.0, T));
        assertThat(catalog.composeMarks(MODEL_A.id())).extracting(ComposeMark::modification)
                .containsExactly("밤에, but 'red' \"quoted\" ; DROP TABLE x");
        assertThat(catalog.deleteComposeMark(MODEL_A.id(), ref, "밤에, but 'red' \"quoted\" ; DROP TABLE x", target))
                .isTrue();
        assertThat(catalog.composeMarks(MODEL_A.id())).isEmpty();
        assertThat(catalog.deleteComposeMark(MODEL_A.id(), ref, "anything", target)).isFalse();
    }

    @Test
    void forgettingDeletesOneModelsMarksOrAll() {
        catalog.putComposeMark(mark(MODEL_A.id(), target, true, 1));
        catalog.putComposeMark(mark(MODEL_A.id(), other, false, 2));
        catalog.putComposeMark(mark(MODEL_B.id(), target, true, 3));

        assertThat(catalog.forgetComposeMarks(MODEL_A.id())).isEqualTo(2);
        assertThat(catalog.composeMarks(MODEL_A.id())).isEmpty();
        assertThat(catalog.composeMarks(MODEL_B.id())).hasSize(1);
        assertThat(catalog.forgetComposeMarks(null)).isEqualTo(1);
        assertThat(catalog.composeMarks(MODEL_B.id())).isEmpty();
    }

    @Test
    void marksGoWithTheirPhotosAndSurviveReopening() {
        catalog.putComposeMark(mark(MODEL_A.id(), target, true, 1));
        catalog.putComposeMark(mark(MODEL_A.id(), other, false, 2));
        catalog.deleteImages(List.of(other));
        assertThat(catalog.composeMarks(MODEL_A.id())).containsExactly(mark(MODEL_A.id(), target, true, 1));

        catalog.close();
        catalog = openCatalog();
        assertThat(catalog.composeMarks(MODEL_A.id())).containsExactly(mark(MODEL_A.id(), target, true, 1));
        catalog.deleteImages(List.of(ref)); // the reference gone: its marks go too
        assertThat(catalog.composeMarks(MODEL_A.id())).isEmpty();
    }

    @Test
    void aMarkOnAnUnknownPhotoOrModelIsRefusedWithAMessageAndKeepsNothing() {
        assertThatThrownBy(() -> catalog.putComposeMark(mark(MODEL_A.id(), 999_999L, true, 1)))
                .isInstanceOf(OcularException.class).hasMessageContaining("no longer in the library");
        assertThatThrownBy(() -> catalog.putComposeMark(mark("not-a-model", target, true, 1)))
                .isInstanceOf(OcularException.class).hasMessageContaining("not-a-model");
        assertThat(catalog.composeMarks(MODEL_A.id())).isEmpty();
    }

    @Test
    void aMarkWithoutWordsOrWithAWeightOutsideZeroToOneCannotBeMade() {
        assertThatThrownBy(() -> new ComposeMark(MODEL_A.id(), ref, "   ", target, true, 0.5, T))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("words");
        assertThatThrownBy(() -> new ComposeMark(MODEL_A.id(), ref, "x", target, true, Double.NaN, T))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight");
        assertThatThrownBy(() -> new ComposeMark(MODEL_A.id(), ref, "x".repeat(1001), target, true, 0.5, T))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000");
    }
}
