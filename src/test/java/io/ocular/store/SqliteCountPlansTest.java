package io.ocular.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The folder and status counts read indexes, never the images table (issue 13: at 1M photos a count that tested
 * {@code video_id} on every row read the table's pages spread through a 6 GB catalog, 7 s with a cold cache, on
 * every open). SQLite's own plan is checked, so a schema or query change that brings the table scan back fails here.
 */
class SqliteCountPlansTest {

    @TempDir
    Path tmp;

    @Test
    void countsUseCoveringIndexesOrTheMomentsIndexOnly() throws SQLException {
        Path file = tmp.resolve("catalog.db");
        SqliteCatalog.open(file).close(); // the current schema
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            for (String sql : List.of(SqliteCatalog.FOLDER_QUERY + " ORDER BY f.path",
                    SqliteCatalog.FOLDER_QUERY + " WHERE f.path = ?", SqliteCatalog.COUNT_FILES_QUERY,
                    SqliteCatalog.ROWS_BY_STATUS, SqliteCatalog.MOMENTS_BY_STATUS)) {
                List<String> plan = plan(c, sql);
                assertThat(plan).as(sql).isNotEmpty();
                assertThat(plan).as(sql).filteredOn(line -> line.matches(".*\\b(SCAN|SEARCH) (images|i)\\b.*"))
                        .isNotEmpty()
                        .allSatisfy(line -> assertThat(line).containsAnyOf("COVERING INDEX", "INDEX images_moment"));
            }
        }
    }

    private static List<String> plan(Connection c, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            if (sql.contains("?")) {
                ps.setString(1, "x");
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString(4));
                }
            }
        }
        return lines;
    }
}
