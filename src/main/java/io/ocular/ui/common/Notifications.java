package io.ocular.ui.common;

import io.ocular.model.OcularException;
import java.util.concurrent.CompletionException;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * The one inline message shown in the window's notification bar. A new message replaces the old one, so
 * a burst of failures shows one bar, never a storm of dialogs. Call on the UI thread.
 */
public final class Notifications {

    public enum Level { INFO, ERROR }

    public record Message(Level level, String text) {
    }

    private final ReadOnlyObjectWrapper<Message> current = new ReadOnlyObjectWrapper<>(this, "current");
    private final Messages messages;

    /** In English (tests, panes that keep their notices to themselves). */
    public Notifications() {
        this(Messages.english());
    }

    /** @param messages the words of the "… failed: …" prefix */
    public Notifications(Messages messages) {
        this.messages = messages;
    }

    public ReadOnlyObjectProperty<Message> currentProperty() {
        return current.getReadOnlyProperty();
    }

    public Message current() {
        return current.get();
    }

    public void info(String text) {
        current.set(new Message(Level.INFO, text));
    }

    public void error(String text) {
        current.set(new Message(Level.ERROR, text));
    }

    /** Shows a failure: an {@link OcularException}'s message as is, anything else with a short prefix. */
    public void failure(String what, Throwable t) {
        Throwable cause = t;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof OcularException) {
            error(cause.getMessage());
        } else {
            String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            error(messages.format("notice.failed", what, detail));
        }
    }

    public void clear() {
        current.set(null);
    }
}
