package io.ocular.engine;

import io.ocular.embed.ModelCatalogue;
import io.ocular.embed.ModelInstaller;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import io.ocular.engine.ModelManager;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Adapts the engine's model catalogue and installer to the window's {@link ModelManager}. Activation and
 * import are passed in by the composition root, which owns the encoders.
 */
public final class EngineModelManager implements ModelManager {
    public static final String BUILTIN_ID = io.ocular.embed.BuiltinDescriptor.MODEL_ID;

    private final ModelCatalogue catalogue;
    private final ModelInstaller installer;
    private final Supplier<String> activeId;
    private final Consumer<String> activator;
    private final Function<Path, String> importer;
    private final java.util.function.BooleanSupplier networkCheck;
    private final Supplier<List<ModelInfo>> installed;

    /**
     * @param activeId  the active model's id (e.g. from the catalog)
     * @param activator makes a model active (the composition root swaps encoders and re-indexes)
     * @param importer  imports a model file/folder and returns its id; may throw {@link OcularException}
     * @param networkCheck tells whether downloads can work at all ({@link #hasNetworkInterface()}); null = never
     */
    public EngineModelManager(ModelCatalogue catalogue, ModelInstaller installer, Supplier<String> activeId,
                              Consumer<String> activator, Function<Path, String> importer,
                              java.util.function.BooleanSupplier networkCheck) {
        this(catalogue, installer, activeId, activator, importer, networkCheck, List::of);
    }

    /**
     * As above; {@code installed} lists every model the engine can open (e.g. {@code EncoderRegistry::available}),
     * so models imported from a file that the catalogue does not know show in the list too.
     */
    public EngineModelManager(ModelCatalogue catalogue, ModelInstaller installer, Supplier<String> activeId,
                              Consumer<String> activator, Function<Path, String> importer,
                              java.util.function.BooleanSupplier networkCheck, Supplier<List<ModelInfo>> installed) {
        this.installed = Objects.requireNonNull(installed);
        this.catalogue = Objects.requireNonNull(catalogue);
        this.installer = Objects.requireNonNull(installer);
        this.activeId = Objects.requireNonNull(activeId);
        this.activator = Objects.requireNonNull(activator);
        this.importer = Objects.requireNonNull(importer);
        this.networkCheck = networkCheck;
    }

    @Override
    public List<Entry> catalogue() {
        String active = activeId.get();
        List<Entry> list = new ArrayList<>();
        list.add(new Entry(BUILTIN_ID, "Built-in colour & texture", 0, "find similar photos, no download", true,
                active == null || BUILTIN_ID.equals(active), true, false));
        for (ModelCatalogue.Entry e : catalogue.entries()) {
            boolean text = e.kind() == ModelKind.IMAGE_TEXT || e.kind() == ModelKind.TEXT;
            list.add(new Entry(e.id(), e.name(), e.totalSize(),
                    text ? "search by words and compose queries (“like this, but at night”)"
                            : "find similar photos more accurately",
                    installer.isInstalled(e.id()), e.id().equals(active), false, text));
        }
        for (ModelInfo m : installed.get()) {
            if (list.stream().noneMatch(e -> e.id().equals(m.id()))) {
                boolean text = m.kind() == ModelKind.IMAGE_TEXT || m.kind() == ModelKind.TEXT;
                list.add(new Entry(m.id(), m.name(), 0,
                        text ? "search by words and find similar photos (imported)"
                                : "find similar photos (imported, " + m.dimension() + "-d vectors)",
                        true, m.id().equals(active), false, text));
            }
        }
        return list;
    }

    @Override
    public boolean networkAvailable() {
        return networkCheck != null && networkCheck.getAsBoolean();
    }

    /**
     * A passive check (no traffic is sent: Ocular contacts no server unless the user asks for a download):
     * is any network interface up besides loopback? A download that still fails says so in its message.
     */
    public static boolean hasNetworkInterface() {
        try {
            var interfaces = java.net.NetworkInterface.getNetworkInterfaces();
            while (interfaces != null && interfaces.hasMoreElements()) {
                var nic = interfaces.nextElement();
                if (nic.isUp() && !nic.isLoopback() && nic.getInetAddresses().hasMoreElements()) {
                    return true;
                }
            }
        } catch (java.net.SocketException e) {
            return false;
        }
        return false;
    }

    @Override
    public void download(String id, DoubleConsumer progress) {
        ModelCatalogue.Entry entry = catalogue.find(id)
                .orElseThrow(() -> new OcularException("Unknown model '" + id + "'."));
        long total = Math.max(1, entry.totalSize());
        long[] doneBefore = {0};
        String[] currentFile = {null};
        long[] lastBytes = {0};
        installer.install(entry, p -> {
            if (!p.file().equals(currentFile[0])) {
                if (currentFile[0] != null) {
                    doneBefore[0] += lastBytes[0];
                }
                currentFile[0] = p.file();
            }
            lastBytes[0] = p.bytes();
            progress.accept(Math.min(1.0, (doneBefore[0] + p.bytes()) / (double) total));
        }, () -> Thread.currentThread().isInterrupted());
        progress.accept(1.0);
    }

    @Override
    public Entry importModel(Path source) {
        String id = importer.apply(source);
        return catalogue().stream().filter(e -> e.id().equals(id)).findFirst()
                .orElseThrow(() -> new OcularException("Imported model '" + id + "' is not in the catalogue."));
    }

    @Override
    public void activate(String id) {
        activator.accept(id);
    }
}
