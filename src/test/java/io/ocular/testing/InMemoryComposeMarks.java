package io.ocular.testing;

import io.ocular.model.ComposeMark;
import io.ocular.model.OcularException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/** The compose marks of the in-memory test catalogs: one per (model, reference, words, target), replaced on re-marking. */
public final class InMemoryComposeMarks {
    private final Map<String, ComposeMark> marks = new LinkedHashMap<>();

    private static String key(String model, long ref, String words, long target) {
        return model + '\u0000' + ref + '\u0000' + words.strip() + '\u0000' + target;
    }

    /** @param imageExists whether an image id is in the catalog (a mark needs both of its photos) */
    public synchronized void put(ComposeMark m, LongPredicate imageExists) {
        if (!imageExists.test(m.referenceId()) || !imageExists.test(m.targetId())) {
            throw new OcularException("The mark was not kept: the photo is no longer in the library.");
        }
        marks.put(key(m.modelId(), m.referenceId(), m.modification(), m.targetId()), m);
    }

    public synchronized boolean delete(String model, long ref, String words, long target) {
        return marks.remove(key(model, ref, words, target)) != null;
    }

    public synchronized List<ComposeMark> list(String model) {
        List<ComposeMark> out = new ArrayList<>();
        for (ComposeMark m : marks.values()) {
            if (m.modelId().equals(model)) {
                out.add(m);
            }
        }
        out.sort(Comparator.comparing(ComposeMark::markedAt));
        return out;
    }

    public synchronized long count(String model, boolean relevant) {
        return list(model).stream().filter(m -> m.relevant() == relevant).count();
    }

    public synchronized int forget(String model) {
        int before = marks.size();
        marks.values().removeIf(m -> model == null || m.modelId().equals(model));
        return before - marks.size();
    }

    /** Marks of deleted images go with them. */
    public synchronized void imageDeleted(long id) {
        marks.values().removeIf(m -> m.referenceId() == id || m.targetId() == id);
    }
}
