package io.ocular.app;

import io.ocular.engine.Engine;
import io.ocular.engine.ModelManager;
import io.ocular.search.IndexChoice;
import io.ocular.search.local.InstanceSearch;
import io.ocular.ui.common.AppInfo;
import io.ocular.ui.common.FolderOpener;
import io.ocular.ui.common.IndexSettings;
import io.ocular.ui.common.LibraryLocations;
import io.ocular.ui.common.InstanceSearchSwitch;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.TextModels;
import io.ocular.ui.common.Trash;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiServices;
import io.ocular.ui.main.ExifDetails;
import javafx.application.Platform;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Opens the desktop window over an engine the caller owns, and returns when the window is closed (the
 * caller then closes the engine). Called by {@code Main} when there are no arguments.
 */
public final class DesktopLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(DesktopLauncher.class);

    private DesktopLauncher() {
    }

    /**
     * Opens the window over {@code engine}'s services and blocks until it is closed. {@code handoff} brings
     * arguments of later launches (see {@link SingleInstance}) to the window: it comes to the front, and
     * forwarded folders are added to the library.
     *
     * @param models          the window's model list over {@link Engine#models()}
     * @param info            the version and folders the Help menu shows
     * @param thumbnailSource grid thumbnails (e.g. the engine's thumbnail cache)
     */
    public static void launch(Engine engine, ModelManager models, AppInfo info, Function<Path, Image> thumbnailSource,
                              LaunchHandoff handoff) throws InterruptedException {
        launch(engine, models, info, thumbnailSource, handoff, Messages.english());
    }

    /** As above, with the window's words in {@code messages}' language. */
    public static void launch(Engine engine, ModelManager models, AppInfo info, Function<Path, Image> thumbnailSource,
                              LaunchHandoff handoff, Messages messages) throws InterruptedException {
        ExecutorService background = Executors.newFixedThreadPool(3, daemonThreads("ui-background"));
        UiServices services = new UiServices(engine.catalog(), engine.indexer(), engine.search(),
                engine.duplicates(), models, Trash.desktop(), PrefsUiSettings.forDataDir(info.dataDir()),
                new UiExecutors(background, Platform::runLater), ExifDetails::read, info, FolderOpener.desktop(),
                instanceSearch(engine), engine::explainMatch, textModels(engine), indexSettings(engine),
                libraryLocations(engine), engine.composeLearning(), engine.codeTraining());
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<DesktopApp> app = new AtomicReference<>();
        Platform.setImplicitExit(true);
        FxStartup.start(() -> {
            Thread.currentThread().setUncaughtExceptionHandler((t, e) ->
                    LOG.error("uncaught on the FX thread", e));
            DesktopApp desktop = new DesktopApp(services, thumbnailSource, messages);
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
                    if (Files.isDirectory(p)) {
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

    /** Settings' instance search switch over the engine (its setting, the model check, the feature pass). */
    static InstanceSearchSwitch instanceSearch(Engine engine) {
        return new InstanceSearchSwitch() {
            @Override
            public boolean isOn() {
                return engine.instance().map(InstanceSearch::enabled).orElse(false);
            }

            @Override
            public void set(boolean on) {
                engine.setInstanceSearch(on);
            }
        };
    }

    /** Settings → Library location over the engine: what is open now, and a connection test as it would open. */
    static LibraryLocations libraryLocations(Engine engine) {
        return new LibraryLocations() {
            @Override
            public String inUse() {
                return engine.catalog().describeLocation();
            }

            @Override
            public String test(String url) {
                return Engine.testSharedLibrary(engine.paths(), url);
            }
        };
    }

    /** Settings' choice of index over the engine. */
    static IndexSettings indexSettings(Engine engine) {
        return new IndexSettings() {
            @Override
            public IndexChoice choice() {
                return engine.indexChoice();
            }

            @Override
            public void choose(IndexChoice choice) {
                engine.chooseIndex(choice);
            }

            @Override
            public String inUse() {
                return engine.indexDescription();
            }
        };
    }

    /** "Search words with: …" over the engine: the active model's text towers, the choice remembered for it. */
    static TextModels textModels(Engine engine) {
        return new TextModels() {
            @Override
            public Choices read() {
                String own = engine.activeModel().id();
                return engine.textTowers().map(t -> new Choices(t.choices().stream()
                        .map(m -> new Choice(m.id(), m.name(), m.id().equals(own))).toList(), t.current()))
                        .orElse(Choices.NONE);
            }

            @Override
            public void use(String id) {
                engine.useTextModel(id, true);
            }
        };
    }

    /** The jar's Implementation-Version, or "dev" when run from classes. */
    static String version() {
        String v = DesktopLauncher.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
