package io.ocular.ui.main;

import io.ocular.ui.FxExceptionGuard;
import io.ocular.ui.common.Choosers;
import io.ocular.ui.common.FxThumbnails;
import io.ocular.ui.common.Trash;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiServices;
import io.ocular.ui.common.UiSettings;
import io.ocular.ui.common.ViewContext;
import io.ocular.ui.fakes.FakeIndexer;
import io.ocular.ui.fakes.FakeModelManager;
import io.ocular.ui.fakes.FakeSearchService;
import io.ocular.ui.fakes.UiTestCatalog;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.skin.VirtualFlow;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browsing grid at scale (Monocle, headless, an in-memory catalog, so this measures the window's side:
 * reading and sorting the library, filling the grid, scrolling it, its memory). Prints one line per size:
 * time from {@code start()} to a filled grid, the largest gap between two frames while the grid is scrolled
 * from top to bottom in 200 steps, and the heap in use once filled. Run:
 * {@code mvn -Pslow test -Dtest=BrowseScaleTest}.
 */
@Tag("slow")
@ExtendWith(ApplicationExtension.class)
class BrowseScaleTest {
    @RegisterExtension
    final FxExceptionGuard guard = new FxExceptionGuard();

    @ParameterizedTest
    @ValueSource(ints = {10_000, 100_000})
    void browsingStaysSmooth(int photos) throws Exception {
        UiTestCatalog catalog = new UiTestCatalog();
        catalog.setActiveModelId("fake");
        Path root = Path.of("/scale/photos").toAbsolutePath();
        for (int f = 0; f < 10; f++) {
            long folder = catalog.addFolder(root.resolve("folder-" + f)).id();
            List<Path> paths = new ArrayList<>();
            List<Instant> dates = new ArrayList<>();
            for (int i = f; i < photos; i += 10) {
                paths.add(root.resolve("folder-" + f).resolve("img-" + i + ".jpg"));
                dates.add(Instant.ofEpochSecond(1_500_000_000L + 3_600L * i));
            }
            catalog.addPhotos(folder, paths, dates);
        }
        var bg = Executors.newFixedThreadPool(2);
        UiExecutors ex = new UiExecutors(bg, Platform::runLater);
        MainViewModel vm = new MainViewModel(new UiServices(catalog, new FakeIndexer(catalog),
                new FakeSearchService(catalog), new FakeModelManager(), Trash.desktop(), UiSettings.inMemory(), ex,
                p -> List.<Map.Entry<String, String>>of()));
        var thumbs = FxThumbnails.loader(null);
        ViewContext ctx = new ViewContext(thumbs, (t, x, a) -> true, Choosers.native_(), ex);
        MainView[] view = new MainView[1];
        System.gc();
        long before = usedHeap();
        long t0 = System.nanoTime();
        WaitForAsyncUtils.asyncFx(() -> {
            Stage stage = new Stage();
            view[0] = new MainView(vm, ctx);
            stage.setScene(new Scene(view[0].root(), 1200, 760));
            vm.start();
            stage.show();
        }).get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> vm.search().results().size() == photos);
        WaitForAsyncUtils.waitForFxEvents();
        long fillMillis = (System.nanoTime() - t0) / 1_000_000;

        AtomicLong last = new AtomicLong();
        AtomicLong worst = new AtomicLong();
        AnimationTimer timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                long prev = last.getAndSet(now);
                if (prev != 0) {
                    worst.accumulateAndGet(now - prev, Math::max);
                }
            }
        };
        WaitForAsyncUtils.asyncFx(timer::start).get(5, TimeUnit.SECONDS);
        VirtualFlow<?> flow = view[0].grid().flow();
        for (int step = 1; step <= 200; step++) {
            double pos = step / 200.0;
            WaitForAsyncUtils.asyncFx(() -> flow.setPosition(pos)).get(5, TimeUnit.SECONDS);
            Thread.sleep(16);
        }
        WaitForAsyncUtils.asyncFx(timer::stop).get(5, TimeUnit.SECONDS);
        String month = view[0].searchView().dateIndicator().text();
        System.gc();
        long heapMb = (usedHeap() - before) >> 20;
        System.out.printf("browse scale: %,d photos: filled grid in %d ms; worst frame gap while scrolling %.1f ms;"
                + " heap for the window and its library %d MB; bottom shows %s%n", photos, fillMillis,
                worst.get() / 1e6, heapMb, month);
        assertThat(vm.search().results()).hasSize(photos);
        assertThat(month).isNotEmpty();
        WaitForAsyncUtils.asyncFx(() -> view[0].root().getScene().getWindow().hide()).get(5, TimeUnit.SECONDS);
        vm.close();
        thumbs.close();
        bg.shutdownNow();
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
