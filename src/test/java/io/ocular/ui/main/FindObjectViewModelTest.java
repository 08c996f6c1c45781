package io.ocular.ui.main;

import io.ocular.model.Query;
import io.ocular.model.SearchHit;
import io.ocular.model.Verification;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.fakes.FakeSearchService;
import io.ocular.ui.fakes.UiTestCatalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** "Find this object": a verified search, each result's check, "no confident match", the match picture. */
class FindObjectViewModelTest {
    final UiTestCatalog catalog = new UiTestCatalog();
    final FakeSearchService search = new FakeSearchService(catalog);
    final Notifications notes = new Notifications();
    final SearchViewModel vm = new SearchViewModel(search, UiExecutors.direct(), notes, 1000, ids -> Map.of(),
            ZoneOffset.UTC);
    final List<Long> drawn = new ArrayList<>();
    final MatchViewModel match = new MatchViewModel((q, id, h) -> {
        drawn.add(id);
        return new BufferedImage(2 * h, h, BufferedImage.TYPE_INT_RGB);
    }, UiExecutors.direct(), notes);
    final Path photos = Path.of("/photos").toAbsolutePath();
    final List<Long> ids = new ArrayList<>();

    @BeforeEach
    void library() {
        catalog.setActiveModelId("fake");
        long f = catalog.addFolder(photos).id();
        for (String name : List.of("tower.jpg", "beach a.jpg", "city.jpg", "beach b.jpg", "forest.jpg")) {
            ids.add(catalog.addPhoto(f, photos.resolve(name), new float[] {1, 0},
                    Instant.parse("2020-01-01T00:00:00Z"), 0).id());
        }
    }

    /** The n-th photo (1: tower, 2: beach a, 3: city, ...). */
    private ResultItem item(int n) {
        long id = ids.get(n - 1);
        return new ResultItem(catalog.image(id).map(r -> new SearchHit(id, r.path(), 1f)).orElseThrow());
    }

    @Test
    void findThisObjectRunsTheVerifiedSearchAndEachResultSaysHowItWent() {
        vm.findObject(item(1));

        assertThat(search.queries).containsExactly(new Query.ByImage(ids.get(0)));
        assertThat(search.options.get(0).verify()).isTrue();
        assertThat(search.options.get(0).rotations()).isTrue();
        assertThat(vm.verifiedProperty().get()).isTrue();
        Map<String, Verification.Check> checks = new HashMap<>();
        vm.results().forEach(r -> checks.put(r.path().getFileName().toString(), r.check()));
        assertThat(checks).containsEntry("beach a.jpg", Verification.Check.VERIFIED)
                .containsEntry("beach b.jpg", Verification.Check.VERIFIED)
                .containsEntry("city.jpg", Verification.Check.NO_FEATURES)
                .containsEntry("forest.jpg", Verification.Check.NOT_VERIFIED);
        assertThat(vm.statusProperty().get()).contains("2 verified");
        assertThat(notes.current()).isNull();

        // a plain search afterwards is not verified
        vm.moreLikeThis(item(2));
        assertThat(search.options.get(1).verify()).isFalse();
        assertThat(vm.results()).allMatch(r -> r.check() == null);
        assertThat(vm.verifiedProperty().get()).isFalse();
    }

    @Test
    void noConfidentMatchIsSaidPlainly() {
        search.verifiedWord = null;
        vm.findObject(item(1));
        assertThat(vm.results()).isNotEmpty().allMatch(r -> r.check() != Verification.Check.VERIFIED);
        assertThat(notes.current().text()).isEqualTo(SearchViewModel.NO_CONFIDENT_MATCH);
    }

    @Test
    void theFiltersStillApplyAndFeedbackKeepsVerifying() {
        vm.viewProperty().set(ResultView.DEFAULT.withFolders(Set.of(photos)));
        vm.findObject(item(1));
        assertThat(search.options.get(0).scope().folders()).containsExactly(photos);
        vm.mark(vm.results().get(0), Mark.RELEVANT);
        vm.refine();
        assertThat(search.options.get(1).verify()).as("refining a verified search verifies again").isTrue();
    }

    @Test
    void theMatchPictureOpensForACheckedResultOnly() {
        vm.findObject(item(1));
        ResultItem verified = vm.results().stream().filter(r -> r.check() == Verification.Check.VERIFIED)
                .findFirst().orElseThrow();
        match.show(vm.baseQuery(), verified);
        assertThat(drawn).containsExactly(verified.id());
        assertThat(match.pictureProperty().get().item()).isSameAs(verified);
        match.close();
        assertThat(match.pictureProperty().get()).isNull();

        ResultItem city = vm.results().stream().filter(r -> r.check() == Verification.Check.NO_FEATURES)
                .findFirst().orElseThrow();
        match.show(vm.baseQuery(), city);
        assertThat(drawn).hasSize(1);
        assertThat(notes.current().text()).contains("no local features");

        match.show(new Query.ByImage(ids.get(0)), item(3)); // a result of a plain search
        assertThat(drawn).hasSize(1);
        assertThat(notes.current().text()).contains("Find this object first");
    }
}
