package io.ocular.ui.duplicates;

import io.ocular.index.Indexer;
import io.ocular.model.ImageRecord;
import io.ocular.search.DuplicateFinder;
import io.ocular.store.Catalog;
import io.ocular.store.EmbeddingMatrix;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Near-duplicate groups of the active model's vectors, with a similarity threshold slider. In each group
 * the user ticks the copies to throw away (the first one is kept by default); {@link #trashMarked()} moves
 * them to the desktop's trash. The view asks for confirmation before calling it: nothing is deleted without.
 */
public final class DuplicatesViewModel {
    /** The lowest threshold the slider offers; pairs are computed once at this level. */
    public static final double MIN_THRESHOLD = 0.80;

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

    private final Catalog catalog;
    private final Indexer indexer;
    private final Trash trash;
    private final UiTask scanning;
    private final UiTask trashing;
    private final Notifications notifications;
    private final DoubleProperty threshold = new SimpleDoubleProperty(this, "threshold", 0.95);
    private final ObservableList<Group> groups = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary",
            "Find photos that are (nearly) the same.");
    private List<DuplicateFinder.Pair> pairs = List.of();
    private Map<Long, ImageRecord> records = Map.of();

    public DuplicatesViewModel(Catalog catalog, Indexer indexer, Trash trash, UiExecutors executors,
                               Notifications notifications) {
        this.catalog = catalog;
        this.indexer = indexer;
        this.trash = trash;
        this.scanning = UiTask.latestWins("Finding duplicates", executors, notifications);
        this.trashing = UiTask.everyRun("Moving to the trash", executors, notifications);
        this.notifications = notifications;
        threshold.addListener((obs, o, n) -> regroup());
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

    private record Scan(List<DuplicateFinder.Pair> pairs, Map<Long, ImageRecord> records) {
    }

    /** Scans the active model's vectors (off the UI thread). */
    public void scan() {
        summary.set("Comparing photos…");
        UiTask.Job<Scan> job = scanning.supply(this::computePairs);
        job.onSuccess(scan -> {
            pairs = scan.pairs();
            records = scan.records();
            regroup();
        }).onFailure(failure -> {
            summary.set("");
            job.notice(failure);
        }).start();
    }

    private Scan computePairs() {
        String model = catalog.activeModelId().orElseThrow(() -> new io.ocular.model.OcularException(
                "No model is active yet; add a folder and let it index first."));
        EmbeddingMatrix m = catalog.loadEmbeddings(model);
        List<DuplicateFinder.Pair> found = DuplicateFinder.pairsAbove(m, (float) MIN_THRESHOLD);
        Map<Long, ImageRecord> recs = new HashMap<>();
        for (DuplicateFinder.Pair p : found) {
            for (long id : new long[] {p.a(), p.b()}) {
                if (!recs.containsKey(id)) {
                    catalog.image(id).ifPresent(r -> recs.put(id, r));
                }
            }
        }
        return new Scan(found, recs);
    }

    private void regroup() {
        List<Group> out = new ArrayList<>();
        int images = 0;
        for (DuplicateFinder.Group g : DuplicateFinder.group(pairs, (float) threshold.get())) {
            List<Member> members = new ArrayList<>();
            for (long id : g.ids()) {
                ImageRecord r = records.get(id);
                if (r != null) {
                    members.add(new Member(id, r.path(), r.size()));
                }
            }
            if (members.size() >= 2) {
                out.add(new Group(List.copyOf(members), g.maxSimilarity()));
                images += members.size();
            }
        }
        groups.setAll(out);
        summary.set(out.isEmpty() ? "No near-duplicates at this similarity."
                : String.format("%d group%s, %d photos. Tick the copies to move to the trash.", out.size(),
                        out.size() == 1 ? "" : "s", images));
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
            notifications.info("Tick the copies you want to move to the trash first.");
            return null;
        }
        if (!trash.isSupported()) {
            notifications.error("This desktop offers no trash Ocular can use, so nothing is deleted. "
                    + "Use “Show in folder” and delete the copies yourself.");
            return null;
        }
        return "Move " + m.size() + " photo" + (m.size() == 1 ? "" : "s") + " to the trash?\n"
                + "You can restore them from the trash.";
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
            pairs = pairs.stream().filter(p -> !gone.contains(p.a()) && !gone.contains(p.b())).toList();
            regroup();
            if (failed.isEmpty()) {
                notifications.info("Moved " + gone.size() + " photo" + (gone.size() == 1 ? "" : "s") + " to the trash.");
            } else {
                notifications.error("Could not move " + failed.size() + " file(s) to the trash, e.g. "
                        + failed.get(0).path().getFileName() + "; they are untouched.");
            }
        }).start();
    }
}
