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
 * Versioned schema migrations of the shared library on PostgreSQL: the scripts {@code postgres/Vn__*.sql} next
 * to this class, the applied versions in the table {@code ocular_schema}. The same rules as the SQLite chain
 * ({@link Migrations}): append-only scripts, each applied in one transaction with its version row, a newer
 * schema refused untouched. Several computers may open the library at once, so the whole check-and-migrate runs
 * under a transaction-scoped advisory lock: one migrates, the others wait and then find it done.
 *
 * <p>Plain versioned SQL rather than Flyway: see docs/decisions/0280-postgresql-catalog.md (one mechanism with
 * the same rules for both dialects; Flyway's own schema-history locking untested on PGlite; a later move of
 * both chains to Flyway stays open).
 */
final class PostgresMigrations {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresMigrations.class);
    /** Advisory lock key: "ocul" in ASCII. */
    private static final long LOCK_KEY = 0x6f63756cL;

    /** Index i = version i + 1. Append new versions at the end. */
    private static final List<String> SCRIPTS = List.of("V1__shared_library.sql", "V2__video_moments.sql",
            "V3__compose_marks.sql");

    int latestVersion() {
        return SCRIPTS.size();
    }

    /** The schema version of the library the connection works in (0: no Ocular library yet). */
    static int currentVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('ocular_schema') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return 0;
            }
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM ocular_schema")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Brings the library up to {@link #latestVersion()}, or refuses it (untouched) when it is newer or not an
     * Ocular library.
     *
     * @param where the location, for messages
     */
    void migrate(Connection c, String where) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            }
            int current = currentVersion(c);
            if (current > latestVersion()) {
                throw new OcularException("The shared library (" + where + ") was created by a newer Ocular (schema"
                        + " version " + current + "; this version understands up to " + latestVersion()
                        + "). It was left untouched: update Ocular on this computer.");
            }
            if (current == 0) {
                refuseForeignTables(c, where);
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE ocular_schema (version INTEGER PRIMARY KEY,"
                            + " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
                }
            }
            for (int v = current + 1; v <= latestVersion(); v++) {
                try (Statement st = c.createStatement()) {
                    st.execute(load(SCRIPTS.get(v - 1)));
                    st.execute("INSERT INTO ocular_schema(version) VALUES (" + v + ")");
                } catch (SQLException e) {
                    if ("42501".equals(e.getSQLState()) && current > 0) {
                        throw new OcularException("The shared library (" + where + ") has schema version " + current
                                + ", older than this Ocular's " + latestVersion() + ", and this user may not upgrade"
                                + " it (" + e.getMessage() + "). Ask its owner to open it once with this Ocular,"
                                + " or connect as the owner.", e);
                    }
                    throw new SQLException("migration " + SCRIPTS.get(v - 1) + " failed: " + e.getMessage(),
                            e.getSQLState(), e);
                }
                LOG.info("Shared library {} migrated to schema version {}", where, v);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** A database (schema) that already holds other tables is not turned into a library. */
    private static void refuseForeignTables(Connection c, String where) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()")) {
            rs.next();
            if (rs.getLong(1) > 0) {
                throw new OcularException("The " + where + " already holds other tables and no Ocular library. It was"
                        + " left untouched: create an empty database for Ocular (createdb ocular) and use that.");
            }
        }
    }

    private static String load(String script) {
        try (InputStream in = PostgresMigrations.class.getResourceAsStream("postgres/" + script)) {
            if (in == null) {
                throw new IllegalStateException("migration script missing from the application: " + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
