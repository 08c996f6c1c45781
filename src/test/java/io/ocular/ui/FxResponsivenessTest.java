package io.ocular.ui;

import io.ocular.embed.BuiltinDescriptor;
import io.ocular.index.ImageDecoder;
import io.ocular.index.IndexingDaemon;
import io.ocular.model.IndexProgress;
import io.ocular.model.OcularException;
import io.ocular.store.SqliteCatalog;
import io.ocular.testing.SharedData;
import io.ocular.ui.common.Choosers;
import io.ocular.ui.common.FxThumbnails;
import io.ocular.ui.common.Trash;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiServices;
import io.ocular.ui.common.UiSettings;
import io.ocular.ui.common.ViewContext;
import io.ocular.ui.fakes.FakeModelManager;
import io.ocular.ui.main.ExifDetails;
import io.ocular.ui.main.MainView;
import io.ocular.ui.main.MainViewModel;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window stays responsive while the real daemon indexes corel1k (1000 photos) with the built-in
 * descriptor into a real SQLite catalog. Two probes run throughout:
 * <ul>
 *   <li>event-queue latency: every 10 ms a background thread posts {@code Platform.runLater} and the FX
 *   thread records how long the task waited;</li>
 *   <li>pulse gaps: an {@code AnimationTimer} records the largest gap between two frames.</li>
 * </ul>
 * Run: {@code mvn -Pmodels test -Dtest=FxResponsivenessTest}.
 */
@Tag("models")
@ExtendWith(ApplicationExtension.class)
class FxResponsivenessTest {
    @RegisterExtension
    final FxExceptionGuard guard = new FxExceptionGuard();

    @Test
    void fxThreadIsNotBlockedWhileCorelIsIndexed(@TempDir Path dir) throws Exception {
        Path corel = SharedData.dataset("corel1k").resolve("images");
        var bg = Executors.newFixedThreadPool(2);
        try (SqliteCatalog catalog = SqliteCatalog.open(dir.resolve("catalog.db"));
             IndexingDaemon daemon = new IndexingDaemon(catalog, BuiltinDescriptor::new, new ImageDecoder(),
                     IndexingDaemon.Config.defaults())) {
            catalog.registerModel(BuiltinDescriptor.info());
            catalog.setActiveModelId(BuiltinDescriptor.MODEL_ID);
            UiExecutors ex = new UiExecutors(bg, Platform::runLater);
            MainViewModel vm = new MainViewModel(new UiServices(catalog, daemon, (q, k) -> {
                throw new OcularException("search is not part of this measurement");
            }, new FakeModelManager(), Trash.desktop(), UiSettings.inMemory(), ex, ExifDetails::read));
            var thumbs = FxThumbnails.loader(null);
            ViewContext ctx = new ViewContext(thumbs, (t, x, a) -> true, Choosers.native_(), ex);
            WaitForAsyncUtils.asyncFx(() -> {
                Stage stage = new Stage();
                stage.setScene(new Scene(new MainView(vm, ctx).root(), 1200, 800));
                vm.start();
                stage.show();
            }).get(10, TimeUnit.SECONDS);

            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            AtomicLong maxGap = new AtomicLong();
            AtomicLong lastFrame = new AtomicLong();
            AnimationTimer timer = new AnimationTimer() {
                @Override
                public void handle(long now) {
                    long prev = lastFrame.getAndSet(now);
                    if (prev != 0) {
                        maxGap.accumulateAndGet(now - prev, Math::max);
                    }
                }
            };
            Platform.runLater(timer::start);
            ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor();
            probe.scheduleAtFixedRate(() -> {
                long posted = System.nanoTime();
                Platform.runLater(() -> latencies.add(System.nanoTime() - posted));
            }, 0, 10, TimeUnit.MILLISECONDS);

            // Sampler: how long at a stretch is the FX thread inside Ocular code (our handlers, bindings, cells)?
            Thread fx = WaitForAsyncUtils.asyncFx(Thread::currentThread).get(5, TimeUnit.SECONDS);
            WaitForAsyncUtils.waitForFxEvents();
            Thread.sleep(1000); // let the window settle: we measure indexing, not start-up
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            AtomicLong longestInOurs = new AtomicLong();
            AtomicLong longestCpu = new AtomicLong();
            String[] longestWhere = {""};
            Thread sampler = new Thread(() -> {
                long since = -1;
                long cpuSince = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    StackTraceElement[] stack = fx.getStackTrace();
                    long now = System.nanoTime();
                    String ours = null;
                    for (StackTraceElement e : stack) {
                        if (e.getClassName().startsWith("io.ocular.") && !e.getClassName().startsWith("io.ocular.ui.FxResponsiveness")) {
                            ours = e.toString();
                            break;
                        }
                    }
                    if (ours == null) {
                        since = -1;
                    } else if (since < 0) {
                        since = now;
                        cpuSince = threads.getThreadCpuTime(fx.getId());
                    } else {
                        long cpu = threads.getThreadCpuTime(fx.getId()) - cpuSince;
                        if (now - since > longestInOurs.get()) {
                            longestInOurs.set(now - since);
                        }
                        if (cpu > longestCpu.get()) {
                            longestCpu.set(cpu);
                            longestWhere[0] = ours;
                        }
                    }
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "fx-sampler");
            sampler.setDaemon(true);
            sampler.start();

            long start = System.nanoTime();
            daemon.addFolder(corel);
            assertThat(daemon.awaitIdle(Duration.ofMinutes(15))).isTrue();
            double seconds = (System.nanoTime() - start) / 1e9;
            probe.shutdownNow();
            sampler.interrupt();
            WaitForAsyncUtils.waitForFxEvents();
            Platform.runLater(timer::stop);
            WaitForAsyncUtils.waitForFxEvents();

            long[] ms = latencies.stream().mapToLong(n -> n / 1_000_000).sorted().toArray();
            long p99 = ms[(int) Math.min(ms.length - 1, Math.round(ms.length * 0.99))];
            long max = ms[ms.length - 1];
            IndexProgress last = vm.indexing().progressProperty().get();
            System.out.printf("UI responsiveness while indexing corel1k: %d images in %.1f s; %d runLater probes, "
                            + "latency p50 %d ms, p99 %d ms, max %d ms; max pulse gap %d ms; %d coalesced UI updates; "
                            + "longest stretch of the FX thread inside Ocular code %d ms wall, most FX-thread CPU in one stretch %d ms (%s); load average %.1f on %d cores%n",
                    catalog.countImages(io.ocular.model.ImageStatus.INDEXED), seconds, ms.length, ms[ms.length / 2], p99,
                    max, maxGap.get() / 1_000_000, vm.indexing().updatesApplied(), longestInOurs.get() / 1_000_000,
                    longestCpu.get() / 1_000_000, longestWhere[0], java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Runtime.getRuntime().availableProcessors());
            assertThat(last.state()).isIn(IndexProgress.State.DONE, IndexProgress.State.IDLE);
            assertThat(ms.length).isGreaterThan(100);
            // What our code controls: the FX thread never spends 100 ms of CPU in Ocular code at a stretch (and
            // never waits there: engine calls run on background threads). Wall-clock figures (probe latency,
            // pulse gaps, stretch length) also include CPU starvation by other processes and software rendering;
            // they are reported, and asserted only loosely, because they depend on the machine's load.
            assertThat(longestCpu.get() / 1_000_000).as("most FX-thread CPU in one stretch of Ocular code, ms, at %s",
                    longestWhere[0]).isLessThan(100);
            vm.close();
            thumbs.close();
        } finally {
            bg.shutdownNow();
        }
    }
}
