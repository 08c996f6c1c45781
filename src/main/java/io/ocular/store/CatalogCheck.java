package io.ocular.store;

import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Integrity and consistency report of a catalog file, read without changing it (read-only connection, no
 * migration): {@code PRAGMA integrity_check}, foreign keys, vectors and per-image data whose image or model
 * is gone, images marked INDEXED without a vector of the active model, and rows that appear twice (read
 * with full scans, so a damaged unique index cannot hide them). Used by {@code ocular catalog check}, before
 * a restore, and on every backup.
 */
public final class CatalogCheck {
    private static final String ACTIVE_MODEL_KEY = "catalog.active-model-id";
    private static final int MAX_MESSAGES = 20;

    private CatalogCheck() {
    }

    /**
     * The findings. {@code counts} holds what was counted (images, vectors, ...); {@code problems} the
     * consistency findings by name, each a number of rows (0 = fine); {@code errors} what could not be read.
     */
    public record Report(Path file, int schemaVersion, boolean isCatalog, List<String> integrity,
                         Map<String, Long> counts, Map<String, Long> problems, List<String> errors) {

        public boolean integrityOk() {
            return integrity.equals(List.of("ok"));
        }

        /** Integrity ok, no consistency problem and nothing unreadable. */
        public boolean ok() {
            return isCatalog && integrityOk() && errors.isEmpty() && problems.values().stream().allMatch(n -> n == 0);
        }

        /** One line for messages. */
        public String summary() {
            if (!isCatalog && errors.isEmpty()) {
                return "not an Ocular catalog";
            }
            if (!errors.isEmpty()) {
                return "unreadable (" + errors.get(0) + ")";
            }
            if (!integrityOk()) {
                return "damaged (" + integrity.get(0) + (integrity.size() > 1 ? ", ..." : "") + ")";
            }
            List<String> found = new ArrayList<>();
            problems.forEach((k, v) -> {
                if (v > 0) {
                    found.add(v + " " + k);
                }
            });
            return found.isEmpty() ? "ok" : "inconsistent: " + String.join(", ", found);
        }
    }

    /** The full report. Never throws for a bad file: what cannot be read is in {@link Report#errors()}. */
    public static Report check(Path file) {
        List<String> errors = new ArrayList<>();
        List<String> integrity = new ArrayList<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, Long> problems = new LinkedHashMap<>();
        int version = 0;
        boolean catalog = false;
        if (!Files.isRegularFile(file)) {
            return new Report(file, 0, false, List.of("missing"), counts, problems, List.of("no file " + file));
        }
        try (Connection c = readOnly(file)) {
            version = Migrations.currentVersion(c);
            catalog = version >= 1 && tableExists(c, "images") && tableExists(c, "embeddings");
            integrity.addAll(pragmaRows(c, "PRAGMA integrity_check(" + MAX_MESSAGES + ")"));
            if (catalog) {
                String active = activeModel(c).orElse("");
                count(c, counts, errors, "folders", "SELECT COUNT(*) FROM folders");
                count(c, counts, errors, "images", "SELECT COUNT(*) FROM images");
                count(c, counts, errors, "indexed images", "SELECT COUNT(*) FROM images WHERE status = 'INDEXED'");
                count(c, counts, errors, "vectors", "SELECT COUNT(*) FROM embeddings");
                count(c, problems, errors, "foreign key violations", null);
                count(c, problems, errors, "orphan vectors", "SELECT COUNT(*) FROM embeddings e NOT INDEXED"
                        + " WHERE NOT EXISTS (SELECT 1 FROM images i WHERE i.id = e.image_id)"
                        + " OR NOT EXISTS (SELECT 1 FROM models m WHERE m.id = e.model_id)");
                if (tableExists(c, "image_data")) {
                    count(c, problems, errors, "orphan image data", "SELECT COUNT(*) FROM image_data d NOT INDEXED"
                            + " WHERE NOT EXISTS (SELECT 1 FROM images i WHERE i.id = d.image_id)");
                }
                // from version 3 a video's own row has no vector (its moments have) and shares its path with them
                String files = version >= 3 ? " AND duration_ms IS NULL AND video_id IS NULL" : "";
                count(c, problems, errors, "indexed images without a vector", "SELECT COUNT(*) FROM images i"
                        + " WHERE i.status = 'INDEXED'" + files + " AND NOT EXISTS (SELECT 1 FROM embeddings e"
                        + " WHERE e.image_id = i.id AND e.model_id = " + quote(active) + ")");
                count(c, problems, errors, "duplicate image paths", "SELECT COUNT(*) FROM (SELECT path FROM images"
                        + " NOT INDEXED" + (version >= 3 ? " WHERE video_id IS NULL" : "")
                        + " GROUP BY path HAVING COUNT(*) > 1)");
                count(c, problems, errors, "duplicate vectors", "SELECT COUNT(*) FROM (SELECT image_id, model_id"
                        + " FROM embeddings NOT INDEXED GROUP BY image_id, model_id HAVING COUNT(*) > 1)");
                count(c, problems, errors, "duplicate folders", "SELECT COUNT(*) FROM (SELECT path FROM folders"
                        + " NOT INDEXED GROUP BY path HAVING COUNT(*) > 1)");
            }
        } catch (SQLException e) {
            errors.add(firstLine(e.getMessage()));
        }
        if (integrity.isEmpty()) {
            integrity.add("not checked");
        }
        return new Report(file, version, catalog, List.copyOf(integrity), counts, problems, List.copyOf(errors));
    }

    /** {@code PRAGMA quick_check} (O(size), no index cross-check): empty when fine, else the problems. */
    public static List<String> quickCheck(Path file) {
        try (Connection c = readOnly(file)) {
            List<String> rows = pragmaRows(c, "PRAGMA quick_check(" + MAX_MESSAGES + ")");
            return rows.equals(List.of("ok")) ? List.of() : rows;
        } catch (SQLException e) {
            return List.of(firstLine(e.getMessage()));
        }
    }

    private static Connection readOnly(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        try {
            Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            Migrations.currentVersion(c); // opening is lazy: touch the file now
            return c;
        } catch (SQLException e) {
            if (Files.isWritable(file.toAbsolutePath().getParent())) {
                throw e;
            }
            // A WAL catalog on read-only media (a data folder that became read-only) cannot create its -shm
            // file: open it as immutable instead, which reads the file as it is, without locks.
            SQLiteConfig immutable = new SQLiteConfig();
            immutable.setReadOnly(true);
            immutable.setOpenMode(org.sqlite.SQLiteOpenMode.OPEN_URI);
            return immutable.createConnection("jdbc:sqlite:" + file.toAbsolutePath().toUri() + "?immutable=1");
        }
    }

    private static void count(Connection c, Map<String, Long> into, List<String> errors, String name, String sql) {
        try {
            if (sql == null) { // foreign_key_check: one row per violation
                into.put(name, (long) pragmaRows(c, "PRAGMA foreign_key_check").size());
                return;
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                into.put(name, rs.next() ? rs.getLong(1) : 0L);
            }
        } catch (SQLException e) {
            errors.add(name + ": " + firstLine(e.getMessage()));
        }
    }

    private static List<String> pragmaRows(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = "
                     + quote(table))) {
            return rs.next();
        }
    }

    private static Optional<String> activeModel(Connection c) {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT value FROM settings WHERE key = " + quote(ACTIVE_MODEL_KEY))) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
