package io.ocular.store;

import io.ocular.model.OcularException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where a shared library lives: a {@code jdbc:postgresql:} URL completed with libpq's conventions, so a user
 * who already has {@code psql} working needs to type nothing more. Missing parts come from {@code PGHOST},
 * {@code PGPORT}, {@code PGDATABASE}, {@code PGUSER}, {@code PGPASSWORD} and {@code PGSSLMODE}; with no
 * password anywhere, pgjdbc reads {@code PGPASSFILE} or {@code ~/.pgpass} itself (its PgPassParser) and
 * {@code sslmode} ({@code disable} ... {@code verify-full}) goes to pgjdbc as given. pgjdbc reads the password
 * file but not libpq's other variables, hence this small resolver.
 *
 * <p>The password is never part of {@link #describe()} or {@link #url()}, so neither messages nor the
 * preferences (which store the URL the user typed) ever hold it.
 *
 * @param host       server host (TCP; libpq's unix-socket folders are refused with a message)
 * @param port       server port
 * @param database   database name
 * @param user       role name
 * @param password   from the URL or PGPASSWORD, or null (then pgjdbc consults the password file)
 * @param parameters the remaining URL parameters (sslmode, currentSchema, ...) passed to pgjdbc
 */
public record PostgresLocation(String host, int port, String database, String user, String password,
                               Map<String, String> parameters) {

    public static final String PREFIX = "jdbc:postgresql:";

    public PostgresLocation {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        parameters = Map.copyOf(parameters);
    }

    /** Whether a {@code --catalog} value names a PostgreSQL server (rather than a SQLite file). */
    public static boolean isPostgres(String catalog) {
        if (catalog == null) {
            return false;
        }
        String c = catalog.trim().toLowerCase(Locale.ROOT);
        return c.startsWith(PREFIX) || c.startsWith("postgresql://") || c.startsWith("postgres://");
    }

    /** Parses {@code url} with this process's environment. */
    public static PostgresLocation parse(String url) {
        return parse(url, System.getenv(), System.getProperty("user.name", "postgres"));
    }

    /**
     * Parses {@code jdbc:postgresql://host:port/db?k=v}, {@code jdbc:postgresql:db}, {@code jdbc:postgresql:}
     * (everything from the environment) and libpq's {@code postgresql://} URIs.
     *
     * @throws OcularException for a malformed URL (with what was expected)
     */
    public static PostgresLocation parse(String url, Map<String, String> env, String osUser) {
        String u = Objects.requireNonNull(url, "url").trim();
        String lower = u.toLowerCase(Locale.ROOT);
        String rest;
        if (lower.startsWith(PREFIX)) {
            rest = u.substring(PREFIX.length());
        } else if (lower.startsWith("postgresql:") || lower.startsWith("postgres:")) {
            rest = u.substring(u.indexOf(':') + 1);
        } else {
            throw bad(u, "it does not start with jdbc:postgresql:");
        }
        Map<String, String> params = new LinkedHashMap<>();
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String kv : rest.substring(q + 1).split("&")) {
                if (kv.isEmpty()) {
                    continue;
                }
                int eq = kv.indexOf('=');
                params.put(decode(eq < 0 ? kv : kv.substring(0, eq)), eq < 0 ? "" : decode(kv.substring(eq + 1)));
            }
            rest = rest.substring(0, q);
        }
        String authority = "";
        String db = rest;
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            authority = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
            db = slash < 0 ? "" : rest.substring(slash + 1);
        }
        String userInfo = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
        }
        String host = authority;
        String portText = "";
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && !authority.endsWith("]")) {
            host = authority.substring(0, colon);
            portText = authority.substring(colon + 1);
        }
        if (host.isEmpty()) {
            host = env.getOrDefault("PGHOST", "");
        }
        if (host.isEmpty()) {
            host = "localhost";
        }
        if (host.startsWith("/")) {
            throw new OcularException("PGHOST is the socket folder " + host + ", but Ocular reaches PostgreSQL over"
                    + " TCP: set PGHOST (or the URL) to the server's host name, e.g. localhost.");
        }
        if (portText.isEmpty()) {
            portText = env.getOrDefault("PGPORT", "5432");
        }
        int port;
        try {
            port = Integer.parseInt(portText.trim());
        } catch (NumberFormatException e) {
            throw bad(u, "the port '" + portText + "' is not a number");
        }
        if (port <= 0 || port > 65535) {
            throw bad(u, "the port " + port + " is out of range");
        }
        String user = params.remove("user");
        String password = params.remove("password");
        if (userInfo != null) {
            int c = userInfo.indexOf(':');
            user = decode(c < 0 ? userInfo : userInfo.substring(0, c));
            if (c >= 0) {
                password = decode(userInfo.substring(c + 1));
            }
        }
        if (user == null || user.isEmpty()) {
            user = env.getOrDefault("PGUSER", osUser);
        }
        db = decode(db);
        if (db.isEmpty()) {
            db = env.getOrDefault("PGDATABASE", user);
        }
        if (password == null) {
            password = env.get("PGPASSWORD");
        }
        if (!params.containsKey("sslmode") && env.get("PGSSLMODE") != null) {
            params.put("sslmode", env.get("PGSSLMODE"));
        }
        return new PostgresLocation(host, port, db, user, password, params);
    }

    /** The URL pgjdbc connects to (no credentials in it). */
    public String url() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return PREFIX + "//" + h + ":" + port + "/" + database;
    }

    /** What pgjdbc gets besides the URL: user, password when known, and the URL's other parameters. */
    public Properties properties() {
        Properties p = new Properties();
        p.putAll(parameters);
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.putIfAbsent("ApplicationName", "Ocular");
        p.putIfAbsent("connectTimeout", "10");
        return p;
    }

    /** {@code database on host:port as user}, for messages and status (never the password). */
    public String describe() {
        return "database '" + database + "' on " + host + ":" + port + " as '" + user + "'";
    }

    @Override
    public String toString() {
        return describe(); // a record's default toString would print the password
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static OcularException bad(String url, String why) {
        return new OcularException("Cannot use the library address " + redact(url) + ": " + why
                + ". Expected jdbc:postgresql://HOST:PORT/DATABASE (user, password and sslmode from PGUSER,"
                + " ~/.pgpass and PGSSLMODE, or as ?user=...&sslmode=...).");
    }

    /** The URL with any password replaced, for messages. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("(//[^/@:]*:)[^/@]*@", "$1***@");
    }
}
