package io.ocular.ui.main;

import io.ocular.model.Query;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.TextModels;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiTask;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.Locale;
import java.util.Objects;

/**
 * "Search words with: English CLIP | Multilingual" next to the search bar. Shown when the active model has
 * more than one text model that can search its photos (its own tower and a companion of its space). Choosing
 * one makes it read the words from the next search on (remembered for the model), and the words searched now
 * are searched again with it; the photos' vectors are not touched. UI-thread methods.
 */
public final class TextModelViewModel {
    private final TextModels textModels;
    private final SearchViewModel search;
    private final Messages msg;
    private final UiTask reading;
    private final UiTask switching;
    private final ObservableList<TextModels.Choice> choices = FXCollections.observableArrayList();
    private final ObjectProperty<TextModels.Choice> selected = new SimpleObjectProperty<>(this, "selected");
    private final BooleanBinding available = Bindings.size(choices).greaterThan(1);
    private boolean loading;

    public TextModelViewModel(TextModels textModels, SearchViewModel search, UiExecutors executors,
                              Notifications notifications, Messages msg) {
        this.textModels = Objects.requireNonNull(textModels, "textModels");
        this.search = Objects.requireNonNull(search, "search");
        this.msg = Objects.requireNonNull(msg, "msg");
        this.reading = UiTask.latestWins(msg.get("task.readTextModels"), executors, notifications);
        this.switching = UiTask.latestWins(msg.get("task.useTextModel"), executors, notifications);
        selected.addListener((obs, old, now) -> {
            if (!loading && now != null && (old == null || !old.id().equals(now.id()))) {
                use(old, now);
            }
        });
    }

    /** The text models of the active model's space, its own first. */
    public ObservableList<TextModels.Choice> choices() {
        return choices;
    }

    /** The one reading the words; set it to choose another. */
    public ObjectProperty<TextModels.Choice> selectedProperty() {
        return selected;
    }

    /** True when there is a choice to make (more than one text model). */
    public BooleanBinding availableProperty() {
        return available;
    }

    /** "English (CLIP)", "Multilingual", or the model's name, in the window's words. */
    public String label(TextModels.Choice c) {
        if (c == null) {
            return "";
        }
        if (c.own()) {
            return msg.get("textModel.own");
        }
        String n = c.name().toLowerCase(Locale.ROOT);
        return n.contains("multilingual") || n.contains("50+ languages") ? msg.get("textModel.multilingual") : c.name();
    }

    /** Reads the choices again (at start, and when the models change). */
    public void refresh() {
        reading.supply(textModels::read).onSuccess(this::show).onFailure(e -> show(TextModels.Choices.NONE)).start();
    }

    private void show(TextModels.Choices read) {
        loading = true;
        try {
            choices.setAll(read.all());
            selected.set(read.all().stream().filter(c -> c.id().equals(read.current())).findFirst()
                    .orElse(read.all().isEmpty() ? null : read.all().get(0)));
        } finally {
            loading = false;
        }
    }

    private void use(TextModels.Choice before, TextModels.Choice chosen) {
        UiTask.Job<Void> job = switching.run(() -> textModels.use(chosen.id()));
        job.onSuccess(v -> {
            // the words on screen are searched again, read by the chosen model
            if (search.baseQuery() instanceof Query.ByText) {
                search.rerun();
            }
        }).onFailure(failure -> {
            loading = true;
            try {
                selected.set(before);
            } finally {
                loading = false;
            }
            job.notice(failure);
        }).start();
    }
}
