package io.ocular.ui.main;

import io.ocular.model.Query;
import io.ocular.model.Verification;
import io.ocular.ui.common.MatchExplainer;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiTask;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * The match picture of a "Find this object" result: the example and the result side by side with the verified
 * matching details joined by lines. Drawn off the UI thread; {@link #pictureProperty()} holds it while shown.
 */
public final class MatchViewModel {
    /** Height of the picture in pixels. */
    static final int HEIGHT = 420;

    /** A drawn match: which result it explains, and the picture. */
    public record Match(ResultItem item, BufferedImage picture) {
    }

    private final MatchExplainer explainer;
    private final Notifications notifications;
    private final UiTask drawing;
    private final Messages msg;
    private final ReadOnlyObjectWrapper<Match> picture = new ReadOnlyObjectWrapper<>(this, "picture");

    public MatchViewModel(MatchExplainer explainer, UiExecutors executors, Notifications notifications) {
        this(explainer, executors, notifications, Messages.english());
    }

    public MatchViewModel(MatchExplainer explainer, UiExecutors executors, Notifications notifications,
                          Messages msg) {
        this.explainer = Objects.requireNonNull(explainer, "explainer");
        this.notifications = notifications;
        this.msg = msg;
        this.drawing = UiTask.latestWins(msg.get("task.drawMatch"), executors, notifications);
    }

    /** The match shown, or null. */
    public ReadOnlyObjectProperty<Match> pictureProperty() {
        return picture.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return drawing.busyProperty();
    }

    /** Draws why {@code item} matched {@code query} (a "Find this object" search). */
    public void show(Query query, ResultItem item) {
        if (query == null || item == null || item.check() == null) {
            notifications.info(msg.get("match.findFirst"));
            return;
        }
        if (item.check() == Verification.Check.NO_FEATURES) {
            notifications.info(msg.get("match.noFeatures"));
            return;
        }
        drawing.supply(() -> explainer.explain(query, item.id(), HEIGHT))
                .onSuccess(image -> picture.set(new Match(item, image))).start();
    }

    /** Closes the picture. */
    public void close() {
        drawing.supersede();
        picture.set(null);
    }
}
