package io.ocular.ui;

import io.ocular.engine.DuplicateService;
import io.ocular.ui.common.AppInfo;
import io.ocular.ui.common.Choosers;
import io.ocular.ui.common.Confirmer;
import io.ocular.ui.common.FxThumbnails;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.InstanceSearchSwitch;
import io.ocular.ui.common.IndexSettings;
import io.ocular.ui.common.LibraryLocations;
import io.ocular.ui.common.MatchExplainer;
import io.ocular.ui.common.ThumbnailLoader;
import io.ocular.ui.common.Trash;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiServices;
import io.ocular.ui.common.UiSettings;
import io.ocular.ui.common.ViewContext;
import io.ocular.ui.common.WindowFont;
import io.ocular.engine.DuplicateService;
import io.ocular.ui.common.AppInfo;
import io.ocular.ui.common.InstanceSearchSwitch;
import io.ocular.ui.fakes.FakeCodeTraining;
import io.ocular.ui.fakes.FakeComposeLearning;
import io.ocular.ui.fakes.FakeModelManager;
import io.ocular.ui.fakes.FakeTextModels;
import io.ocular.ui.fakes.Library;
import io.ocular.ui.main.MainView;
import io.ocular.ui.main.MainViewModel;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import javafx.stage.Window;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The main window over fakes, for TestFX tests and the screenshot demo. */
public final class UiHarness implements AutoCloseable {
    /** The compose panel's marks and Settings → Composed search. */
    public final FakeComposeLearning composeLearning = new FakeComposeLearning();
    /** The indexing panel's codes trained on the user's photos. */
    public final FakeCodeTraining codeTraining = new FakeCodeTraining();
    public final Library lib;
    public final FakeModelManager models = new FakeModelManager();
    public final List<String> confirmations = new CopyOnWriteArrayList<>();
    public final List<Path> trashed = new CopyOnWriteArrayList<>();
    public volatile boolean answerConfirmations = true;
    public volatile Path folderToChoose;
    /** Instance search as the fake engine has it (Settings turns it on). */
    public volatile boolean instanceSearchOn;
    /** Image ids whose match picture was asked for. */
    public final List<Long> matchRequests = new CopyOnWriteArrayList<>();
    public final ExecutorService background = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "test-background");
        t.setDaemon(true);
        return t;
    });
    public final ThumbnailLoader<Image> thumbnails = FxThumbnails.loader(null);
    public final MainViewModel vm;
    public final ViewContext ctx;
    public MainView view;

    public final UiSettings settings = UiSettings.inMemory();
    public final FakeTextModels textModels = new FakeTextModels();

    public UiHarness(Path folder, int images) {
        this(folder, images, Messages.english());
    }

    /** @param messages the window's language */
    public UiHarness(Path folder, int images, Messages messages) {
        writeImages(folder, images);
        lib = new Library(folder, images, names(images));
        Trash trash = new Trash() {
            @Override
            public boolean isSupported() {
                return true;
            }

            @Override
            public boolean moveToTrash(Path file) {
                trashed.add(file);
                return true;
            }
        };
        UiExecutors ex = new UiExecutors(background, Platform::runLater);
        InstanceSearchSwitch instance = new InstanceSearchSwitch() {
            @Override
            public boolean isOn() {
                return instanceSearchOn;
            }

            @Override
            public void set(boolean on) {
                instanceSearchOn = on;
            }
        };
        MatchExplainer matches = (query, imageId, height) -> {
            matchRequests.add(imageId);
            BufferedImage picture = new BufferedImage(2 * height, height, BufferedImage.TYPE_INT_RGB);
            var g = picture.createGraphics();
            g.setColor(Color.GREEN);
            g.drawLine(10, 10, 2 * height - 10, height - 10);
            g.dispose();
            return picture;
        };
        vm = new MainViewModel(new UiServices(lib.catalog, lib.indexer, lib.search,
                new DuplicateService(lib.catalog, () -> lib.catalog.activeModelId().orElse(null)), models, trash,
                settings, ex, p -> List.of(Map.entry("exif.camera", "Test camera")), AppInfo.unknown(),
                dir -> false, instance, matches, textModels, IndexSettings.unavailable(),
                LibraryLocations.unavailable(), composeLearning, codeTraining), messages);
        Confirmer confirmer = (title, text, action) -> {
            confirmations.add(title);
            return answerConfirmations;
        };
        Choosers choosers = new Choosers() {
            @Override
            public Path chooseFolder(Window owner, String title) {
                return folderToChoose;
            }

            @Override
            public Path chooseFile(Window owner, String title) {
                return null;
            }
        };
        ctx = new ViewContext(thumbnails, confirmer, choosers, ex, messages);
    }

    static String[] names(int n) {
        String[] kinds = {"beach", "mountain", "city", "forest", "beach-sunset", "horse", "bus", "flower"};
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = String.format("%s-%02d.png", kinds[i % kinds.length], i + 1);
        }
        return out;
    }

    static void writeImages(Path folder, int n) {
        try {
            Files.createDirectories(folder);
            String[] names = names(n);
            for (int i = 0; i < n; i++) {
                BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
                var g = img.createGraphics();
                g.setColor(Color.getHSBColor(i / (float) n, 0.6f, 0.9f));
                g.fillRect(0, 0, 64, 48);
                g.setColor(Color.getHSBColor((i + 3) / (float) n, 0.7f, 0.5f));
                g.fillOval(8 + i % 20, 8, 28, 28);
                g.dispose();
                ImageIO.write(img, "png", folder.resolve(names[i]).toFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Adds a library folder with one small photo per date (EXIF-style date taken), named
     * {@code <prefix>-1.png}, ... in the order given; returns the folder.
     */
    public Path addDatedFolder(Path folder, String prefix, Instant... dates) {
        try {
            Files.createDirectories(folder);
            long id = lib.catalog.addFolder(folder).id();
            for (int i = 0; i < dates.length; i++) {
                BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
                var g = img.createGraphics();
                g.setColor(Color.getHSBColor(i / (float) dates.length, 0.4f, 0.6f));
                g.fillRect(0, 0, 64, 48);
                g.dispose();
                Path file = folder.resolve(prefix + "-" + (i + 1) + ".png");
                ImageIO.write(img, "png", file.toFile());
                lib.catalog.addPhoto(id, file, new float[] {(float) Math.cos(30 + i), (float) Math.sin(30 + i)},
                        dates[i], 0);
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds the view into {@code stage} (call on the FX thread, e.g. from TestFX's @Start). */
    public MainView show(Stage stage, double w, double h) {
        view = new MainView(vm, ctx);
        WindowFont.apply(view.root(), ctx.messages().locale()); // as DesktopApp does
        Scene scene = new Scene(view.root(), w, h);
        scene.getStylesheets().add(getClass().getResource("/io/ocular/app/ocular.css").toExternalForm());
        stage.setScene(scene);
        vm.start();
        stage.show();
        return view;
    }

    @Override
    public void close() {
        vm.close();
        thumbnails.close();
        background.shutdownNow();
    }
}
