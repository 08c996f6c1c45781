package io.ocular.ui.indexing;

import io.ocular.index.IndexListener;
import io.ocular.index.Indexer;
import io.ocular.model.ImageRecord;
import io.ocular.model.IndexProgress;
import io.ocular.model.SkippedFile;
import io.ocular.store.Catalog;
import io.ocular.ui.common.Coalescer;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiTask;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The indexing panel: progress, throughput, ETA, pause/resume/cancel, skipped files with reasons.
 *
 * <p>The daemon calls {@link #onProgress} on its own threads, possibly thousands of times a second. Those
 * calls only store the latest snapshot; a {@link Coalescer} keeps at most one update pending on the UI
 * thread, which applies whatever snapshot is newest when it runs, and in the window no more than four times a
 * second ({@link #UI_UPDATE_GAP}).
 */
public final class IndexingViewModel implements IndexListener, AutoCloseable {
    static final int MAX_SKIPS_SHOWN = 10_000;
    /**
     * The window's gap between two progress updates on the FX thread: four a second reads as live, and however
     * fast photos are indexed the panel (and the sidebar that follows it) cost the FX thread that much at most.
     */
    public static final Duration UI_UPDATE_GAP = Duration.ofMillis(250);

    private final Indexer indexer;
    private final Catalog catalog;
    private final UiTask loading;
    private final UiTask commands;
    private final Notifications notifications;
    private final Messages msg;
    private final Coalescer<IndexProgress> coalescer;
    private final List<Consumer<IndexProgress>> followers = new ArrayList<>();

    private final ReadOnlyObjectWrapper<IndexProgress> progress = new ReadOnlyObjectWrapper<>(this, "progress",
            IndexProgress.idle());
    private final ReadOnlyStringWrapper stateText = new ReadOnlyStringWrapper(this, "stateText", "");
    private final ReadOnlyStringWrapper countText = new ReadOnlyStringWrapper(this, "countText", "");
    private final ReadOnlyStringWrapper rateText = new ReadOnlyStringWrapper(this, "rateText", "");
    private final ReadOnlyStringWrapper etaText = new ReadOnlyStringWrapper(this, "etaText", "");
    private final ReadOnlyStringWrapper currentFile = new ReadOnlyStringWrapper(this, "currentFile", "");
    private final ReadOnlyDoubleWrapper fraction = new ReadOnlyDoubleWrapper(this, "fraction", 0);
    private final ReadOnlyBooleanWrapper active = new ReadOnlyBooleanWrapper(this, "active");
    private final ReadOnlyBooleanWrapper paused = new ReadOnlyBooleanWrapper(this, "paused");
    private final ObservableList<SkippedFile> skipped = FXCollections.observableArrayList();
    private final Set<Path> skippedPaths = new HashSet<>();
    private long updatesApplied;

    public IndexingViewModel(Indexer indexer, Catalog catalog, UiExecutors executors, Notifications notifications) {
        this(indexer, catalog, executors, notifications, Messages.english());
    }

    public IndexingViewModel(Indexer indexer, Catalog catalog, UiExecutors executors, Notifications notifications,
                             Messages msg) {
        this(indexer, catalog, executors, notifications, msg, Duration.ZERO);
    }

    /**
     * {@code minGap}: updates reach the UI thread at least this far apart ({@link #UI_UPDATE_GAP} in the window;
     * zero in unit tests with a direct executor).
     */
    public IndexingViewModel(Indexer indexer, Catalog catalog, UiExecutors executors, Notifications notifications,
                             Messages msg, Duration minGap) {
        this.indexer = indexer;
        this.catalog = catalog;
        this.msg = msg;
        stateText.set(msg.get("indexing.idle"));
        this.loading = UiTask.latestWins(msg.get("task.readSkipped"), executors, notifications);
        this.commands = UiTask.everyRun(msg.get("indexing.title"), executors, notifications);
        this.notifications = notifications;
        this.coalescer = Coalescer.throttled(executors.ui(), this::apply, minGap);
    }

    /** Subscribes to the daemon and loads the skips of earlier runs. */
    public void start() {
        indexer.addListener(this);
        coalescer.offer(indexer.progress());
        loading.supply(() -> catalog.skippedImages(1000)).onSuccess(list -> {
            for (ImageRecord r : list) {
                addSkip(new SkippedFile(r.path(), r.skipReason() == null ? msg.get("indexing.skippedReason") : r.skipReason()));
            }
        }).onFailure(failure -> { }).start(); // earlier runs' skips are a nicety; the live ones still show
    }

    @Override
    public void close() {
        indexer.removeListener(this);
    }

    /** Called by the daemon on its threads: store and coalesce, never block. */
    @Override
    public void onProgress(IndexProgress p) {
        coalescer.offer(p);
    }

    /** Also tells {@code follower} (on the UI thread) after each applied update. */
    public void addFollower(Consumer<IndexProgress> follower) {
        followers.add(follower);
    }

    private void apply(IndexProgress p) {
        updatesApplied++;
        progress.set(p);
        IndexProgress.State s = p.state();
        boolean running = s == IndexProgress.State.SCANNING || s == IndexProgress.State.INDEXING
                || s == IndexProgress.State.PAUSED || s == IndexProgress.State.CANCELLING;
        active.set(running);
        paused.set(s == IndexProgress.State.PAUSED);
        stateText.set(switch (s) {
            case IDLE -> msg.get("indexing.upToDate");
            case SCANNING -> msg.get("indexing.scanning");
            case INDEXING -> msg.get("indexing.indexing");
            case PAUSED -> p.notice() != null ? msg.format("indexing.pausedWith", p.notice()) // e.g. the disk is full
                    : msg.get("indexing.paused");
            case CANCELLING -> msg.get("indexing.cancelling");
            case DONE -> p.notice() != null ? msg.format("indexing.doneWith", localNotice(p.notice(), msg))
                    : msg.get("indexing.done");
            case FAILED -> msg.get("indexing.failed");
        });
        fraction.set(s == IndexProgress.State.SCANNING && p.total() == 0 ? -1 : p.fraction());
        countText.set(p.total() > 0 ? msg.format("indexing.count", p.done(), p.total()) : "");
        rateText.set(running && p.imagesPerSecond() > 0 ? msg.format("indexing.rate", p.imagesPerSecond()) : "");
        etaText.set(running && p.eta() != null ? formatEta(p.eta(), msg) : "");
        currentFile.set(p.currentFile() == null ? "" : p.currentFile().toString());
        for (SkippedFile f : p.recentSkips()) {
            addSkip(f);
        }
        for (Consumer<IndexProgress> f : followers) {
            f.accept(p);
        }
    }

    private void addSkip(SkippedFile f) {
        if (skipped.size() < MAX_SKIPS_SHOWN && skippedPaths.add(f.path())) {
            skipped.add(f);
        }
    }

    private static final Pattern FRESH = Pattern.compile("([\\d,]+) new photos? found");
    private static final Pattern MOVED = Pattern.compile("([\\d,]+) moved");
    private static final Pattern REMOVED = Pattern.compile("([\\d,]+) removed");
    private static final Pattern OFFLINE = Pattern.compile("(.+) is offline \\(drive disconnected\\?\\): its photos are kept");

    /**
     * The run's notice in the window's words. The indexer says it in English ("3 new photos found; 1 moved;
     * Pictures is offline (drive disconnected?): its photos are kept", see {@code ProgressTracker.notice()});
     * the parts it knows are said again in {@code msg}'s language, anything else is shown as it came.
     */
    static String localNotice(String notice, Messages msg) {
        List<String> out = new ArrayList<>();
        for (String part : notice.split("; ")) {
            Matcher m;
            if ((m = FRESH.matcher(part)).matches()) {
                out.add(msg.format("indexing.notice.fresh", count(m.group(1))));
            } else if ((m = MOVED.matcher(part)).matches()) {
                out.add(msg.format("indexing.notice.moved", count(m.group(1))));
            } else if ((m = REMOVED.matcher(part)).matches()) {
                out.add(msg.format("indexing.notice.removed", count(m.group(1))));
            } else if ((m = OFFLINE.matcher(part)).matches()) {
                out.add(msg.format("indexing.notice.offline", m.group(1)));
            } else {
                out.add(part);
            }
        }
        return String.join("; ", out);
    }

    private static long count(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }

    static String formatEta(Duration eta, Messages msg) {
        long s = Math.max(0, eta.toSeconds());
        if (s < 60) {
            return msg.format("indexing.etaSeconds", Math.max(1, s));
        }
        if (s < 3600) {
            return msg.format("indexing.etaMinutes", (s + 30) / 60);
        }
        return msg.format("indexing.etaHours", s / 3600, (s % 3600) / 60);
    }

    // ---- commands ------------------------------------------------------------------------------

    public void pause() {
        command(msg.get("task.pause"), indexer::pause);
    }

    public void resume() {
        command(msg.get("task.resume"), indexer::resume);
    }

    public void togglePause() {
        if (paused.get()) {
            resume();
        } else {
            pause();
        }
    }

    public void cancel() {
        command(msg.get("task.cancel"), indexer::cancel);
    }

    public void rescan() {
        command(msg.get("task.rescan"), indexer::rescan);
    }

    private void command(String what, Runnable action) {
        commands.run(action).describedAs(what).start();
    }

    // ---- properties ----------------------------------------------------------------------------

    public ReadOnlyObjectProperty<IndexProgress> progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty stateTextProperty() {
        return stateText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty countTextProperty() {
        return countText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty rateTextProperty() {
        return rateText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty etaTextProperty() {
        return etaText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty currentFileProperty() {
        return currentFile.getReadOnlyProperty();
    }

    /** 0..1, or -1 while the total is unknown (indeterminate bar). */
    public ReadOnlyDoubleProperty fractionProperty() {
        return fraction.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty activeProperty() {
        return active.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty pausedProperty() {
        return paused.getReadOnlyProperty();
    }

    public ObservableList<SkippedFile> skipped() {
        return skipped;
    }

    /** How many coalesced updates reached the UI thread (diagnostics, tests). */
    public long updatesApplied() {
        return updatesApplied;
    }
}
