package io.ocular.ui.settings;

import io.ocular.ui.common.LibraryLocations;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiSettings;
import io.ocular.ui.common.UiTask;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings → Library location: this computer, or a shared server (host, port, database, user). "Test connection"
 * opens the library in the background as Ocular would and shows what it found or the clear message of what is
 * wrong; "Save" keeps the choice (a URL without password) for the next start. A password is never asked for nor
 * stored: it comes from ~/.pgpass or PGPASSWORD, as for psql. UI-thread methods.
 */
public final class LibraryLocationViewModel {
    static final String DEFAULT_PORT = "5432";
    private static final Pattern URL = Pattern.compile(
            "jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]*)(?:\\?(.*))?", Pattern.CASE_INSENSITIVE);

    private final UiSettings settings;
    private final LibraryLocations locations;
    private final Notifications notifications;
    private final Messages msg;
    private final UiTask testing;
    private final BooleanProperty shared = new SimpleBooleanProperty(this, "shared");
    private final StringProperty host = new SimpleStringProperty(this, "host", "");
    private final StringProperty port = new SimpleStringProperty(this, "port", DEFAULT_PORT);
    private final StringProperty database = new SimpleStringProperty(this, "database", "ocular");
    private final StringProperty user = new SimpleStringProperty(this, "user", "");
    private final ReadOnlyStringWrapper result = new ReadOnlyStringWrapper(this, "result", "");
    private final ReadOnlyStringWrapper inUse = new ReadOnlyStringWrapper(this, "inUse", "");
    private final StringBinding url;

    public LibraryLocationViewModel(UiSettings settings, LibraryLocations locations, UiExecutors executors,
                                    Notifications notifications, Messages msg) {
        this.settings = settings;
        this.locations = locations;
        this.notifications = notifications;
        this.msg = msg;
        this.testing = UiTask.latestWins(msg.get("task.testLibrary"), executors, notifications);
        this.url = Bindings.createStringBinding(this::composeUrl, host, port, database, user);
        settings.get(LibraryLocations.SETTING).filter(s -> !s.isBlank()).ifPresent(this::load);
        UiTask reading = UiTask.latestWins(msg.get("task.testLibrary"), executors, notifications);
        reading.supply(locations::inUse).onSuccess(inUse::set).start();
    }

    private void load(String saved) {
        Matcher m = URL.matcher(saved.trim());
        if (!m.matches()) {
            return;
        }
        shared.set(true);
        host.set(m.group(1));
        port.set(m.group(2) == null ? DEFAULT_PORT : m.group(2));
        database.set(m.group(3));
        if (m.group(4) != null) {
            for (String kv : m.group(4).split("&")) {
                if (kv.toLowerCase(Locale.ROOT).startsWith("user=")) {
                    user.set(kv.substring(5));
                }
            }
        }
    }

    /** True: a shared server; false: this computer. */
    public BooleanProperty sharedProperty() {
        return shared;
    }

    public StringProperty hostProperty() {
        return host;
    }

    public StringProperty portProperty() {
        return port;
    }

    public StringProperty databaseProperty() {
        return database;
    }

    /** Empty: libpq's PGUSER, else the login name. */
    public StringProperty userProperty() {
        return user;
    }

    /** What the last test found, or its problem, or a note after saving. */
    public ReadOnlyStringProperty resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** The library this window opened (from the engine). */
    public ReadOnlyStringProperty inUseProperty() {
        return inUse.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty testingProperty() {
        return testing.busyProperty();
    }

    /** The shared library's URL as the fields make it (no password, ever). */
    public String url() {
        return url.get();
    }

    private String composeUrl() {
        String p = port.get() == null || port.get().isBlank() ? DEFAULT_PORT : port.get().trim();
        String u = user.get() == null ? "" : user.get().trim();
        return "jdbc:postgresql://" + trim(host.get()) + ":" + p + "/" + trim(database.get())
                + (u.isEmpty() ? "" : "?user=" + URLEncoder.encode(u, StandardCharsets.UTF_8));
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    /** A problem with the fields, in words, or null when a connection can be tried. */
    String problem() {
        if (trim(host.get()).isEmpty()) {
            return msg.get("library.needHost");
        }
        if (!trim(port.get()).isEmpty() && !trim(port.get()).matches("\\d{1,5}")) {
            return msg.format("library.badPort", port.get());
        }
        if (trim(database.get()).isEmpty() || !trim(database.get()).matches("[^/?&\\s]+")) {
            return msg.get("library.needDatabase");
        }
        return null;
    }

    /** Connects in the background; the result line says what was found or what is wrong. */
    public void test() {
        String problem = problem();
        if (problem != null) {
            result.set(problem);
            return;
        }
        String u = url();
        result.set(msg.get("library.testing"));
        testing.supply(() -> locations.test(u)).onSuccess(found -> result.set(msg.format("library.testOk", found)))
                .onFailure(e -> result.set(msg.format("library.testFailed", e.getMessage()))).start();
    }

    /** Keeps the choice for the next start (this computer: the setting is cleared). */
    public void save() {
        if (!shared.get()) {
            settings.put(LibraryLocations.SETTING, "");
            result.set(msg.get("library.savedLocal"));
            notifications.info(msg.get("library.savedLocal"));
            return;
        }
        String problem = problem();
        if (problem != null) {
            result.set(problem);
            return;
        }
        settings.put(LibraryLocations.SETTING, url());
        result.set(msg.format("library.savedShared", url()));
        notifications.info(msg.format("library.savedShared", url()));
    }
}
