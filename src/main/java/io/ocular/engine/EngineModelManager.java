package io.ocular.engine;

import io.ocular.embed.BuiltinDescriptor;
import io.ocular.embed.ModelCatalogue;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * The window's model list ({@link ModelManager}) over the {@link ModelService}: what each model enables, in
 * the user's words, and the download progress as one fraction over all of a model's files.
 */
public final class EngineModelManager implements ModelManager {
    public static final String BUILTIN_ID = BuiltinDescriptor.MODEL_ID;

    private final ModelService models;
    private final BooleanSupplier networkCheck;

    /**
     * @param networkCheck tells whether downloads can work at all ({@link #hasNetworkInterface()}); null = never
     */
    public EngineModelManager(ModelService models, BooleanSupplier networkCheck) {
        this.models = Objects.requireNonNull(models, "models");
        this.networkCheck = networkCheck;
    }

    @Override
    public List<Entry> catalogue() {
        String active = models.activeModelId().orElse(null);
        List<Entry> list = new ArrayList<>();
        list.add(new Entry(BUILTIN_ID, "Built-in colour & texture", 0, "find similar photos, no download", true,
                active == null || BUILTIN_ID.equals(active), true, false));
        for (ModelCatalogue.Entry e : models.catalogue().entries()) {
            boolean text = e.kind() == ModelKind.IMAGE_TEXT || e.kind() == ModelKind.TEXT;
            list.add(new Entry(e.id(), e.name(), e.totalSize(),
                    e.kind() == ModelKind.TEXT
                            ? "search CLIP's photos by words in 50+ languages, Korean included (no re-index)"
                            : text ? "search by words and compose queries (“like this, but at night”)"
                            : "find similar photos more accurately",
                    models.isInstalled(e.id()), e.id().equals(active), false, text));
        }
        for (ModelInfo m : models.available()) {
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
            var interfaces = NetworkInterface.getNetworkInterfaces();
            while (interfaces != null && interfaces.hasMoreElements()) {
                var nic = interfaces.nextElement();
                if (nic.isUp() && !nic.isLoopback() && nic.getInetAddresses().hasMoreElements()) {
                    return true;
                }
            }
        } catch (SocketException e) {
            return false;
        }
        return false;
    }

    @Override
    public void download(String id, DoubleConsumer progress) {
        ModelCatalogue.Entry entry = models.catalogue().find(id)
                .orElseThrow(() -> new OcularException("Unknown model '" + id + "'."));
        long total = Math.max(1, entry.totalSize());
        long[] doneBefore = {0};
        String[] currentFile = {null};
        long[] lastBytes = {0};
        models.download(id, p -> {
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
        String id = models.importModel(source, Optional.empty()).manifest().id();
        return catalogue().stream().filter(e -> e.id().equals(id)).findFirst()
                .orElseThrow(() -> new OcularException("Imported model '" + id + "' is not in the catalogue."));
    }

    @Override
    public void activate(String id) {
        models.activate(id);
    }
}
