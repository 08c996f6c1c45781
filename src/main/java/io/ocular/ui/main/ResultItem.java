package io.ocular.ui.main;

import io.ocular.model.SearchHit;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;

import java.util.Locale;

/** One cell of the results grid: the hit plus the user's selection and relevance mark. */
public final class ResultItem {
    private final SearchHit hit;
    private final BooleanProperty selected = new SimpleBooleanProperty(this, "selected");
    private final ObjectProperty<Mark> mark = new SimpleObjectProperty<>(this, "mark", Mark.NONE);

    public ResultItem(SearchHit hit) {
        this.hit = hit;
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

    /** Tooltip text: file name and score. */
    public String describe() {
        return hit.path().getFileName() + "\nscore " + String.format(Locale.ROOT, "%.3f", hit.score());
    }

    @Override
    public String toString() {
        return "ResultItem[" + hit.imageId() + " " + hit.path().getFileName() + "]";
    }
}
