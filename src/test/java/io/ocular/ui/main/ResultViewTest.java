package io.ocular.ui.main;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ResultViewTest {
    record Hit(String name, Path path, Instant date, double score) {
    }

    private static final Path A = Path.of("/lib/a").toAbsolutePath();
    private static final Path B = Path.of("/lib/b").toAbsolutePath();
    // in relevance order
    private final List<Hit> hits = List.of(
            new Hit("h1", A.resolve("1.jpg"), Instant.parse("2020-06-01T12:00:00Z"), 0.95),
            new Hit("h2", B.resolve("x/2.jpg"), Instant.parse("2023-01-01T12:00:00Z"), 0.90),
            new Hit("h3", A.resolve("3.jpg"), Instant.parse("2021-12-31T23:00:00Z"), 0.80),
            new Hit("h4", B.resolve("4.jpg"), Instant.parse("2019-02-02T12:00:00Z"), 0.40));

    private List<String> apply(ResultView v) {
        return v.apply(hits, Hit::path, Hit::date, Hit::score, ZoneOffset.UTC).stream().map(Hit::name).toList();
    }

    @Test
    void relevanceKeepsTheSearchOrderAndDateSortsNewestOrOldestFirst() {
        assertThat(apply(ResultView.DEFAULT)).containsExactly("h1", "h2", "h3", "h4");
        assertThat(apply(ResultView.DEFAULT.withOrder(ResultView.Order.NEWEST))).containsExactly("h2", "h3", "h1", "h4");
        assertThat(apply(ResultView.DEFAULT.withOrder(ResultView.Order.OLDEST))).containsExactly("h4", "h1", "h3", "h2");
        assertThat(ResultView.DEFAULT.filters()).isFalse();
    }

    @Test
    void foldersKeepTheirSubFolders() {
        assertThat(apply(ResultView.DEFAULT.withFolders(Set.of(B)))).containsExactly("h2", "h4");
        assertThat(apply(ResultView.DEFAULT.withFolders(Set.of(A, B)))).hasSize(4);
        assertThat(apply(ResultView.DEFAULT.withFolders(Set.of(B.resolve("x"))))).containsExactly("h2");
    }

    @Test
    void theDateRangeIsInclusiveAndMayBeOpen() {
        assertThat(apply(ResultView.DEFAULT.withDates(LocalDate.of(2020, 6, 1), LocalDate.of(2021, 12, 31))))
                .containsExactly("h1", "h3");
        assertThat(apply(ResultView.DEFAULT.withDates(LocalDate.of(2021, 1, 1), null))).containsExactly("h2", "h3");
        assertThat(apply(ResultView.DEFAULT.withDates(null, LocalDate.of(2019, 12, 31)))).containsExactly("h4");
        // given the wrong way round, the range is swapped rather than empty
        assertThat(apply(ResultView.DEFAULT.withDates(LocalDate.of(2021, 12, 31), LocalDate.of(2020, 6, 1))))
                .containsExactly("h1", "h3");
    }

    @Test
    void closeMatchesAreThoseNearTheBestScore() {
        ResultView close = ResultView.DEFAULT.withCloseOnly(true);
        assertThat(close.filters()).isTrue();
        assertThat(apply(close)).containsExactly("h1", "h2"); // >= 0.9 * 0.95
        // relative to the best of what the other filters keep
        assertThat(apply(close.withFolders(Set.of(A)))).containsExactly("h1");
        assertThat(apply(close.withFolders(Set.of(B)))).containsExactly("h2");
        // no scores (browsing): nothing is dropped
        List<Hit> browsing = hits.stream().map(h -> new Hit(h.name(), h.path(), h.date(), Double.NaN)).toList();
        assertThat(close.apply(browsing, Hit::path, Hit::date, Hit::score, ZoneOffset.UTC)).hasSize(4);
    }
}
