package io.ocular.ui.common;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Parsed patterns are cached per key; formatting stays correct from many threads at once. */
class MessagesFormatTest {
    private final Messages msg = Messages.english();

    @Test
    void aCachedPatternFormatsEachCallsOwnArguments() {
        assertThat(msg.format("folder.images", 1)).isEqualTo("1 image");
        assertThat(msg.format("folder.images", 1234)).isEqualTo("1,234 images");
        assertThat(msg.format("folder.images", 1)).isEqualTo("1 image");
        assertThat(msg.format("no.such.key", 3)).isEqualTo("!no.such.key!");
        assertThat(msg.date(Instant.parse("2024-03-15T23:30:00Z"), ZoneOffset.UTC)).isEqualTo("Mar 15, 2024");
        assertThat(msg.date(Instant.parse("2024-03-15T23:30:00Z"), ZoneOffset.ofHours(2))).isEqualTo("Mar 16, 2024");
    }

    @Test
    void formattingFromManyThreadsAtOnceGivesEveryCallItsOwnText() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> all = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int base = t * 100_000;
                all.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        int n = base + i + 2;
                        if (!msg.format("folder.images", n).equals(msg.number(n) + " images")) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : all) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
