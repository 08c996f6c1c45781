package io.ocular.search;

import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import io.ocular.model.Query;
import io.ocular.model.ScoredId;
import io.ocular.model.SearchHit;
import io.ocular.model.SearchOptions;
import io.ocular.model.SearchResult;
import io.ocular.model.SearchScope;
import io.ocular.testing.InMemoryCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * "More like this" (a library photo as the example) with database-side augmentation in {@link RotatingSearchService}:
 * neighbours searched at query time, scores equal to {@link DatabaseAugmentation#build} over the whole library.
 */
class MoreLikeThisAugmentationTest {
    private final ScanPool pool = new ScanPool(1);
    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final ExactIndex index = new ExactIndex(4, pool);
    private final List<float[]> vectors = new ArrayList<>();
    /** Only a file from outside the library can be read (a library photo searches by its stored vector). */
    private final QueryImageLoader loader = p -> {
        if (!p.equals(Path.of("/elsewhere/red.jpg"))) {
            throw new OcularException("no library file should be read: the example's stored vector is used");
        }
        BufferedImage red = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = red.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 8, 8);
        g.dispose();
        return red;
    };

    private void image(long id, float... v) {
        float[] u = VectorMath.normalise(v);
        ImageRecord rec = new ImageRecord(0, 1, Path.of("/lib/" + id + ".jpg"), 1, 0, null, 8, 8, null, 1,
                ImageStatus.INDEXED, null);
        List<ImageRecord> stored = catalog.commitBatch(List.of(rec), FakeEncoders.MODEL,
                Collections.singletonList(u));
        assertThat(stored.get(0).id()).isEqualTo(id);
        index.add(id, u);
        vectors.add(u);
    }

    @BeforeEach
    void library() {
        catalog.registerModel(new ModelInfo(FakeEncoders.MODEL, "fake", ModelKind.IMAGE_TEXT, 4, "test"));
        catalog.addFolder(Path.of("/lib"));
        image(1, 1f, 0, 0, 0);            // the example
        image(2, 0.6f, 0.8f, 0, 0);       // its nearest neighbour is the example: same scene, another view
        image(3, 0.62f, 0, 0.785f, 0);    // closer to the example, but its nearest neighbour is 4
        image(4, 0.5f, 0, 0.866f, 0);
        image(5, 0, 0, 0, 1f);
    }

    @AfterEach
    void stop() {
        pool.close();
    }

    private SearchService service(int neighbours) {
        DefaultSearchService plain = new DefaultSearchService(catalog, () -> index, new FakeEncoders.Image(),
                Optional.empty(), loader);
        return new RotatingSearchService(plain, catalog, () -> index, new FakeEncoders.Image(), loader, 0,
                neighbours, DatabaseAugmentation.DEFAULT_ALPHA);
    }

    private static List<Long> ids(SearchResult r) {
        return r.hits().stream().map(SearchHit::imageId).toList();
    }

    @Test
    void aLibraryPhotoAsTheExampleIsAugmentedLikeTheFullBuild() {
        SearchOptions moreLikeThis = SearchOptions.DEFAULT; // rotations off: the stored vector, one view
        SearchResult plain = service(1).search(new Query.ByImage(1), 4, moreLikeThis.withAugment(false));
        assertThat(ids(plain)).containsExactly(3L, 2L, 4L, 5L);

        SearchResult augmented = service(1).search(new Query.ByImage(1), 4, moreLikeThis);
        assertThat(ids(augmented)).containsExactly(2L, 3L, 4L, 5L);
        // the same scores as augmenting every library vector explicitly (DatabaseAugmentation.build, whose
        // equivalence with explicit augmentation DatabaseAugmentationTest checks)
        long[] all = {1, 2, 3, 4, 5};
        DatabaseAugmentation full = DatabaseAugmentation.build(all, vectors.toArray(new float[0][]), 1,
                DatabaseAugmentation.DEFAULT_ALPHA);
        float[] q = vectors.get(0);
        List<ScoredId> first = new ArrayList<>();
        for (long id = 2; id <= 5; id++) {
            first.add(new ScoredId(id, VectorMath.dot(q, vectors.get((int) id - 1))));
        }
        List<ScoredId> want = full.rescore(first, id -> VectorMath.dot(q, vectors.get((int) (long) id - 1)));
        assertThat(ids(augmented)).containsExactlyElementsOf(want.stream().map(ScoredId::id).toList());
        for (int i = 0; i < want.size(); i++) {
            assertThat(augmented.hits().get(i).score()).isCloseTo(want.get(i).score(), within(1e-5f));
        }
    }

    @Test
    void offWhenTurnedOffOrNotConfiguredAndTheScopeStillApplies() {
        assertThat(ids(service(0).search(new Query.ByImage(1), 4, SearchOptions.DEFAULT))).containsExactly(3L, 2L, 4L, 5L);
        // the scope leaves 3 out of the results, not out of the neighbours: 4 still joins 3's evidence
        SearchOptions without3 = SearchOptions.DEFAULT.withScope(new SearchScope(Set.of(), null, null, Set.of(3L)));
        SearchResult r = service(1).search(new Query.ByImage(1), 3, without3);
        assertThat(ids(r)).containsExactly(2L, 4L, 5L);
        assertThat(r.hits().get(1).score()).isGreaterThan(0.5f); // 4 alone would score 0.5
    }

    @Test
    void aFileFromOutsideTheLibraryIsNotAugmented() {
        // not a library photo: the plain order (photo 1 first, then 3 before 2), whatever the option says
        Query outside = new Query.ByFile(Path.of("/elsewhere/red.jpg"));
        assertThat(ids(service(1).search(outside, 3, SearchOptions.DEFAULT))).containsExactly(1L, 3L, 2L);
        assertThat(ids(service(1).search(outside, 3, SearchOptions.DEFAULT.withAugment(false))))
                .containsExactly(1L, 3L, 2L);
    }
}
