package io.ocular.embed;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The predictor-sharing helper under real concurrency: no predictor is ever used by two callers at once. */
class PredictorPoolTest {
    private static final Model MODEL = Model.newInstance("fake", "OnnxRuntime");
    private final List<CountingPredictor> made = new ArrayList<>();
    private final AtomicInteger callsInside = new AtomicInteger();
    private final AtomicInteger maxInside = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final ExecutorService threads = Executors.newFixedThreadPool(8);

    /** Counts overlapping use of itself; "predicts" by sleeping a moment. */
    private final class CountingPredictor extends Predictor<String, String> {
        final AtomicInteger users = new AtomicInteger();
        volatile boolean overlapped;
        volatile boolean closed;

        CountingPredictor() {
            super(MODEL, new UnusedTranslator(), Device.cpu(), false);
        }

        @Override
        public String predict(String input) {
            if (users.incrementAndGet() > 1) {
                overlapped = true;
            }
            maxInside.accumulateAndGet(callsInside.incrementAndGet(), Math::max);
            try {
                gate.await(10, TimeUnit.SECONDS);
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                callsInside.decrementAndGet();
                users.decrementAndGet();
            }
            return input;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** The translator type the constructor wants; never used (predict is overridden). */
    private static final class UnusedTranslator implements Translator<String, String> {
        @Override
        public NDList processInput(TranslatorContext ctx, String input) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String processOutput(TranslatorContext ctx, NDList list) {
            throw new UnsupportedOperationException();
        }
    }

    private PredictorPool<String, String> pool(int max) {
        return new PredictorPool<>("test model", () -> {
            CountingPredictor p = new CountingPredictor();
            synchronized (made) {
                made.add(p);
            }
            return p;
        }, max);
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
    }

    private List<Future<?>> hammer(PredictorPool<String, String> pool, int callers, int calls) {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            done.add(threads.submit(() -> {
                for (int i = 0; i < calls; i++) {
                    String in = "x" + i;
                    String out = pool.with(p -> p.predict(in));
                    assertThat(out).isEqualTo("x" + i);
                }
                return null;
            }));
        }
        return done;
    }

    @Test
    void concurrentCallersNeverShareAPredictorAndPredictorsAreReused() throws Exception {
        PredictorPool<String, String> pool = pool(Integer.MAX_VALUE);
        for (Future<?> f : hammer(pool, 8, 40)) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertThat(made).isNotEmpty().hasSizeLessThanOrEqualTo(8).noneMatch(p -> p.overlapped);
        assertThat(maxInside.get()).as("callers ran in parallel").isGreaterThan(1);
        pool.close();
        assertThat(made).allMatch(p -> p.closed);
        assertThatThrownBy(() -> pool.with(p -> p.predict("late"))).isInstanceOf(OcularException.class)
                .hasMessage("The test model has been closed.");
    }

    @Test
    void aPoolOfOneSerialisesEveryCallOnOnePredictor() throws Exception {
        PredictorPool<String, String> pool = pool(1);
        for (Future<?> f : hammer(pool, 4, 25)) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertThat(pool.created()).isEqualTo(1);
        assertThat(maxInside.get()).isEqualTo(1);
        pool.close();
    }

    @Test
    void closeWaitsForACallInFlightThenClosesItsPredictor() throws Exception {
        PredictorPool<String, String> pool = pool(Integer.MAX_VALUE);
        gate = new CountDownLatch(1);
        Future<?> call = threads.submit(() -> pool.with(p -> p.predict("slow")));
        while (callsInside.get() == 0) {
            Thread.sleep(5);
        }
        Future<?> closing = threads.submit(pool::close);
        Thread.sleep(200);
        assertThat(closing.isDone()).as("close waits for the call").isFalse();
        assertThat(made.get(0).closed).isFalse();
        gate.countDown();
        assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("slow");
        closing.get(10, TimeUnit.SECONDS);
        assertThat(made.get(0).closed).isTrue();
    }
}
