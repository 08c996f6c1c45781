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
    private final BooleanProperty selected = new SimpleBooleanProperty(this, "selected");
    private final ObjectProperty<Mark> mark = new SimpleObjectProperty<>(this, "mark", Mark.NONE);

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

    public BooleanProperty selectedProperty() {
        return selected;
    }

    public boolean isSelected() {
        return selected.get();
    }

    public ObjectProperty<Mark> markProperty() {
        return mark;
    }

    public Mark getMark() {
        return mark.get();
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
