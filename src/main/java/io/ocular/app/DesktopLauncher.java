package io.ocular.app;

import io.ocular.index.Indexer;
import io.ocular.search.SearchService;
import io.ocular.store.Catalog;
import io.ocular.ui.common.AppInfo;
import io.ocular.ui.common.FolderOpener;
import io.ocular.ui.common.Trash;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiServices;
import io.ocular.ui.main.ExifDetails;
import io.ocular.ui.models.ModelManager;
import javafx.application.Platform;
import javafx.scene.image.Image;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Opens the desktop window over an engine the caller owns, and returns when the window is closed (the
 * caller then closes the engine). Called by {@code Main} when there are no arguments.
 */
public final class DesktopLauncher {
    private DesktopLauncher() {
    }

    /**
     * @param thumbnailSource grid thumbnails (e.g. the engine's thumbnail cache), or null to decode with JavaFX
     */
    public static void launch(Catalog catalog, Indexer indexer, SearchService search, ModelManager models,
                              Path dataDir, Function<Path, Image> thumbnailSource) throws InterruptedException {
        launch(catalog, indexer, search, models, dataDir, thumbnailSource, new LaunchHandoff());
    }

    /**
     * As above; {@code handoff} brings arguments of later launches (see {@link SingleInstance}) to the window:
     * it comes to the front, and forwarded folders are added to the library.
     */
    public static void launch(Catalog catalog, Indexer indexer, SearchService search, ModelManager models,
                              Path dataDir, Function<Path, Image> thumbnailSource, LaunchHandoff handoff)
            throws InterruptedException {
        launch(catalog, indexer, search, models, new AppInfo(version(), dataDir, dataDir.resolve("logs")),
                thumbnailSource, handoff);
    }

    /** As above, with the version and folders the Help menu shows. */
    public static void launch(Catalog catalog, Indexer indexer, SearchService search, ModelManager models,
                              AppInfo info, Function<Path, Image> thumbnailSource, LaunchHandoff handoff)
            throws InterruptedException {
        ExecutorService background = Executors.newFixedThreadPool(3, daemonThreads("ui-background"));
        UiServices services = new UiServices(catalog, indexer, search, models, Trash.desktop(),
                PrefsUiSettings.forDataDir(info.dataDir()), new UiExecutors(background, Platform::runLater),
                ExifDetails::read, info, FolderOpener.desktop());
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<DesktopApp> app = new AtomicReference<>();
        Platform.setImplicitExit(true);
        FxStartup.start(() -> {
            Thread.currentThread().setUncaughtExceptionHandler((t, e) ->
                    org.slf4j.LoggerFactory.getLogger(DesktopLauncher.class).error("uncaught on the FX thread", e));
            DesktopApp desktop = new DesktopApp(services, thumbnailSource);
            app.set(desktop);
            Stage stage = new Stage();
            stage.setOnHidden(e -> closed.countDown());
            try {
                desktop.start(stage);
            } catch (RuntimeException e) {
                closed.countDown();
                throw e;
            }
            handoff.attach(args -> Platform.runLater(() -> {
                desktop.toFront();
                for (String a : args) {
                    Path p = Path.of(a);
                    if (java.nio.file.Files.isDirectory(p)) {
                        desktop.viewModel().library().addFolder(p);
                    }
                }
            }));
        });
        closed.await();
        Platform.runLater(() -> {
            if (app.get() != null) {
                app.get().stop();
            }
            Platform.exit();
        });
        background.shutdownNow();
    }

    /** The jar's Implementation-Version, or "dev" when run from classes. */
    static String version() {
        String v = DesktopLauncher.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
