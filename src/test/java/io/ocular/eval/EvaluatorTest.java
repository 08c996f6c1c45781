package io.ocular.eval;

import io.ocular.model.OcularException;
import io.ocular.model.ScoredId;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EvaluatorTest {
    private final Map<Path, Long> ids = new HashMap<>();
    private final Map<Long, float[]> vectors = new HashMap<>();

    /** Unit vector at {@code degrees}: cosine similarity falls with the angle between two of them. */
    private Path image(String name, long id, double degrees) {
        Path p = Path.of("/data", name);
        ids.put(p, id);
        double r = Math.toRadians(degrees);
        vectors.put(id, new float[] {(float) Math.cos(r), (float) Math.sin(r)});
        return p;
    }

    /** Brute-force cosine search over the given ids (the reference any index is compared with). */
    private Evaluator.Searcher bruteForce(List<Long> database) {
        return (q, k) -> {
            List<ScoredId> all = new ArrayList<>();
            for (long id : database) {
                float[] v = vectors.get(id);
                all.add(new ScoredId(id, q[0] * v[0] + q[1] * v[1]));
            }
            all.sort(Comparator.comparingDouble(ScoredId::score).reversed());
            return all.subList(0, Math.min(k, all.size()));
        };
    }

    private GroundTruth twoClasses() {
        // angles: a1 0, a2 10, b3 40, a3 50, b2 75, b1 95
        Path a1 = image("a1", 1, 0), a2 = image("a2", 2, 10), a3 = image("a3", 3, 50);
        Path b1 = image("b1", 4, 95), b2 = image("b2", 5, 75), b3 = image("b3", 6, 40);
        List<Path> all = List.of(a1, a2, a3, b1, b2, b3);
        List<GroundTruth.QuerySpec> qs = List.of(
                new GroundTruth.QuerySpec(a1, Set.of(a2, a3), true), new GroundTruth.QuerySpec(a2, Set.of(a1, a3), true),
                new GroundTruth.QuerySpec(a3, Set.of(a1, a2), true), new GroundTruth.QuerySpec(b1, Set.of(b2, b3), true),
                new GroundTruth.QuerySpec(b2, Set.of(b1, b3), true), new GroundTruth.QuerySpec(b3, Set.of(b1, b2), true));
        return new GroundTruth("classes", all, all, qs,
                EnumSet.of(GroundTruth.Measure.MAP, GroundTruth.Measure.P_AT_10), 0);
    }

    @Test
    void classLevelMapMatchesHandComputation() {
        GroundTruth gt = twoClasses();
        EvalReport r = new Evaluator().evaluate(gt, ids, vectors::get, bruteForce(List.of(1L, 2L, 3L, 4L, 5L, 6L)));
        // a1, a2, b1, b2 find their class at ranks 1 and 3: (1 + 2/3)/2 ; a3 and b3 at ranks 3 and 5: (1/3 + 2/5)/2
        double good = (1 + 2.0 / 3) / 2, bad = (1.0 / 3 + 2.0 / 5) / 2;
        assertThat(r.mAP()).isCloseTo((4 * good + 2 * bad) / 6, within(1e-6));
        // 5 results per query (query excluded), both relevant ones among them: 2/10
        assertThat(r.precisionAt10()).isCloseTo(0.2, within(1e-9));
        assertThat(r.nsScore()).isNull();
        assertThat(r.queries()).isEqualTo(6);
        assertThat(r.images()).isEqualTo(6);
        assertThat(r.toJson()).contains("\"mAP\":0.677777", "\"P@10\":", "\"queries\":6", "\"images\":6")
                .doesNotContain("NS");
    }

    @Test
    void anImageWithoutVectorIsNotAQueryButStillCountsAsRelevant() {
        GroundTruth gt = twoClasses();
        vectors.remove(3L);
        ids.remove(Path.of("/data", "a3"));
        EvalReport r = new Evaluator().evaluate(gt, ids, vectors::get, bruteForce(List.of(1L, 2L, 4L, 5L, 6L)));
        assertThat(r.queries()).isEqualTo(5);
        assertThat(r.extras()).containsEntry("missing_queries", 1);
        // a1: a2, b3, b2, b1 -> a2 at rank 1, a3 missing: (1)/2 = 0.5 ; a2 likewise 0.5
        // b1: b2, b3(55), a2, a1 -> 1, 2/2 -> 1.0 ; b2 (75): b1 20, b3 35 -> 1.0 ; b3 (40): a2 30, b2 35, a1, b1 -> (1/2 + 2/4)/2 = 0.5
        assertThat(r.mAP()).isCloseTo((0.5 + 0.5 + 1 + 1 + 0.5) / 5, within(1e-6));
    }

    @Test
    void ukbenchCountsTheQueryItself() {
        Path q1 = image("u0", 10, 0), q2 = image("u1", 11, 5), q3 = image("u2", 12, 90), q4 = image("u3", 13, 20);
        Path x = image("x", 14, 10);
        List<Path> all = List.of(q1, q2, q3, q4, x);
        Set<Path> group = Set.of(q1, q2, q3, q4);
        GroundTruth gt = new GroundTruth("ukbench", all, all,
                List.of(new GroundTruth.QuerySpec(q1, group, false)), EnumSet.of(GroundTruth.Measure.NS), 4);
        EvalReport r = new Evaluator().evaluate(gt, ids, vectors::get, bruteForce(List.of(10L, 11L, 12L, 13L, 14L)));
        // top 4 of u0: u0, u1, x, u3 -> 3
        assertThat(r.nsScore()).isEqualTo(3.0);
        assertThat(r.mAP()).isNull();
    }

    @Test
    void mapAtDepthUsesOnlyTheDatabaseAndTheTopK() {
        Path q = image("q", 20, 0);
        Path d1 = image("d1", 21, 10), d2 = image("d2", 22, 20), d3 = image("d3", 23, 30);
        GroundTruth gt = new GroundTruth("cifar", List.of(q, d1, d2, d3), List.of(d1, d2, d3),
                List.of(new GroundTruth.QuerySpec(q, Set.of(d2, d3), true)),
                EnumSet.of(GroundTruth.Measure.MAP_AT_DEPTH), 2);
        EvalReport r = new Evaluator().evaluate(gt, ids, vectors::get, bruteForce(List.of(21L, 22L, 23L)));
        // top 2 = d1, d2: one hit at rank 2 -> (1/2)/1
        assertThat(r.mAP()).isCloseTo(0.5, within(1e-9));
        assertThat(r.extras()).containsEntry("map_at", 2);
    }

    @Test
    void noScorableQueryIsAClearError() {
        GroundTruth gt = twoClasses();
        assertThatThrownBy(() -> new Evaluator().evaluate(gt, Map.of(), id -> null, (q, k) -> List.of()))
                .isInstanceOf(OcularException.class).hasMessageContaining("No query");
    }

    @Test
    void reportJsonOmitsAbsentFieldsAndKeepsExtrasInOrder() {
        EvalReport r = new EvalReport("ukbench", null, null, 3.5, 56, 56, 1.25, Map.of())
                .with("index", "pq").with("bits", 64);
        assertThat(r.toJson()).isEqualTo(
                "{\"protocol\":\"ukbench\",\"NS\":3.5,\"queries\":56,\"images\":56,\"seconds\":1.25,\"index\":\"pq\",\"bits\":64}");
    }
}
