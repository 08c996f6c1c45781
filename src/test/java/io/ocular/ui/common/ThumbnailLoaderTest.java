package io.ocular.ui.common;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ThumbnailLoaderTest {

    @Test
    void loadsOffThreadCachesAndSkipsCancelledAndFailedRequests() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch gate = new CountDownLatch(1);
        List<String> threads = new CopyOnWriteArrayList<>();
        try (ThumbnailLoader<String> loader = new ThumbnailLoader<>(p -> {
            threads.add(Thread.currentThread().getName());
            loads.incrementAndGet();
            if (p.toString().contains("bad")) {
                throw new IllegalStateException("corrupt");
            }
            return "img:" + p.getFileName();
        }, Runnable::run, 1, 2)) {
            List<String> got = new CopyOnWriteArrayList<>();
            loader.request(Path.of("a.jpg"), v -> {
                got.add(v);
                gate.countDown();
            });
            assertThat(gate.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(threads).allMatch(t -> t.startsWith("thumbnail-"));
            // cached: delivered at once, no second load
            loader.request(Path.of("a.jpg"), got::add);
            assertThat(got).containsExactly("img:a.jpg", "img:a.jpg");
            assertThat(loads.get()).isEqualTo(1);

            CountDownLatch bad = new CountDownLatch(1);
            loader.request(Path.of("bad.jpg"), v -> got.add("unexpected"));
            loader.request(Path.of("b.jpg"), v -> bad.countDown()).cancel();
            loader.request(Path.of("c.jpg"), v -> bad.countDown());
            assertThat(bad.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(50);
            assertThat(got).doesNotContain("unexpected");
            assertThat(loader.cached(Path.of("c.jpg"))).isEqualTo("img:c.jpg");
        }
    }
}
