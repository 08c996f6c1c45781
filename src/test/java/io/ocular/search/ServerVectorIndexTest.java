package io.ocular.search;

import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.ScoredId;
import io.ocular.model.SearchScope;
import io.ocular.model.StorageException;
import io.ocular.store.ServerVectors;
import io.ocular.store.VectorHit;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server-searched index hands scopes to the server whole and asks for its count sparingly. */
class ServerVectorIndexTest {
    private static final ModelInfo M = new ModelInfo("m", "M", ModelKind.IMAGE, 4, "s");

    /** A server holding ids 1..n with scores n..1, recording the scopes it was asked for. */
    private static final class FakeServer implements ServerVectors {
        final List<SearchScope> asked = new ArrayList<>();
        final AtomicInteger counts = new AtomicInteger();
        long n = 10;
        volatile boolean away;

        private void check() {
            if (away) {
                throw new StorageException(StorageException.Problem.UNREACHABLE, "Lost or no connection", null);
            }
        }

        @Override
        public String describe() {
            return "fake";
        }

        @Override
        public List<VectorHit> search(String modelId, float[] query, int k, SearchScope scope) {
            check();
            asked.add(scope);
            List<VectorHit> out = new ArrayList<>();
            for (long id = 1; id <= n && out.size() < k; id++) {
                if (!scope.excluded().contains(id)) {
                    out.add(new VectorHit(id, 1.0 - id / 100.0));
                }
            }
            return out;
        }

        @Override
        public long count(String modelId) {
            check();
            counts.incrementAndGet();
            return n;
        }
    }

    @Test
    void aScopeAndExcludedIdsGoToTheServerWhole() {
        FakeServer server = new FakeServer();
        ServerVectorIndex index = new ServerVectorIndex(server, M);
        SearchScope scope = new SearchScope(Set.of(Path.of("/photos/2020")), Instant.parse("2020-01-01T00:00:00Z"),
                null, null);
        ScopeFilter inScope = new ScopeFilter(scope, () -> {
            throw new AssertionError("the ids in scope must not be read for the server");
        });
        List<ScoredId> hits = index.search(new float[4], 3, inScope.and(SearchFilter.excluding(Set.of(1L, 2L))));
        assertThat(hits).extracting(ScoredId::id).containsExactly(3L, 4L, 5L);
        SearchScope sent = server.asked.get(0);
        assertThat(sent.folders()).containsExactly(Path.of("/photos/2020"));
        assertThat(sent.from()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(sent.excluded()).containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void anyOtherFilterIsAppliedHereByAskingForMore() {
        FakeServer server = new FakeServer();
        ServerVectorIndex index = new ServerVectorIndex(server, M);
        BitSet even = new BitSet();
        for (int i = 2; i <= 10; i += 2) {
            even.set(i);
        }
        assertThat(index.search(new float[4], 3, SearchFilter.allowing(even))).extracting(ScoredId::id)
                .containsExactly(2L, 4L, 6L);
        assertThat(server.asked).allMatch(s -> s.all());
    }

    @Test
    void whileTheServerIsAwayTheCopyIsSearchedAndWithoutOneTheServersMessageStands() {
        FakeServer server = new FakeServer();
        ExactIndex copy = new ExactIndex(4, null);
        copy.add(7, new float[]{1, 0, 0, 0});
        copy.add(8, new float[]{0, 1, 0, 0});
        ServerVectorIndex index = new ServerVectorIndex(server, M, () -> copy);
        server.away = true;
        assertThat(index.search(new float[]{1, 0, 0, 0}, 1)).extracting(ScoredId::id).containsExactly(7L);
        assertThat(index.search(new float[]{1, 0, 0, 0}, 1, SearchFilter.excluding(Set.of(7L))))
                .extracting(ScoredId::id).containsExactly(8L);
        assertThat(index.size()).isEqualTo(2);
        ServerVectorIndex without = new ServerVectorIndex(server, M, () -> null);
        assertThatThrownBy(() -> without.search(new float[4], 1)).isInstanceOf(StorageException.class)
                .hasMessageContaining("Lost or no connection");
        server.away = false;
        assertThat(index.search(new float[4], 1)).extracting(ScoredId::id).containsExactly(1L);
    }

    @Test
    void theCountIsReusedBrieflyAndAskedAgainAfterChanges() {
        FakeServer server = new FakeServer();
        AtomicLong now = new AtomicLong();
        ServerVectorIndex index = new ServerVectorIndex(server, M, () -> null, now::get);
        assertThat(index.size()).isEqualTo(10);
        assertThat(index.size()).isEqualTo(10);
        assertThat(server.counts).hasValue(1);
        server.n = 12; // another computer added two
        now.addAndGet(ServerVectorIndex.COUNT_TTL_NANOS + 1);
        assertThat(index.size()).isEqualTo(12);
        index.add(13, new float[4]);
        server.n = 13;
        assertThat(index.size()).isEqualTo(13);
        assertThat(server.counts).hasValue(3);
        assertThatThrownBy(() -> index.add(14, new float[3])).isInstanceOf(IllegalArgumentException.class);
        assertThat(index.describe()).isEqualTo("server: fake");
        assertThat(index.search(new float[4], 0)).isEmpty();
    }
}
