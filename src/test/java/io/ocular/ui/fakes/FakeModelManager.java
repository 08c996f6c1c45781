package io.ocular.ui.fakes;

import io.ocular.model.OcularException;
import io.ocular.engine.ModelManager;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;

/**
 * Built-in descriptor (installed, active), a CLIP entry and the photo model (MobileNetV2, 3.66 MB), each of
 * which downloads in 4 progress steps.
 */
public final class FakeModelManager implements ModelManager {
    public volatile boolean network = true;
    private volatile boolean clipInstalled;
    private volatile boolean photoInstalled;
    private volatile String active = "builtin";

    @Override
    public List<Entry> catalogue() {
        List<Entry> list = new ArrayList<>();
        list.add(new Entry("builtin", "Built-in colour & texture", 0, "find similar photos", true,
                active.equals("builtin"), true, false));
        list.add(new Entry("clip", "CLIP ViT-B/32", 338_000_000L, "search by words and compose queries",
                clipInstalled, active.equals("clip"), false, true));
        list.add(new Entry("mobilenetv2-int8", "Photo model: MobileNetV2", 3_655_033L,
                "find similar photos more accurately", photoInstalled, active.equals("mobilenetv2-int8"), false, false));
        return list;
    }

    @Override
    public boolean networkAvailable() {
        return network;
    }

    @Override
    public void download(String id, DoubleConsumer progress) {
        if (!network) {
            throw new OcularException("offline");
        }
        for (int i = 1; i <= 4; i++) {
            progress.accept(i / 4.0);
        }
        if (id.equals("mobilenetv2-int8")) {
            photoInstalled = true;
        } else {
            clipInstalled = true;
        }
    }

    @Override
    public Entry importModel(Path source) {
        clipInstalled = true;
        return catalogue().get(1);
    }

    @Override
    public void activate(String id) {
        active = id;
    }
}
