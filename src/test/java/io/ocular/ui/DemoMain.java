package io.ocular.ui;

import io.ocular.model.IndexProgress;
import io.ocular.model.Query;
import io.ocular.model.SearchHit;
import io.ocular.model.SearchResult;
import io.ocular.model.SkippedFile;
import io.ocular.search.SearchService;
import io.ocular.ui.common.Choosers;
import io.ocular.ui.common.FxThumbnails;
import io.ocular.ui.common.Trash;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiServices;
import io.ocular.ui.common.UiSettings;
import io.ocular.ui.common.ViewContext;
import io.ocular.ui.fakes.FakeIndexer;
import io.ocular.ui.fakes.FakeModelManager;
import io.ocular.ui.fakes.UiTestCatalog;
import io.ocular.ui.main.ExifDetails;
import io.ocular.ui.main.MainView;
import io.ocular.ui.main.MainViewModel;
import io.ocular.ui.main.Mark;
import io.ocular.model.ImageRecord;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Screenshot demo: the real window over fakes with corel1k thumbnails, stepped through its main screens.
 * Run under Xvfb: {@code xvfb-run -s "-screen 0 1440x920x24" java -cp ... io.ocular.ui.DemoMain /tmp/shots}.
 * Each step calls ImageMagick's {@code import -window root} (nothing is written into the repository).
 */
public final class DemoMain {

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "/tmp/ocular-shots");
        Files.createDirectories(out);
        Path corel = Path.of(System.getProperty("ocular.shared.dir", "../shared"), "data/corel1k/images").toAbsolutePath().normalize();
        UiTestCatalog catalog = new UiTestCatalog();
        catalog.setActiveModelId("demo");
        FakeIndexer indexer = new FakeIndexer(catalog);
        long folder = catalog.addFolder(corel).id();
        long other = catalog.addFolder(Path.of(System.getProperty("user.home"), "Pictures", "Holidays 2024")).id();
        Random rnd = new Random(3);
        List<ImageRecord> all = new ArrayList<>();
        String[] classes = {"beaches", "horses", "buses", "mountains", "flowers", "food"};
        for (int c = 0; c < classes.length; c++) {
            try (var files = Files.list(corel.resolve(classes[c]))) {
                List<Path> list = files.sorted().limit(30).toList();
                for (int i = 0; i < list.size(); i++) {
                    float[] v = new float[8];
                    v[c] = 3;
                    for (int k = 0; k < 8; k++) {
                        v[k] += (float) rnd.nextGaussian() * (i % 10 == 3 ? 0.01f : 0.6f);
                    }
                    normalise(v);
                    all.add(catalog.addImage(folder, list.get(i), v));
                }
            }
        }
        catalog.addSkipped(other, Path.of("/home/me/Pictures/Holidays 2024/IMG_0412.HEIC"), "HEIC is not supported yet");
        SearchService search = (query, k) -> new SearchResult(rank(query, all), "demo", 2300, null);
        var bg = Executors.newFixedThreadPool(2);
        UiExecutors ex = new UiExecutors(bg, Platform::runLater);
        MainViewModel vm = new MainViewModel(new UiServices(catalog, indexer, search, new FakeModelManager(),
                Trash.desktop(), UiSettings.inMemory(), ex, ExifDetails::read));
        var thumbs = FxThumbnails.loader(null);
        ViewContext ctx = new ViewContext(thumbs, (t, x, a) -> true, Choosers.native_(), ex);

        CountDownLatch shown = new CountDownLatch(1);
        MainView[] view = new MainView[1];
        Platform.startup(() -> {
            Stage stage = new Stage();
            view[0] = new MainView(vm, ctx);
            Scene scene = new Scene(view[0].root(), 1400, 880);
            scene.getStylesheets().add(DemoMain.class.getResource("/io/ocular/app/ocular.css").toExternalForm());
            stage.setScene(scene);
            stage.setTitle("Ocular");
            stage.setX(0);
            stage.setY(0);
            vm.start();
            stage.show();
            shown.countDown();
        });
        shown.await();
        indexer.publish(new IndexProgress(IndexProgress.State.INDEXING, 431, 1000, 2, 38.2, Duration.ofSeconds(149),
                corel.resolve("horses/712.jpg"), List.of(new SkippedFile(corel.resolve("../broken/truncated.jpg"), "truncated JPEG (file ends early)"))));
        Thread.sleep(2500);
        shot(out, "00-start");

        fx(() -> {
            vm.search().queryTextProperty().set("horses");
            vm.search().searchText();
        });
        Thread.sleep(1200);
        fx(() -> {
            vm.search().click(0, false, false);
            vm.search().mark(vm.search().results().get(1), Mark.RELEVANT);
            vm.search().mark(vm.search().results().get(2), Mark.RELEVANT);
            vm.search().mark(vm.search().results().get(4), Mark.NOT_RELEVANT);
            vm.search().click(3, true, false);
        });
        Thread.sleep(2500);
        shot(out, "01-search");

        fx(() -> {
            vm.composeFrom(vm.search().results().get(0));
            vm.compose().modificationProperty().set("on a beach");
            vm.compose().search();
        });
        Thread.sleep(800);
        fx(() -> {
            vm.compose().continueFrom(vm.compose().results().get(3));
            vm.compose().modificationProperty().set("with mountains");
            vm.compose().search();
            ((TabPane) view[0].root().lookup(".tab-pane")).getSelectionModel().select(1);
        });
        Thread.sleep(2500);
        shot(out, "02-compose");

        fx(() -> {
            ((TabPane) view[0].root().lookup(".tab-pane")).getSelectionModel().select(2);
            vm.duplicates().thresholdProperty().set(0.97);
            vm.duplicates().scan();
        });
        Thread.sleep(800);
        fx(() -> vm.duplicates().markAllButFirst());
        Thread.sleep(2000);
        shot(out, "03-duplicates");

        fx(() -> ((TabPane) view[0].root().lookup(".tab-pane")).getSelectionModel().select(3));
        Thread.sleep(1000);
        shot(out, "04-models");

        fx(() -> {
            ((TabPane) view[0].root().lookup(".tab-pane")).getSelectionModel().select(0);
            vm.search().searchFile(Path.of("/home/me/Desktop/report.pdf"));
        });
        indexer.publish(new IndexProgress(IndexProgress.State.PAUSED, 431, 1000, 2, 0, null, null, List.of()));
        Thread.sleep(1000);
        shot(out, "05-error");
        Platform.runLater(Platform::exit);
        bg.shutdownNow();
        thumbs.close();
        System.exit(0);
    }

    static void normalise(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
    }

    static List<SearchHit> rank(Query q, List<ImageRecord> all) {
        String cls = "";
        if (q instanceof Query.ByText t) {
            cls = t.text();
        } else if (q instanceof Query.ByImage b) {
            cls = all.stream().filter(r -> r.id() == b.imageId()).findFirst()
                    .map(r -> r.path().getParent().getFileName().toString()).orElse("");
        } else if (q instanceof Query.Composed c) {
            cls = c.modification().contains("beach") ? "beaches" : c.modification().contains("mountain") ? "mountains" : "food";
        }
        String key = cls.isEmpty() ? "#" : cls.substring(0, Math.min(4, cls.length()));
        List<ImageRecord> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing((ImageRecord r) -> !r.path().getParent().getFileName().toString().startsWith(key)).thenComparingLong(r -> (r.id() * 7919) % 101));
        List<SearchHit> hits = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            hits.add(new SearchHit(sorted.get(i).id(), sorted.get(i).path(), 0.92f - i * 0.004f));
        }
        return hits;
    }

    static void fx(Runnable r) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Platform.runLater(() -> {
            try {
                r.run();
            } finally {
                done.countDown();
            }
        });
        done.await();
    }

    static void shot(Path out, String name) throws Exception {
        Process p = new ProcessBuilder("import", "-window", "root", out.resolve(name + ".png").toString())
                .inheritIO().start();
        p.waitFor();
        System.out.println("shot " + name);
    }

}
