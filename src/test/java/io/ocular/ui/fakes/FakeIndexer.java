package io.ocular.ui.fakes;

import io.ocular.index.IndexListener;
import io.ocular.index.Indexer;
import io.ocular.model.IndexProgress;
import io.ocular.model.ModelInfo;
import io.ocular.store.Catalog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An indexer that records commands, adds folders to a catalog, and lets the test publish progress from any
 * thread (as the daemon does). Pause/resume/cancel publish the matching state, like the real daemon.
 */
public final class FakeIndexer implements Indexer {
    private final Catalog catalog;
    private final List<IndexListener> listeners = new CopyOnWriteArrayList<>();
    public final List<String> commands = new CopyOnWriteArrayList<>();
    /** What {@link #offlineFolders()} reports. */
    public final Set<Path> offline = ConcurrentHashMap.newKeySet();
    /** The threads {@link #offlineFolders()} was called on, in order. */
    public final List<String> offlineAskedOn = new CopyOnWriteArrayList<>();
    private volatile IndexProgress progress = IndexProgress.idle();

    public FakeIndexer(Catalog catalog) {
        this.catalog = catalog;
    }

    public void publish(IndexProgress p) {
        progress = p;
        for (IndexListener l : listeners) {
            l.onProgress(p);
        }
    }

    private void publishState(IndexProgress.State s) {
        IndexProgress p = progress;
        publish(new IndexProgress(s, p.done(), p.total(), p.skipped(), p.imagesPerSecond(), p.eta(), p.currentFile(),
                p.recentSkips()));
    }

    public int listenerCount() {
        return listeners.size();
    }

    @Override
    public void addFolder(Path folder) {
        commands.add("add " + folder);
        catalog.addFolder(folder);
    }

    @Override
    public void removeFolder(Path folder) {
        commands.add("remove " + folder);
        catalog.folders().stream().filter(f -> f.path().equals(folder)).forEach(f -> catalog.removeFolder(f.id()));
    }

    @Override
    public void rescan() {
        commands.add("rescan");
    }

    @Override
    public void rescan(Path subtree) {
        commands.add("rescan " + subtree);
    }

    @Override
    public void runFollowUpPasses() {
        commands.add("follow-up");
    }

    @Override
    public void putSetting(String key, String value) {
        commands.add("setting " + key + "=" + value);
        catalog.putSetting(key, value);
    }

    @Override
    public void activateModel(ModelInfo model) {
        commands.add("activate " + model.id());
        catalog.registerModel(model);
        catalog.setActiveModelId(model.id());
    }

    @Override
    public void pause() {
        commands.add("pause");
        publishState(IndexProgress.State.PAUSED);
    }

    @Override
    public void resume() {
        commands.add("resume");
        publishState(IndexProgress.State.INDEXING);
    }

    @Override
    public void cancel() {
        commands.add("cancel");
        publishState(IndexProgress.State.CANCELLING);
        publishState(IndexProgress.State.IDLE);
    }

    @Override
    public IndexProgress progress() {
        return progress;
    }

    @Override
    public void addListener(IndexListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(IndexListener listener) {
        listeners.remove(listener);
    }

    @Override
    public boolean awaitIdle(Duration timeout) {
        return true;
    }

    @Override
    public void close() {
    }

    @Override
    public Set<Path> offlineFolders() {
        offlineAskedOn.add(Thread.currentThread().getName());
        return Set.copyOf(offline);
    }
}
