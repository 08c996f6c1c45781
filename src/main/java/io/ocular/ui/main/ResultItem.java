package io.ocular.ui.main;

import io.ocular.model.SearchHit;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;

/** One cell of the results grid: the hit plus the user's selection and relevance mark. */
public final class ResultItem {
    private final SearchHit hit;
    private final Instant date;
    private final int turns;
    private final BooleanProperty selected = new SimpleBooleanProperty(this, "selected");
    private final ObjectProperty<Mark> mark = new SimpleObjectProperty<>(this, "mark", Mark.NONE);

    public ResultItem(SearchHit hit) {
        this(hit, null);
    }

    /** @param date when the photo was taken (EXIF, else the file time), or null when unknown */
    public ResultItem(SearchHit hit, Instant date) {
        this(hit, date, 0);
    }

    /**
     * @param turns quarter turns clockwise the example image had to be turned to match this photo (0: it matched
     *              as it is, or the search did not turn it)
     */
    public ResultItem(SearchHit hit, Instant date, int turns) {
        this.hit = hit;
        this.date = date;
        this.turns = Math.floorMod(turns, 4);
    }

    /** Quarter turns clockwise the example had to be turned to match this photo; 0 when it matched as it is. */
    public int turns() {
        return turns;
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
    public String describe() {
        if (Float.isNaN(hit.score())) {
            return hit.path().getFileName() + (date == null ? "" : "\n" + DATE.format(date));
        }
        return hit.path().getFileName() + "\nscore " + String.format(Locale.ROOT, "%.3f", hit.score());
    }

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM)
            .withZone(ZoneId.systemDefault());

    @Override
    public String toString() {
        return "ResultItem[" + hit.imageId() + " " + hit.path().getFileName() + "]";
    }
}
