package io.ocular.search;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The composer of one image space that can be replaced while searches run (a personal Combiner switched on once it
 * is trained, or back to the weighted sum after a reset): each query uses whichever composer is current when it
 * starts.
 */
public final class SwitchableComposer implements QueryComposer {
    private final AtomicReference<QueryComposer> current;

    public SwitchableComposer(QueryComposer first) {
        current = new AtomicReference<>(Objects.requireNonNull(first, "first"));
    }

    public QueryComposer current() {
        return current.get();
    }

    public void set(QueryComposer next) {
        current.set(Objects.requireNonNull(next, "next"));
    }

    @Override
    public float[] compose(float[] image, float[] text, double weight) {
        return current.get().compose(image, text, weight);
    }
}
