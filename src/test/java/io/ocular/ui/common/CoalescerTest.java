package io.ocular.ui.common;

import io.ocular.ui.fakes.QueueExecutor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoalescerTest {

    @Test
    void aBurstOfOffersQueuesOneTaskThatDeliversTheLatest() {
        QueueExecutor ui = new QueueExecutor();
        List<Integer> seen = new ArrayList<>();
        Coalescer<Integer> c = new Coalescer<>(ui, seen::add);
        for (int i = 0; i < 1000; i++) {
            c.offer(i);
        }
        assertThat(ui.pending()).isEqualTo(1);
        assertThat(ui.runAll()).isEqualTo(1);
        assertThat(seen).containsExactly(999);
        assertThat(c.isScheduled()).isFalse();
    }

    @Test
    void anOfferAfterDeliverySchedulesAgain() {
        QueueExecutor ui = new QueueExecutor();
        List<String> seen = new ArrayList<>();
        Coalescer<String> c = new Coalescer<>(ui, seen::add);
        c.offer("a");
        ui.runAll();
        c.offer("b");
        c.offer("c");
        assertThat(ui.pending()).isEqualTo(1);
        ui.runAll();
        assertThat(seen).containsExactly("a", "c");
    }

    @Test
    void concurrentProducersNeverHaveMoreThanOnePendingTaskAndTheLastValueArrives() throws Exception {
        ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
        AtomicInteger maxPending = new AtomicInteger();
        Executor ui = r -> {
            queue.add(r);
            maxPending.accumulateAndGet(queue.size(), Math::max);
        };
        AtomicLong lastSeen = new AtomicLong(-1);
        AtomicInteger deliveries = new AtomicInteger();
        Coalescer<Long> c = new Coalescer<>(ui, v -> {
            lastSeen.set(v);
            deliveries.incrementAndGet();
        });
        int producers = 4;
        int perProducer = 20_000;
        CountDownLatch done = new CountDownLatch(producers);
        AtomicLong sequence = new AtomicLong();
        for (int t = 0; t < producers; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    c.offer(sequence.incrementAndGet());
                }
                done.countDown();
            });
            th.setDaemon(true);
            th.start();
        }
        // The "UI thread": drain while producers run, then once more after they finish.
        while (done.getCount() > 0) {
            Runnable r = queue.poll();
            if (r != null) {
                r.run();
            }
        }
        Runnable r;
        while ((r = queue.poll()) != null) {
            r.run();
        }
        assertThat(maxPending.get()).isEqualTo(1);
        assertThat(deliveries.get()).isLessThan(producers * perProducer);
        assertThat(lastSeen.get()).isBetween(1L, sequence.get());
        assertThat(c.isScheduled()).isFalse();
        // Nothing is stuck after the storm: the next offer is delivered.
        c.offer(-7L);
        queue.poll().run();
        assertThat(lastSeen.get()).isEqualTo(-7L);
        assertThat(queue).isEmpty();
    }

    @Test
    void aThrottledCoalescerHoldsOffersInsideTheGapAndDeliversTheLatestWhenItEnds() {
        QueueExecutor ui = new QueueExecutor();
        List<Integer> seen = new ArrayList<>();
        AtomicLong now = new AtomicLong(1_000_000_000L);
        List<Long> delays = new ArrayList<>();
        List<Runnable> held = new ArrayList<>();
        Coalescer<Integer> c = new Coalescer<>(ui, seen::add, Duration.ofMillis(250), now::get, (nanos, task) -> {
            delays.add(nanos);
            held.add(task);
        });
        c.offer(1); // nothing delivered yet: at once
        assertThat(ui.runAll()).isEqualTo(1);
        assertThat(seen).containsExactly(1);

        now.addAndGet(Duration.ofMillis(100).toNanos());
        for (int i = 2; i <= 500; i++) { // a producer offering for every photo, inside the gap
            c.offer(i);
        }
        assertThat(ui.pending()).as("held back, not queued on the UI thread").isZero();
        assertThat(held).hasSize(1);
        assertThat(delays).containsExactly(Duration.ofMillis(150).toNanos());
        assertThat(c.isScheduled()).isTrue();

        now.addAndGet(Duration.ofMillis(150).toNanos());
        held.remove(0).run();
        assertThat(ui.runAll()).isEqualTo(1);
        assertThat(seen).containsExactly(1, 500);
        assertThat(c.isScheduled()).isFalse();

        now.addAndGet(Duration.ofMillis(300).toNanos()); // after the gap: at once again
        c.offer(501);
        assertThat(held).isEmpty();
        assertThat(ui.runAll()).isEqualTo(1);
        assertThat(seen).containsExactly(1, 500, 501);
    }

    @Test
    void aNegativeGapIsRefused() {
        assertThatThrownBy(() -> new Coalescer<Integer>(Runnable::run, v -> { }, Duration.ofMillis(-1), System::nanoTime,
                Coalescer.Delayer.system())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minGap");
    }
}
