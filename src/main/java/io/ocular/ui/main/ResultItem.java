package io.ocular.ui.main;

import io.ocular.model.SearchHit;
import io.ocular.ui.common.Messages;
import io.ocular.model.Verification;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;

/** One cell of the results grid: the hit plus the user's selection and relevance mark. */
public final class ResultItem {
    private final SearchHit hit;
    private final Instant date;
    private final Verification.Check check;
    private final int turns;
    // made when first asked for (a cell shows the item, the user selects or marks it): a browsed library of 1M
    // photos is 1M items, and two property objects each were 240 MB of heap (issue 13)
    private BooleanProperty selected;
    private ObjectProperty<Mark> mark;

    public ResultItem(SearchHit hit) {
        this(hit, null);
    }

    /** @param date when the photo was taken (EXIF, else the file time), or null when unknown */
    public ResultItem(SearchHit hit, Instant date) {
        this(hit, date, null);
    }

    /** @param check what "Find this object" found for this result, or null for an unverified search */
    public ResultItem(SearchHit hit, Instant date, Verification.Check check) {
        this(hit, date, check, 0);
    }

    /**
     * @param turns quarter turns clockwise the example image had to be turned to match this photo (0: it matched
     *              as it is, or the search did not turn it)
     */
    public ResultItem(SearchHit hit, Instant date, Verification.Check check, int turns) {
        this.hit = hit;
        this.date = date;
        this.check = check;
        this.turns = Math.floorMod(turns, 4);
    }

    /** Quarter turns clockwise the example had to be turned to match this photo; 0 when it matched as it is. */
    public int turns() {
        return turns;
    }

    /** Verified, not verified or without features ("Find this object"); null when the search was not verified. */
    public Verification.Check check() {
        return check;
    }

    /** When the photo was taken (EXIF, else the file time); the epoch when unknown. */
    public Instant date() {
        return date == null ? Instant.EPOCH : date;
    }

    /** The path of the photo. */
    public Path path() {
        return hit.path();
    }

    /** The search score, NaN for photos shown by browsing. */
    public double score() {
        return hit.score();
    }

    public SearchHit hit() {
        return hit;
    }

    public long id() {
        return hit.imageId();
    }

    /** A video, or a moment of one (a search hit in a video). */
    public boolean isVideo() {
        return hit.isMoment() || hit.durationMs() > 0;
    }

    /**
     * What a video's tile says: "▶ 1:05" (its length), or for a moment "▶ 0:42 / 1:05"; "" for a photo.
     */
    public String videoBadge() {
        if (!isVideo()) {
            return "";
        }
        String length = hit.durationMs() > 0 ? SearchHit.clock(hit.durationMs()) : "";
        if (hit.isMoment()) {
            return "▶ " + SearchHit.clock(hit.frameMs()) + (length.isEmpty() ? "" : " / " + length);
        }
        return "▶ " + length;
    }

    /** UI thread, as for any property of the scene. */
    public BooleanProperty selectedProperty() {
        if (selected == null) {
            selected = new SimpleBooleanProperty(this, "selected");
        }
        return selected;
    }

    public boolean isSelected() {
        return selected != null && selected.get();
    }

    /** Selects or clears the item without making its property when it has none and stays unselected. */
    public void setSelected(boolean on) {
        if (on || selected != null) {
            selectedProperty().set(on);
        }
    }

    /** UI thread, as for any property of the scene. */
    public ObjectProperty<Mark> markProperty() {
        if (mark == null) {
            mark = new SimpleObjectProperty<>(this, "mark", Mark.NONE);
        }
        return mark;
    }

    public Mark getMark() {
        return mark == null ? Mark.NONE : mark.get();
    }

    /** Marks the item without making its property when it has none and stays unmarked. */
    public void setMark(Mark m) {
        if (m != Mark.NONE || mark != null) {
            markProperty().set(m);
        }
    }

    /** Tooltip text: file name and score (or date when browsing). */
    public String describe(Messages msg) {
        String where = hit.isMoment() ? " " + SearchHit.clock(hit.frameMs()) : "";
        if (Float.isNaN(hit.score())) {
            return hit.path().getFileName() + where + (date == null ? "" : "\n" + msg.date(date, ZoneId.systemDefault()));
        }
        return msg.format("result.score", hit.path().getFileName() + where, hit.score());
    }

    @Override
    public String toString() {
        return "ResultItem[" + hit.imageId() + " " + hit.path().getFileName() + "]";
    }
}
