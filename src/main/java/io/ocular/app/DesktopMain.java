package io.ocular.app;

import io.ocular.embed.ModelCatalogue;
import io.ocular.embed.ModelDownloader;
import io.ocular.embed.ModelInstaller;
import io.ocular.model.ImageRecord;
import io.ocular.model.OcularException;
import io.ocular.ui.common.AppInfo;
import javafx.scene.image.Image;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The window's side of the composition root: one instance per data folder, the engine opened by
 * {@link Ocular#open}, the UI's model manager wired to the engine's model store, then
 * {@link DesktopLauncher#launch} until the window closes.
 */
final class DesktopMain {
    private static final Logger LOG = LoggerFactory.getLogger(DesktopMain.class);

    private DesktopMain() {
    }

    static int run(AppPaths paths, String[] args) {
        paths.createDirectories();
        LaunchHandoff handoff = new LaunchHandoff();
        List<String> forwardable = java.util.Arrays.stream(args)
                .map(a -> Path.of(a).toAbsolutePath().toString()).toList();
        Optional<SingleInstance> guard = SingleInstance.acquire(paths.dataDir(), forwardable, handoff::deliver);
        if (guard.isEmpty()) {
            return 0; // the running window got our arguments
        }
        if (!forwardable.isEmpty()) {
            handoff.deliver(forwardable); // folders given to this first launch are added once the window is up
        }
        try (SingleInstance ignored = guard.get(); Ocular ocular = CatalogRecovery.open(() -> Ocular.open(paths, null),
                paths.catalogFile(), new CatalogRecoveryDialog())) {
            ModelInstaller installer = new ModelInstaller(new ModelDownloader(ModelDownloader.defaultClient(),
                    Duration.ofSeconds(30), 3, Duration.ofSeconds(2)), ocular.modelStore());
            EngineModelManager models = modelManager(ocular, installer);
            DesktopLauncher.launch(ocular.catalog(), ocular.indexer(), ocular.search(), models,
                    new AppInfo(DesktopLauncher.version(), paths.dataDir(), paths.logsDir()), thumbnails(ocular), handoff);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } catch (OcularException e) {
            LOG.error("cannot open the window: {}", e.getMessage(), e);
            return 1;
        }
    }

    /** The window's model list over the engine: activation switches the model at once, import goes to the store. */
    static EngineModelManager modelManager(Ocular ocular, ModelInstaller installer) {
        return new EngineModelManager(ModelCatalogue.builtIn(), installer,
                () -> ocular.catalog().activeModelId().orElse(null),
                id -> activate(ocular, id),
                source -> importModel(ocular, source),
                EngineModelManager::hasNetworkInterface, ocular.encoders()::available);
    }

    /** Makes a model active at once (see {@link Ocular#switchModel}): the window's next search uses it. */
    private static void activate(Ocular ocular, String id) {
        ocular.switchModel(id);
    }

    private static String importModel(Ocular ocular, Path source) {
        boolean pack = source.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
        return (pack ? ocular.modelStore().importPack(source)
                : ocular.modelStore().importFile(source, Optional.empty())).manifest().id();
    }

    /** Grid thumbnails from the engine's content-keyed cache; files not yet hashed decode directly. */
    private static Function<Path, Image> thumbnails(Ocular ocular) {
        return path -> {
            Optional<String> hash = ocular.catalog().imageByPath(path).map(ImageRecord::contentHash);
            if (hash.isPresent() && hash.get() != null) {
                try {
                    return new Image(ocular.thumbnails().thumbnail(path, hash.get()).toUri().toString());
                } catch (OcularException e) {
                    LOG.debug("no cached thumbnail for {}: {}", path, e.getMessage());
                }
            }
            return new Image(path.toUri().toString(), 256, 256, true, true);
        };
    }
}
