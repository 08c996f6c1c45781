package io.ocular.ui.models;

import io.ocular.engine.ModelManager;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiSettings;
import io.ocular.ui.common.UiTask;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Models and settings: the catalogue, download with progress, import, the active model, and the first-run
 * offers. The app works at once with the built-in descriptor. While it is the active model and the photo
 * model (an image-only catalogue entry, MobileNetV2) is not installed, {@link #photoOfferProperty()} offers
 * it: one click downloads and activates it. When no model with a text tower (CLIP) is installed yet,
 * {@link #offerProperty()} says what CLIP costs and what it enables.
 */
public final class ModelsViewModel {
    static final String OFFER_DISMISSED = "ui.models.offerDismissed";
    static final String PHOTO_OFFER_DISMISSED = "ui.models.photoOfferDismissed";

    private final ModelManager models;
    private final UiSettings settings;
    private final UiExecutors executors;
    private final UiTask reading;
    private final UiTask changing;
    private final Notifications notifications;
    private final Messages msg;
    private final ObservableList<ModelManager.Entry> entries = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper activeName = new ReadOnlyStringWrapper(this, "activeName", "");
    private final ReadOnlyStringWrapper offer = new ReadOnlyStringWrapper(this, "offer");
    private final ReadOnlyStringWrapper photoOffer = new ReadOnlyStringWrapper(this, "photoOffer");
    private final ReadOnlyDoubleWrapper downloadProgress = new ReadOnlyDoubleWrapper(this, "downloadProgress", -1);
    private final ReadOnlyStringWrapper downloading = new ReadOnlyStringWrapper(this, "downloading");
    private final ReadOnlyBooleanWrapper offline = new ReadOnlyBooleanWrapper(this, "offline");
    private final ReadOnlyBooleanWrapper textSearchAvailable = new ReadOnlyBooleanWrapper(this, "textSearchAvailable");
    private ModelManager.Entry offered;
    private ModelManager.Entry photoOffered;

    public ModelsViewModel(ModelManager models, UiSettings settings, UiExecutors executors, Notifications notifications) {
        this(models, settings, executors, notifications, Messages.english());
    }

    public ModelsViewModel(ModelManager models, UiSettings settings, UiExecutors executors, Notifications notifications,
                           Messages msg) {
        this.msg = msg;
        this.models = models;
        this.settings = settings;
        this.executors = executors;
        this.reading = UiTask.latestWins(msg.get("task.readCatalogue"), executors, notifications);
        this.changing = UiTask.everyRun(msg.get("task.changeModels"), executors, notifications);
        this.notifications = notifications;
    }

    public ObservableList<ModelManager.Entry> entries() {
        return entries;
    }

    public ReadOnlyStringProperty activeNameProperty() {
        return activeName.getReadOnlyProperty();
    }

    /** The first-run offer ("Get CLIP (338 MB) to search by words …"), or null. */
    public ReadOnlyStringProperty offerProperty() {
        return offer.getReadOnlyProperty();
    }

    /** The first-run photo model offer ("Photo model, 3.7 MB — better similar-photo search"), or null. */
    public ReadOnlyStringProperty photoOfferProperty() {
        return photoOffer.getReadOnlyProperty();
    }

    /** 0..1 while downloading, -1 otherwise. */
    public ReadOnlyDoubleProperty downloadProgressProperty() {
        return downloadProgress.getReadOnlyProperty();
    }

    /** Name of the model being downloaded, or null. */
    public ReadOnlyStringProperty downloadingProperty() {
        return downloading.getReadOnlyProperty();
    }

    /** True once a download was found impossible (no network): the view then points at import. */
    public ReadOnlyBooleanProperty offlineProperty() {
        return offline.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty textSearchAvailableProperty() {
        return textSearchAvailable.getReadOnlyProperty();
    }

    /** Reloads the catalogue (off the UI thread) and works out the first-run offer. */
    public void refresh() {
        reading.supply(models::catalogue).onSuccess(this::apply).start();
    }

    private void apply(List<ModelManager.Entry> list) {
        entries.setAll(list);
        Optional<ModelManager.Entry> active = list.stream().filter(ModelManager.Entry::active).findFirst();
        activeName.set(active.map(this::name).orElse(msg.get("models.none")));
        boolean textReady = list.stream().anyMatch(e -> e.installed() && e.text());
        textSearchAvailable.set(active.map(ModelManager.Entry::text).orElse(false));
        offered = list.stream().filter(e -> e.text() && !e.installed()).findFirst().orElse(null);
        boolean builtInActive = active.map(ModelManager.Entry::builtIn).orElse(true);
        boolean dismissed = settings.get(OFFER_DISMISSED).map(Boolean::parseBoolean).orElse(false);
        if (offered == null || textReady || dismissed) {
            offer.set(null);
        } else {
            offer.set((builtInActive ? msg.get("offer.builtInWorks") + " " : "")
                    + msg.format("offer.get", offered.name(), humanSize(offered.sizeBytes()), enables(offered)));
        }
        boolean photoReady = list.stream().anyMatch(e -> e.installed() && !e.builtIn() && !e.text());
        photoOffered = list.stream().filter(e -> !e.builtIn() && !e.text() && !e.installed() && e.sizeBytes() > 0)
                .findFirst().orElse(null);
        boolean photoDismissed = settings.get(PHOTO_OFFER_DISMISSED).map(Boolean::parseBoolean).orElse(false);
        if (photoOffered == null || photoReady || !builtInActive || photoDismissed) {
            photoOffer.set(null);
        } else {
            photoOffer.set(msg.format("offer.photo", humanSize(photoOffered.sizeBytes())));
        }
    }

    /**
     * "Get it" on the photo model offer: one click downloads the photo model and, while the built-in
     * descriptor is still the active model, makes it the active one (photos are re-indexed in the background).
     */
    public void acceptPhotoOffer() {
        ModelManager.Entry entry = photoOffered;
        if (entry == null) {
            return;
        }
        photoOffer.set(null);
        notifications.info(msg.format("models.downloadingNotice", entry.name(), humanSize(entry.sizeBytes())));
        download(entry, () -> {
            boolean stillBuiltIn = entries.stream().filter(ModelManager.Entry::active).findFirst()
                    .map(ModelManager.Entry::builtIn).orElse(true);
            if (stillBuiltIn) {
                activate(entries.stream().filter(e -> e.id().equals(entry.id())).findFirst().orElse(null));
            }
        });
    }

    /** "Not now" on the photo model offer: it stays in the models tab. */
    public void dismissPhotoOffer() {
        settings.put(PHOTO_OFFER_DISMISSED, "true");
        photoOffer.set(null);
    }

    /** "Get CLIP" on the first-run offer. */
    public void acceptOffer() {
        if (offered != null) {
            download(offered);
        }
    }

    /** "Not now": the offer stays in the models tab but no longer on the main window. */
    public void dismissOffer() {
        settings.put(OFFER_DISMISSED, "true");
        offer.set(null);
    }

    public void download(ModelManager.Entry entry) {
        download(entry, null);
    }

    /** Downloads {@code entry}; {@code then}, when given, runs after a successful download and refresh. */
    private void download(ModelManager.Entry entry, Runnable then) {
        if (entry == null) {
            return;
        }
        if (downloading.get() != null) {
            notifications.info(msg.format("models.alreadyDownloading", downloading.get()));
            return;
        }
        downloading.set(entry.name());
        downloadProgress.set(0);
        UiTask.Job<Void> job = changing.run(() -> {
            if (!models.networkAvailable()) {
                throw new NoNetwork();
            }
            models.download(entry.id(), p -> executors.ui().execute(() -> downloadProgress.set(p)));
        }).describedAs(msg.format("task.download", entry.name()));
        boolean[] succeeded = {false};
        job.onSuccess(v -> {
            succeeded[0] = true;
            if (then == null) {
                notifications.info(msg.format(entry.text() ? "models.readyText" : "models.readyPhoto", entry.name()));
            }
            offline.set(false);
        }).onFailure(failure -> {
            if (failure instanceof NoNetwork) {
                offline.set(true);
                notifications.error(msg.format("models.noNetwork", entry.name()));
            } else {
                job.notice(failure);
            }
        }).onFinished(() -> {
            downloading.set(null);
            downloadProgress.set(-1);
            reading.supply(models::catalogue).onSuccess(list -> {
                apply(list);
                if (then != null && succeeded[0]) {
                    then.run();
                }
            }).start();
        }).start();
    }

    public void importModel(Path source) {
        if (source == null) {
            return;
        }
        changing.supply(() -> models.importModel(source)).describedAs(msg.get("task.import"))
                .onSuccess(entry -> notifications.info(msg.format("models.imported", entry.name())))
                .onFinished(this::refresh).start();
    }

    public void activate(ModelManager.Entry entry) {
        if (entry == null) {
            return;
        }
        if (!entry.installed()) {
            notifications.info(msg.format("models.notInstalled", entry.name()));
            return;
        }
        changing.run(() -> models.activate(entry.id())).describedAs(msg.format("task.activate", entry.name()))
                .onSuccess(v -> notifications.info(msg.format("models.activated", entry.name())))
                .onFinished(this::refresh).start();
    }

    /** A model's name as the window shows it: the built-in descriptor's in the window's words. */
    public String name(ModelManager.Entry e) {
        return e.builtIn() ? msg.get("models.builtInName") : e.name();
    }

    /** "338 MB", "3.7 MB", "built in", the number the window's way. */
    public String humanSize(long bytes) {
        if (bytes <= 0) {
            return msg.get("models.builtIn");
        }
        if (bytes >= 1_000_000_000L) {
            return msg.format("models.gb", bytes / 1e9);
        }
        if (bytes < 10_000_000L) {
            return msg.format("models.mbSmall", bytes / 1e6);
        }
        return msg.format("models.mb", Math.round(bytes / 1e6));
    }

    /**
     * What a model adds, in the window's words. The engine's entry says it in English; the window says it from
     * the entry's kind (built in, photo, words, words in many languages, imported) in other languages.
     */
    public String enables(ModelManager.Entry e) {
        if (Locale.ENGLISH.getLanguage().equals(msg.locale().getLanguage()) && e.enables() != null) {
            return e.enables();
        }
        if (e.builtIn()) {
            return msg.get("models.enables.builtIn");
        }
        boolean imported = e.sizeBytes() <= 0;
        if (!e.text()) {
            return msg.get(imported ? "models.enables.importedPhoto" : "models.enables.photo");
        }
        if (e.enables() != null && e.enables().contains("50+ languages")) { // EngineModelManager's TEXT kind
            return msg.get("models.enables.multilingual");
        }
        return msg.get(imported ? "models.enables.importedText" : "models.enables.text");
    }

    private static final class NoNetwork extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }
}
