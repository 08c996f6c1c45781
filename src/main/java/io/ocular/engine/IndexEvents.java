package io.ocular.engine;

import io.ocular.model.ModelInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Delivers index lifecycle events to the registered listeners; a failing listener does not stop the others. */
final class IndexEvents implements IndexLifecycleListener {
    private static final Logger LOG = LoggerFactory.getLogger(IndexEvents.class);

    private final List<IndexLifecycleListener> listeners = new CopyOnWriteArrayList<>();

    void add(IndexLifecycleListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void remove(IndexLifecycleListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void vectorsAdded(String modelId, List<Long> ids, List<float[]> vectors) {
        each(l -> l.vectorsAdded(modelId, ids, vectors));
    }

    @Override
    public void vectorsRemoved(Collection<Long> ids) {
        each(l -> l.vectorsRemoved(ids));
    }

    @Override
    public void modelSwitched(ModelInfo from, ModelInfo to, int indexedVectors) {
        each(l -> l.modelSwitched(from, to, indexedVectors));
    }

    private void each(Consumer<IndexLifecycleListener> event) {
        for (IndexLifecycleListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("index lifecycle listener {} failed; the change itself is committed", l, e);
            }
        }
    }
}
