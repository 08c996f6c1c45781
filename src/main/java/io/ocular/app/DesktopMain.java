package io.ocular.app;

import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.engine.EngineModelManager;
import io.ocular.model.ImageRecord;
import io.ocular.model.OcularException;
import io.ocular.ui.common.AppInfo;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.UiLanguage;
import io.ocular.ui.common.UiSettings;
import javafx.scene.image.Image;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The window's side of the launcher: one instance per data folder, the engine opened by {@link Engine#open}
 * (it builds everything of the engine), then {@link DesktopLauncher#launch} over the engine's services until
 * the window closes.
 */
final class DesktopMain {
    private static final Logger LOG = LoggerFactory.getLogger(DesktopMain.class);

    private DesktopMain() {
    }

    static int run(AppPaths paths, String[] args) {
        paths.createDirectories();
        LaunchHandoff handoff = new LaunchHandoff();
        List<String> forwardable = Arrays.stream(args)
                .map(a -> Path.of(a).toAbsolutePath().toString()).toList();
        Optional<SingleInstance> guard = SingleInstance.acquire(paths.dataDir(), forwardable, handoff::deliver);
        if (guard.isEmpty()) {
            return 0; // the running window got our arguments
        }
        if (!forwardable.isEmpty()) {
            handoff.deliver(forwardable); // folders given to this first launch are added once the window is up
        }
        PrefsUiSettings prefs = PrefsUiSettings.forDataDir(paths.dataDir());
        Messages messages = windowLanguage(prefs);
        AppPaths chosen = LibraryChoice.apply(paths, prefs, System.getenv()); // Settings → Library location
        CatalogRecoveryDialog dialog = new CatalogRecoveryDialog(messages);
        try (SingleInstance ignored = guard.get(); Engine engine = CatalogRecovery.open(() -> LibraryChoice.open(
                chosen, paths, p -> Engine.open(p, null), Engine::openCopy, dialog, messages), paths.catalogFile(), dialog, messages)) {
            DesktopLauncher.launch(engine, modelManager(engine),
                    new AppInfo(DesktopLauncher.version(), paths.dataDir(), paths.logsDir()), thumbnails(engine), handoff,
                    messages);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } catch (OcularException e) {
            LOG.error("cannot open the window: {}", e.getMessage(), e);
            return 1;
        }
    }

    /**
     * The window's words: the language chosen in Settings, else the system's (English where Ocular has no
     * bundle for it). A chosen language also becomes the JVM's default locale before the toolkit starts, so
     * JavaFX's own words (Cancel, the date picker's months) and date formats agree with the window's.
     */
    static Messages windowLanguage(UiSettings settings) {
        UiLanguage chosen = UiLanguage.load(settings);
        Locale locale = chosen.locale(Locale.getDefault());
        if (chosen != UiLanguage.SYSTEM && !locale.getLanguage().equals(Locale.getDefault().getLanguage())) {
            Locale.setDefault(new Locale(locale.getLanguage(), Locale.getDefault().getCountry()));
        }
        return Messages.of(locale);
    }

    /** The window's model list over the engine's models: activation is the engine's one model switch. */
    static EngineModelManager modelManager(Engine engine) {
        return new EngineModelManager(engine.models(), EngineModelManager::hasNetworkInterface);
    }

    /** Grid thumbnails from the engine's content-keyed cache; files not yet hashed decode directly. */
    static Function<Path, Image> thumbnails(Engine engine) {
        return path -> {
            Optional<String> hash = engine.catalog().imageByPath(path).map(ImageRecord::contentHash);
            if (hash.isPresent() && hash.get() != null) {
                try {
                    return new Image(engine.thumbnails().thumbnail(path, hash.get()).toUri().toString());
                } catch (OcularException e) {
                    LOG.debug("no cached thumbnail for {}: {}", path, e.getMessage());
                }
            }
            return new Image(path.toUri().toString(), 256, 256, true, true);
        };
    }
}
