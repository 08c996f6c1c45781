package io.ocular.ui.fakes;

import io.ocular.model.OcularException;
import io.ocular.ui.common.TextModels;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Text model choices as the engine would give them: none until set; use() records and may refuse. */
public final class FakeTextModels implements TextModels {
    public static final Choice CLIP = new Choice("clip", "CLIP ViT-B/32", true);
    public static final Choice MULTILINGUAL = new Choice("clip-vit-b32-multilingual",
            "Multilingual text search for CLIP ViT-B/32", false);

    public volatile List<Choice> choices = List.of();
    public volatile String current;
    public volatile String refuse;
    public final List<String> used = new CopyOnWriteArrayList<>();

    @Override
    public Choices read() {
        return new Choices(choices, current);
    }

    @Override
    public void use(String id) {
        used.add(id);
        if (id.equals(refuse)) {
            throw new OcularException("'" + id + "' cannot search these photos.");
        }
        current = id;
    }
}
