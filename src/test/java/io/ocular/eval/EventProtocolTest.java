package io.ocular.eval;

import io.ocular.model.OcularException;
import io.ocular.model.ScoredId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EventProtocolTest {
    @TempDir
    Path tmp;

    private Path dataset(String... rows) throws Exception {
        StringBuilder tsv = new StringBuilder("image\tgroup\talbum\n");
        for (String r : rows) {
            String[] c = r.split(",");
            Path f = tmp.resolve(c[0]);
            Files.createDirectories(f.getParent());
            Files.write(f, new byte[]{1});
            tsv.append(c[0]).append('\t').append(c[1]).append('\t').append(c[2]).append('\n');
        }
        Files.writeString(tmp.resolve("groundtruth.tsv"), tsv);
        return tmp;
    }

    @Test
    void relevantIsTheSameEventInOtherAlbumsAndTheOwnAlbumIsIgnored() throws Exception {
        Path ds = dataset("a/1.jpg,Birthday,a", "a/2.jpg,Birthday,a", "b/1.jpg,Birthday,b",
                "c/1.jpg,Show,c", "c/2.jpg,Show,c");
        GroundTruth t = Protocols.load("events", ds);
        assertThat(t.images()).hasSize(5);
        // Show has one album: its photos have nothing to find elsewhere and are not queries
        assertThat(t.queries()).hasSize(3);
        GroundTruth.QuerySpec q = t.queries().stream()
                .filter(s -> s.image().endsWith("a/1.jpg")).findFirst().orElseThrow();
        assertThat(q.relevant()).containsExactly(ds.resolve("b/1.jpg"));
        assertThat(q.ignored()).containsExactly(ds.resolve("a/2.jpg"));
        assertThat(q.excludeSelf()).isTrue();
    }

    @Test
    void theEvaluatorDropsIgnoredPhotosFromTheRanking() throws Exception {
        Path ds = dataset("a/1.jpg,Birthday,a", "a/2.jpg,Birthday,a", "b/1.jpg,Birthday,b", "b/2.jpg,Show,b",
                "c/1.jpg,Show,c");
        GroundTruth t = Protocols.load("events", ds);
        Map<Path, Long> ids = new HashMap<>();
        for (int i = 0; i < t.images().size(); i++) {
            ids.put(t.images().get(i), (long) i);
        }
        long a2 = ids.get(ds.resolve("a/2.jpg"));
        long b1 = ids.get(ds.resolve("b/1.jpg"));
        // every query gets the same ranking: a/2 first, then b/1, then the rest
        Evaluator.Searcher searcher = (q, k) -> {
            List<Long> order = new ArrayList<>(List.of(a2, b1));
            ids.values().stream().filter(id -> id != a2 && id != b1).sorted().forEach(order::add);
            return order.stream().limit(k).map(id -> new ScoredId(id, 1f)).toList();
        };
        EvalReport r = new Evaluator().evaluate(t, ids, id -> new float[]{1f}, searcher);
        // a/1, a/2, b/1: the own-album photos drop out and the relevant ones rank first (AP 1 each);
        // b/2: c/1 at rank 3 of [a/2, a/1, c/1] (AP 1/3); c/1: b/2 at rank 4 (AP 1/4). Without the ignored
        // sets a/1 would score 0.5, so this fails if the own album is not left out.
        assertThat(r.queries()).isEqualTo(5);
        assertThat(r.mAP()).isCloseTo((3 + 1.0 / 3 + 0.25) / 5, within(1e-9));
    }

    @Test
    void missingColumnsAndFilesAreClearErrors() throws Exception {
        Files.writeString(tmp.resolve("groundtruth.tsv"), "image\tgroup\nx.jpg\tA\n");
        assertThatThrownBy(() -> Protocols.load("events", tmp)).isInstanceOf(OcularException.class)
                .hasMessageContaining("'album'");
        Files.writeString(tmp.resolve("groundtruth.tsv"), "image\tgroup\talbum\nnope.jpg\tA\ta\n");
        assertThatThrownBy(() -> Protocols.load("events", tmp)).isInstanceOf(OcularException.class)
                .hasMessageContaining("missing file: nope.jpg");
        Files.delete(tmp.resolve("groundtruth.tsv"));
        assertThatThrownBy(() -> Protocols.load("events", tmp)).isInstanceOf(OcularException.class)
                .hasMessageContaining("needs");
    }
}
