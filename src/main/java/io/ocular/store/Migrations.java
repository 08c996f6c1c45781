package io.ocular.store;

import io.ocular.model.OcularException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema migrations, tracked in SQLite's {@code PRAGMA user_version}.
 *
 * <p>Version {@code n} is the script {@code migrations/Vn__*.sql} next to this class. Each script runs in
 * its own transaction together with the {@code user_version} bump, so a failure leaves the database at
 * the previous version. Scripts are append-only: once released, a script is never edited; a schema
 * change is a new script. A catalog whose version is newer than {@link #latestVersion()} was written by
 * a newer Ocular and is refused untouched.
 *
 * <p>Scripts run with foreign keys off (SQLite ignores that pragma inside a transaction, so it is switched
 * before the first one and restored after the last), so that a script may rebuild a table that others
 * reference (SQLite's documented create-copy-drop-rename procedure) without cascading deletes; each script's
 * transaction commits only when {@code PRAGMA foreign_key_check} finds no more broken references than before.
 *
 * <p>Hand-written rather than Flyway/Liquibase: a handful of SQLite scripts, one embedded database,
 * and no wish to pull a migration framework (and its classpath scanning) into a desktop app.
 */
public final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    /** Script resources, index i = version i + 1. Append new versions at the end. */
    private static final List<String> SCRIPTS = List.of(
            "V1__initial_schema.sql",
            "V2__image_data.sql",
            "V3__video_moments.sql",
            "V4__compose_marks.sql");

    public int latestVersion() {
        return SCRIPTS.size();
    }

    /** The schema version recorded in the database (0 for a new, empty one). */
    public static int currentVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /**
     * Brings the database up to {@link #latestVersion()}.
     *
     * @param where shown in messages (the catalog file)
     * @throws OcularException if the database is newer than this application
     */
    public void migrate(Connection c, String where) throws SQLException {
        migrateTo(c, latestVersion(), where);
    }

    /** Applies the scripts after the current version up to and including {@code target}. */
    public void migrateTo(Connection c, int target, String where) throws SQLException {
        if (target < 0 || target > latestVersion()) {
            throw new IllegalArgumentException("no schema version " + target + " (latest is " + latestVersion() + ")");
        }
        int current = currentVersion(c);
        checkNotNewer(current, where);
        if (current >= target) {
            return;
        }
        boolean autoCommit = c.getAutoCommit();
        boolean foreignKeys = foreignKeys(c);
        setForeignKeys(c, false);
        c.setAutoCommit(false);
        try {
            for (int v = current + 1; v <= target; v++) {
                String script = SCRIPTS.get(v - 1);
                try (Statement st = c.createStatement()) {
                    long brokenBefore = brokenReferences(st);
                    // sqlite-jdbc runs a multi-statement string through sqlite3_exec.
                    st.executeUpdate(load(script));
                    if (brokenReferences(st) > brokenBefore) {
                        throw new SQLException("it left rows pointing at missing rows");
                    }
                    st.executeUpdate("PRAGMA user_version = " + v);
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    throw new SQLException("migration " + script + " failed: " + e.getMessage(), e);
                }
                LOG.info("Catalog {} migrated to schema version {}", where, v);
            }
        } finally {
            c.setAutoCommit(autoCommit);
            setForeignKeys(c, foreignKeys);
        }
    }

    private static boolean foreignKeys(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA foreign_keys")) {
            return rs.next() && rs.getInt(1) == 1;
        }
    }

    private static void setForeignKeys(Connection c, boolean on) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA foreign_keys = " + (on ? "ON" : "OFF"));
        }
    }

    /** Rows whose foreign key points at nothing (a damaged catalog may have some before a script runs). */
    private static long brokenReferences(Statement st) throws SQLException {
        long n = 0;
        try (ResultSet rs = st.executeQuery("PRAGMA foreign_key_check")) {
            while (rs.next()) {
                n++;
            }
        }
        return n;
    }

    void checkNotNewer(int version, String where) {
        if (version > latestVersion()) {
            throw new OcularException("The catalog " + where + " was created by a newer Ocular (schema version "
                    + version + "; this version understands up to " + latestVersion()
                    + "). It was left untouched: update Ocular, or choose another data folder.");
        }
    }

    private static String load(String script) {
        try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + script)) {
            if (in == null) {
                throw new IllegalStateException("migration script missing from the application: " + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
