package io.ocular.app;

import io.ocular.ui.common.Choosers;
import io.ocular.ui.common.Confirmer;
import io.ocular.ui.common.FxThumbnails;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.ThumbnailLoader;
import io.ocular.ui.common.UiServices;
import io.ocular.ui.common.ViewContext;
import io.ocular.ui.common.WindowFont;
import io.ocular.ui.main.MainView;
import io.ocular.ui.main.MainViewModel;
import java.lang.management.ManagementFactory;
import javafx.application.Application;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.scene.text.Font;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * The desktop window. Built by {@link DesktopLauncher} with the engine already wired (constructor
 * injection, no static hand-off), so it is started with {@code Platform.startup} rather than
 * {@code Application.launch}.
 */
public final class DesktopApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(DesktopApp.class);
    public static final String STYLESHEET = "/io/ocular/app/ocular.css";

    private final UiServices services;
    private final Function<Path, Image> thumbnailSource;
    private Messages messages;
    private MainViewModel vm;
    private ThumbnailLoader<Image> thumbnails;
    private Stage stage;

    /**
     * @param thumbnailSource decodes a grid thumbnail (e.g. from the engine's thumbnail cache); null decodes
     *                        the file with JavaFX
     */
    public DesktopApp(UiServices services, Function<Path, Image> thumbnailSource) {
        this(services, thumbnailSource, Messages.english());
    }

    /** @param messages the window's words, in the language chosen at start */
    public DesktopApp(UiServices services, Function<Path, Image> thumbnailSource, Messages messages) {
        this.services = Objects.requireNonNull(services, "services");
        this.thumbnailSource = thumbnailSource;
        this.messages = Objects.requireNonNull(messages, "messages");
    }

    @Override
    public void start(Stage primary) {
        this.stage = primary;
        if (!WindowFont.canShow(messages.locale(), Font.getFamilies())) {
            LOG.warn("no font for {} is installed (e.g. fonts-noto-cjk): the window is shown in English",
                    messages.locale());
            messages = Messages.english();
        }
        WindowFont.install(messages.locale()); // dialogs are windows of their own
        thumbnails = FxThumbnails.loader(thumbnailSource);
        vm = new MainViewModel(services, messages);
        ViewContext ctx = new ViewContext(thumbnails, Confirmer.dialog(() -> stage), Choosers.native_(),
                services.executors(), messages);
        MainView view = new MainView(vm, ctx);
        WindowState state = WindowState.load(services.settings());
        Scene scene = new Scene(view.root(), state.width(), state.height());
        scene.getStylesheets().add(Objects.requireNonNull(DesktopApp.class.getResource(STYLESHEET)).toExternalForm());
        primary.setScene(scene);
        primary.setTitle("Ocular");
        primary.setMinWidth(820);
        primary.setMinHeight(520);
        for (String size : new String[] {"32", "64", "256"}) {
            var icon = DesktopApp.class.getResource("/io/ocular/app/ocular-" + size + ".png");
            if (icon != null) {
                primary.getIcons().add(new Image(icon.toExternalForm()));
            }
        }
        if (!Double.isNaN(state.x()) && onSomeScreen(state)) {
            primary.setX(state.x());
            primary.setY(state.y());
        }
        primary.setMaximized(state.maximized());
        primary.setOnHiding(e -> saveGeometry());
        primary.setOnShown(e -> LOG.info("window shown {} ms after the JVM started",
                ManagementFactory.getRuntimeMXBean().getUptime()));
        vm.start();
        primary.show();
    }

    private static boolean onSomeScreen(WindowState s) {
        Rectangle2D title = new Rectangle2D(s.x() + 20, s.y() + 5, Math.max(1, s.width() - 40), 20);
        return Screen.getScreens().stream().anyMatch(sc -> sc.getVisualBounds().intersects(title));
    }

    private void saveGeometry() {
        if (stage == null) {
            return;
        }
        boolean max = stage.isMaximized();
        WindowState old = WindowState.load(services.settings());
        WindowState now = max
                ? new WindowState(old.x(), old.y(), old.width(), old.height(), true)
                : new WindowState(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), false);
        now.save(services.settings());
    }

    /** Brings the window forward (a second launch handed over, see {@link SingleInstance}). */
    public void toFront() {
        if (stage != null) {
            stage.setIconified(false);
            stage.toFront();
        }
    }

    /** The window's ViewModel (e.g. to hand it folders a second launch forwarded). */
    public MainViewModel viewModel() {
        return vm;
    }

    @Override
    public void stop() {
        if (vm != null) {
            vm.close();
        }
        if (thumbnails != null) {
            thumbnails.close();
        }
    }
}
