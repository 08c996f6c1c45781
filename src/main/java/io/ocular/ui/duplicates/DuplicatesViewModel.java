package io.ocular.ui.duplicates;

import io.ocular.engine.DuplicateService;
import io.ocular.index.Indexer;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.Trash;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiTask;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Near-duplicate groups of the active model's vectors, with a similarity threshold slider. In each group
 * the user ticks the copies to throw away (the first one is kept by default); {@link #trashMarked()} moves
 * them to the desktop's trash. The view asks for confirmation before calling it: nothing is deleted without.
 */
public final class DuplicatesViewModel {
    /** The lowest threshold the slider offers; pairs are computed once at this level. */
    public static final double MIN_THRESHOLD = DuplicateService.MIN_THRESHOLD;

    /** One image in a group; {@code trash} is the user's tick. */
    public static final class Member {
        private final long id;
        private final Path path;
        private final long size;
        private final BooleanProperty trash = new SimpleBooleanProperty(this, "trash");

        Member(long id, Path path, long size) {
            this.id = id;
            this.path = path;
            this.size = size;
        }

        public long id() {
            return id;
        }

        public Path path() {
            return path;
        }

        public long size() {
            return size;
        }

        public BooleanProperty trashProperty() {
            return trash;
        }
    }

    public record Group(List<Member> members, float similarity) {
    }

    private final DuplicateService finder;
    private final Indexer indexer;
    private final Trash trash;
    private final UiTask scanning;
    private final UiTask trashing;
    private final Notifications notifications;
    private final Messages msg;
    private final DoubleProperty threshold = new SimpleDoubleProperty(this, "threshold",
            DuplicateService.DEFAULT_THRESHOLD);
    private final ObservableList<Group> groups = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary");
    private DuplicateService.Scan scan;
    private boolean thresholdChosen; // the user moved the slider: keep their threshold over the model's default
    private boolean settingDefault;

    /**
     * @param finder  the engine's duplicate finding
     * @param indexer told to rescan once copies went to the trash
     */
    public DuplicatesViewModel(DuplicateService finder, Indexer indexer, Trash trash, UiExecutors executors,
                               Notifications notifications) {
        this(finder, indexer, trash, executors, notifications, Messages.english());
    }

    public DuplicatesViewModel(DuplicateService finder, Indexer indexer, Trash trash, UiExecutors executors,
                               Notifications notifications, Messages msg) {
        this.msg = msg;
        summary.set(msg.get("dup.intro"));
        this.finder = finder;
        this.indexer = indexer;
        this.trash = trash;
        this.scanning = UiTask.latestWins(msg.get("task.findDuplicates"), executors, notifications);
        this.trashing = UiTask.everyRun(msg.get("task.trash"), executors, notifications);
        this.notifications = notifications;
        threshold.addListener((obs, o, n) -> {
            thresholdChosen |= !settingDefault;
            regroup();
        });
    }

    public DoubleProperty thresholdProperty() {
        return threshold;
    }

    public ObservableList<Group> groups() {
        return groups;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return scanning.busyProperty();
    }

    /** Scans the active model's vectors (off the UI thread). */
    public void scan() {
        summary.set(msg.get("dup.comparing"));
        UiTask.Job<DuplicateService.Scan> job = scanning.supply(() -> finder.scan(MIN_THRESHOLD));
        job.onSuccess(found -> {
            scan = found;
            if (!thresholdChosen) {
                settingDefault = true;
                threshold.set(found.suggestedThreshold()); // the active model's similarity scale
                settingDefault = false;
            }
            regroup();
        }).onFailure(failure -> {
            summary.set("");
            job.notice(failure);
        }).start();
    }

    private void regroup() {
        List<Group> out = new ArrayList<>();
        int images = 0;
        for (DuplicateService.Group g : scan == null ? List.<DuplicateService.Group>of() : scan.groups(threshold.get())) {
            out.add(new Group(g.members().stream().map(m -> new Member(m.id(), m.path(), m.size())).toList(),
                    g.similarity()));
            images += g.members().size();
        }
        groups.setAll(out);
        summary.set(out.isEmpty() ? msg.get("dup.none") : msg.format("dup.summary", out.size(), images));
    }

    /** Ticks every member but the first of each group. */
    public void markAllButFirst() {
        for (Group g : groups) {
            for (int i = 0; i < g.members().size(); i++) {
                g.members().get(i).trashProperty().set(i > 0);
            }
        }
    }

    public List<Member> marked() {
        return groups.stream().flatMap(g -> g.members().stream()).filter(m -> m.trashProperty().get()).toList();
    }

    /** What the confirmation dialog asks; null when nothing is ticked (then a message is shown). */
    public String confirmationText() {
        List<Member> m = marked();
        if (m.isEmpty()) {
            notifications.info(msg.get("dup.tickFirst"));
            return null;
        }
        if (!trash.isSupported()) {
            notifications.error(msg.get("dup.noTrash"));
            return null;
        }
        return msg.format("dup.confirmText", m.size());
    }

    /** Moves the ticked copies to the trash (call only after the user confirmed). */
    public void trashMarked() {
        List<Member> m = marked();
        if (m.isEmpty() || !trash.isSupported()) {
            confirmationText();
            return;
        }
        trashing.supply(() -> {
            List<Member> failed = new ArrayList<>();
            for (Member member : m) {
                try {
                    if (!trash.moveToTrash(member.path())) {
                        failed.add(member);
                    }
                } catch (RuntimeException e) {
                    failed.add(member);
                }
            }
            indexer.rescan();
            return failed;
        }).onSuccess(failed -> {
            List<Long> gone = m.stream().filter(x -> !failed.contains(x)).map(Member::id).toList();
            scan = scan.without(gone);
            regroup();
            if (failed.isEmpty()) {
                notifications.info(msg.format("dup.moved", gone.size()));
            } else {
                notifications.error(msg.format("dup.moveFailed", failed.size(), failed.get(0).path().getFileName()));
            }
        }).start();
    }
}
