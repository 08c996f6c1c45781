package io.ocular.search;

import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import io.ocular.model.Query;
import io.ocular.model.SearchHit;
import io.ocular.model.SearchOptions;
import io.ocular.model.SearchResult;
import io.ocular.model.SearchScope;
import io.ocular.store.Catalog;
import io.ocular.testing.InMemoryCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DefaultSearchServiceTest {
    private final ScanPool pool = new ScanPool(1);
    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final ExactIndex index = new ExactIndex(4, pool);
    private final Map<Path, BufferedImage> files = new HashMap<>();
    private final QueryImageLoader loader = p -> {
        BufferedImage im = files.get(p.toAbsolutePath().normalize());
        if (im == null) {
            throw new OcularException("cannot read " + p + ": not an image");
        }
        return im;
    };

    /** Stores an image (ids are handed out 1, 2, 3 ... by the catalog) with its vector, or none. */
    private void image(long id, float... v) {
        float[] u = v.length == 0 ? null : VectorMath.normalise(v);
        ImageRecord rec = new ImageRecord(0, 1, Path.of("/lib/" + id + ".jpg"), 1, 0, null, 8, 8, null, 1,
                ImageStatus.INDEXED, null);
        List<ImageRecord> stored = catalog.commitBatch(List.of(rec), FakeEncoders.MODEL,
                java.util.Collections.singletonList(u));
        assertThat(stored.get(0).id()).isEqualTo(id);
        if (u != null) {
            index.add(id, u);
        }
    }

    private static BufferedImage solid(Color c) {
        BufferedImage im = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = im.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, 8, 8);
        g.dispose();
        return im;
    }

    @BeforeEach
    void library() {
        catalog.registerModel(new ModelInfo(FakeEncoders.MODEL, "fake", ModelKind.IMAGE_TEXT, 4, "test"));
        catalog.addFolder(Path.of("/lib"));
        image(1, 1f, 0.1f, 0, 0);       // red
        image(2, 0.9f, 0.3f, 0, 0);     // red, a little green
        image(3, 0.7f, 0.7f, 0, 0);     // red-green
        image(4, 0.1f, 1f, 0, 0);       // green
        image(5, 0, 0, 1f, 0);          // blue
        image(6, 0.6f, 0, 0.8f, 0);     // blue-red
        image(7, 0.8f, 0, 0, 0.6f);     // red, "other"
    }

    @AfterEach
    void stop() {
        pool.close();
    }

    private DefaultSearchService service(boolean withText) {
        return new DefaultSearchService(catalog, () -> index, new FakeEncoders.Image(),
                withText ? Optional.of(new FakeEncoders.Text()) : Optional.empty(), loader);
    }

    private static List<Long> ids(SearchResult r) {
        return r.hits().stream().map(SearchHit::imageId).toList();
    }

    @Test
    void byImageUsesTheStoredVectorAndLeavesTheImageOut() {
        SearchResult r = service(false).search(new Query.ByImage(1), 3);
        assertThat(ids(r)).containsExactly(2L, 7L, 3L);
        assertThat(r.hits().get(0).path()).isEqualTo(Path.of("/lib/2.jpg").toAbsolutePath());
        assertThat(r.modelId()).isEqualTo(FakeEncoders.MODEL);
        assertThat(r.notice()).isNull();
    }

    @Test
    void theScopeIsAppliedInsideTheSearchSoKResultsComeBack() {
        // the best three for image 1 are 2, 7, 3; leaving those out still gives three results
        SearchOptions without = SearchOptions.DEFAULT.withScope(new SearchScope(Set.of(), null, null, Set.of(2L, 7L, 3L)));
        assertThat(ids(service(false).search(new Query.ByImage(1), 3, without))).containsExactly(6L, 4L, 5L);
        // a folder with other photos (pending ones: not searchable yet) and a date range with none
        SearchOptions lib = SearchOptions.DEFAULT.withScope(new SearchScope(Set.of(Path.of("/lib")), null, null, Set.of()));
        assertThat(ids(service(false).search(new Query.ByImage(1), 3, lib))).containsExactly(2L, 7L, 3L);
        SearchOptions later = SearchOptions.DEFAULT.withScope(new SearchScope(Set.of(),
                Instant.parse("2000-01-01T00:00:00Z"), null, Set.of()));
        SearchResult none = service(false).search(new Query.ByImage(1), 3, later);
        assertThat(none.hits()).isEmpty();
        assertThat(none.notice()).isEqualTo("no photos in the chosen folders and dates");
        assertThatThrownBy(() -> service(false).search(new Query.ByImage(1), 3, SearchOptions.verified()))
                .isInstanceOf(OcularException.class).hasMessageContaining("not available");
    }

    @Test
    void byImageWithoutStoredVectorEncodesTheFile() {
        image(8, 0, 1f, 0, 0);
        image(9);
        files.put(Path.of("/lib/9.jpg").toAbsolutePath(), solid(Color.BLUE));
        assertThat(ids(service(false).search(new Query.ByImage(9), 2))).containsExactly(5L, 6L);
        assertThatThrownBy(() -> service(false).search(new Query.ByImage(404), 2))
                .isInstanceOf(OcularException.class).hasMessageContaining("not in the library");
    }

    @Test
    void byFileEncodesTheImageAndReportsUnreadableFiles() {
        Path outside = Path.of("/elsewhere/q.png");
        files.put(outside.toAbsolutePath(), solid(Color.GREEN));
        assertThat(ids(service(false).search(new Query.ByFile(outside), 1))).containsExactly(4L);
        // A library file used as the query is left out like ByImage.
        files.put(Path.of("/lib/5.jpg").toAbsolutePath(), solid(Color.BLUE));
        assertThat(ids(service(false).search(new Query.ByFile(Path.of("/lib/5.jpg")), 1))).containsExactly(6L);
        assertThatThrownBy(() -> service(false).search(new Query.ByFile(Path.of("/nope.jpg")), 3))
                .isInstanceOf(OcularException.class).hasMessageContaining("not an image");
    }

    @Test
    void byTextNeedsATextTowerAndWords() {
        assertThat(ids(service(true).search(new Query.ByText("a blue sky"), 2))).containsExactly(5L, 6L);
        assertThatThrownBy(() -> service(false).search(new Query.ByText("blue"), 3))
                .isInstanceOf(OcularException.class).hasMessageContaining("cannot read text")
                .hasMessageContaining("get CLIP").hasMessageContaining("ocular models download clip-vit-b32");
        assertThatThrownBy(() -> service(true).search(new Query.ByText("   "), 3))
                .isInstanceOf(OcularException.class).hasMessageContaining("type some words");
        assertThatThrownBy(() -> service(true).search(new Query.ByText("x".repeat(5000)), 3))
                .isInstanceOf(OcularException.class).hasMessageContaining("too long");
    }

    @Test
    void composedMovesTheImageQueryTowardsTheText() {
        DefaultSearchService s = service(true);
        // Red image + "blue": the blue-red image wins; the reference is left out.
        assertThat(ids(s.search(new Query.Composed(new Query.ByImage(1), "blue", 0.5), 2))).containsExactly(6L, 5L);
        // w = 0: exactly the image query; w = 1: exactly the text query (reference still left out).
        assertThat(ids(s.search(new Query.Composed(new Query.ByImage(1), "blue", 0.0), 6)))
                .isEqualTo(ids(s.search(new Query.ByImage(1), 6)));
        assertThat(ids(s.search(new Query.Composed(new Query.ByImage(5), "red", 1.0), 3)))
                .isEqualTo(ids(s.search(new Query.ByText("red"), 3)));
        assertThatThrownBy(() -> s.search(new Query.Composed(new Query.ByImage(1), "blue", 1.5), 3))
                .isInstanceOf(OcularException.class).hasMessageContaining("between 0");
        assertThatThrownBy(() -> s.search(new Query.Composed(new Query.ByImage(1), "blue", Double.NaN), 3))
                .isInstanceOf(OcularException.class);
        // Without a text tower only the image-only end works.
        assertThat(ids(service(false).search(new Query.Composed(new Query.ByImage(1), "blue", 0.0), 1)))
                .containsExactly(2L);
        assertThatThrownBy(() -> service(false).search(new Query.Composed(new Query.ByImage(1), "blue", 0.5), 3))
                .hasMessageContaining("cannot read text");
    }

    @Test
    void refinedPullsTowardsRelevantPushesOutIrrelevantAndUndoes() {
        DefaultSearchService s = service(false);
        Query base = new Query.ByImage(3);
        List<Long> before = ids(s.search(base, 3));
        assertThat(before.get(0)).isEqualTo(2L);
        Query.FeedbackRound round = new Query.FeedbackRound(Set.of(4L), Set.of(2L));
        List<Long> after = ids(s.search(new Query.Refined(base, List.of(round)), 3));
        assertThat(after).doesNotContain(2L, 3L);
        assertThat(after.get(0)).isEqualTo(4L);
        // Second round: blue is relevant now, the query moves further.
        Query.FeedbackRound blue = new Query.FeedbackRound(Set.of(5L, 6L), Set.of(7L));
        List<Long> two = ids(s.search(new Query.Refined(base, List.of(round, blue)), 6));
        assertThat(two).doesNotContain(2L, 3L, 7L).contains(5L, 6L);
        // Undo = fewer rounds.
        assertThat(ids(s.search(new Query.Refined(base, List.of(round)), 3))).isEqualTo(after);
        assertThat(ids(s.search(new Query.Refined(base, List.of()), 3))).isEqualTo(before);
    }

    @Test
    void deletedImagesAreSkippedAndEmptyIndexHasANotice() {
        catalog.deleteImages(List.of(2L)); // deleted from the catalog, still in the index
        assertThat(ids(service(false).search(new Query.ByImage(1), 2))).containsExactly(7L, 3L);
        ExactIndex empty = new ExactIndex(4, pool);
        DefaultSearchService s = new DefaultSearchService(catalog, () -> empty, new FakeEncoders.Image(),
                Optional.empty(), loader);
        SearchResult r = s.search(new Query.ByImage(1), 5);
        assertThat(r.hits()).isEmpty();
        assertThat(r.notice()).contains("no images are indexed");
        DefaultSearchService wrongDim = new DefaultSearchService(catalog, () -> new ExactIndex(8, pool),
                new FakeEncoders.Image(), Optional.empty(), loader);
        assertThatThrownBy(() -> wrongDim.search(new Query.ByImage(1), 5)).isInstanceOf(OcularException.class)
                .hasMessageContaining("re-index");
        assertThatThrownBy(() -> service(false).search(new Query.ByImage(1), 0)).isInstanceOf(OcularException.class);
    }

    @Test
    void rocchioAndComposerArithmetic() {
        float[] q = {1, 0, 0, 0};
        float[] r = Rocchio.DEFAULT.refine(q, List.of(new float[]{0, 1, 0, 0}), List.of(new float[]{0, 0, 1, 0}));
        float n = (float) Math.sqrt(1 + 0.75 * 0.75 + 0.15 * 0.15);
        assertThat(r).containsExactly(new float[]{1 / n, 0.75f / n, -0.15f / n, 0},
                org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(Rocchio.DEFAULT.refine(q, List.of(), List.of())).containsExactly(q);
        float[] c = new WeightedSumComposer().compose(q, new float[]{0, 1, 0, 0}, 0.25);
        float m = (float) Math.sqrt(0.75 * 0.75 + 0.25 * 0.25);
        assertThat(c).containsExactly(new float[]{0.75f / m, 0.25f / m, 0, 0}, org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void hitsAreReadInOneCatalogQueryAndExclusionsStillLeaveExactlyK() {
        AtomicInteger single = new AtomicInteger();
        AtomicInteger bulk = new AtomicInteger();
        Catalog counting = (Catalog) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Catalog.class}, (proxy, m, args) -> {
                    if (m.getName().equals("image")) {
                        single.incrementAndGet();
                    } else if (m.getName().equals("images")) {
                        bulk.incrementAndGet();
                    }
                    return m.invoke(catalog, args);
                });
        DefaultSearchService s = new DefaultSearchService(counting, () -> index, new FakeEncoders.Image(),
                Optional.empty(), loader);
        // refined: the query image and the images marked irrelevant are excluded; 3 of the other 4 come back
        SearchResult r = s.search(new Query.Refined(new Query.ByImage(1),
                List.of(new Query.FeedbackRound(Set.of(2L), Set.of(4L, 5L)))), 3);
        assertThat(r.hits()).hasSize(3);
        assertThat(ids(r)).doesNotContain(1L, 4L, 5L);
        assertThat(bulk.get()).isEqualTo(1);
        assertThat(single.get()).isZero();
    }

    @Test
    void anImageDeletedAfterItsVectorWasFoundIsLeftOutAndReplaced() {
        DefaultSearchService s = service(false);
        List<Long> before = ids(s.search(new Query.ByImage(1), 3));
        // the catalog row goes first, its vector a moment later (what the daemon does): the index still has it
        catalog.deleteImages(List.of(before.get(0)));
        SearchResult r = s.search(new Query.ByImage(1), 3);
        assertThat(r.hits()).hasSize(3);
        assertThat(ids(r)).doesNotContain(1L, before.get(0)).contains(before.get(1), before.get(2));
    }
}
