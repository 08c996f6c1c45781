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

    @Test
    void theCacheKeepsWithinItsByteBudgetDroppingTheLeastRecentlyUsed() throws Exception {
        // each thumbnail "weighs" its name's length: 5 bytes ("a.jpg"); a budget of 12 keeps two of them
        try (ThumbnailLoader<String> loader = new ThumbnailLoader<>(p -> p.getFileName().toString(), Runnable::run,
                1, 100, String::length, 12)) {
            for (String name : List.of("a.jpg", "b.jpg", "c.jpg")) {
                CountDownLatch done = new CountDownLatch(1);
                loader.request(Path.of(name), v -> done.countDown());
                assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
                if (name.equals("b.jpg")) {
                    assertThat(loader.cached(Path.of("a.jpg"))).isNotNull(); // a is now the most recently used
                }
            }
            assertThat(loader.cached(Path.of("b.jpg"))).as("least recently used, dropped").isNull();
            assertThat(loader.cached(Path.of("a.jpg"))).isEqualTo("a.jpg");
            assertThat(loader.cached(Path.of("c.jpg"))).isEqualTo("c.jpg");
        }
        // one thumbnail over the whole budget still stays (the newest is always kept)
        try (ThumbnailLoader<String> loader = new ThumbnailLoader<>(p -> "x".repeat(50), Runnable::run, 1, 100,
                String::length, 12)) {
            CountDownLatch done = new CountDownLatch(1);
            loader.request(Path.of("big.jpg"), v -> done.countDown());
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(loader.cached(Path.of("big.jpg"))).isNotNull();
        }
    }

    @Test
    void slotShowsCachedAtOnceLateOnlyWhileWantedAndCancelsOnReuse() throws Exception {
        List<Runnable> uiQueue = new CopyOnWriteArrayList<>(); // a fake UI thread, drained by the test
        try (ThumbnailLoader<String> loader = new ThumbnailLoader<>(p -> "img:" + p, uiQueue::add, 1, 10)) {
            List<String> shown = new CopyOnWriteArrayList<>();
            ThumbnailLoader.Slot<String> slot = new ThumbnailLoader.Slot<>(loader, shown::add);

            // not cached and still wanted: the placeholder (null) at once, the thumbnail once loaded
            slot.show(Path.of("a.jpg"), () -> true);
            runUi(uiQueue);
            assertThat(shown).containsExactly(null, "img:a.jpg");

            // cached: shown at once, nothing requested
            shown.clear();
            slot.show(Path.of("a.jpg"), () -> false);
            assertThat(shown).containsExactly("img:a.jpg");
            assertThat(uiQueue).isEmpty();

            // the cell shows something else by the time the thumbnail arrives: it is not shown
            shown.clear();
            slot.show(Path.of("b.jpg"), () -> false);
            runUi(uiQueue);
            assertThat(shown).containsExactly((String) null);

            // the cell is reused (cancel) before the thumbnail arrives: it is not shown
            shown.clear();
            slot.show(Path.of("c.jpg"), () -> true);
            awaitQueued(uiQueue);
            slot.cancel();
            runUi(uiQueue);
            assertThat(shown).containsExactly((String) null);
        }
    }

    private static void awaitQueued(List<Runnable> uiQueue) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (uiQueue.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(uiQueue).as("a loaded thumbnail is handed to the UI thread").isNotEmpty();
    }

    private static void runUi(List<Runnable> uiQueue) throws InterruptedException {
        awaitQueued(uiQueue);
        List<Runnable> tasks = List.copyOf(uiQueue);
        uiQueue.clear();
        tasks.forEach(Runnable::run);
    }
}
