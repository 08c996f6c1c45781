package io.ocular.store;

import io.ocular.model.ComposeMark;
import io.ocular.model.OcularException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The compose marks ({@link ComposeMark}) of the SQLite and PostgreSQL catalogs: the same SQL in both dialects
 * (SQLite's {@code relevant} is an integer 0/1 that JDBC's boolean binding writes and reads).
 */
final class ComposeMarksSql {
    private static final String COLUMNS = "model_id, reference_id, modification, target_id, relevant, weight, marked_at";

    private ComposeMarksSql() {
    }

    /** Inserts the mark, or replaces the verdict of the same (model, reference, words, target). */
    static void put(Connection c, ComposeMark m) throws SQLException {
        if (CatalogSql.queryModel(c, m.modelId()).isEmpty()) {
            throw new OcularException("The mark was not kept: the model " + m.modelId() + " is not in the catalog.");
        }
        for (long id : new long[]{m.referenceId(), m.targetId()}) {
            if (CatalogSql.queryLong(c, "SELECT COUNT(*) FROM images WHERE id = ?", id) == 0) {
                throw new OcularException("The mark was not kept: the photo (id " + id
                        + ") is no longer in the library.");
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO compose_marks (" + COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (model_id, reference_id, modification, target_id)"
                + " DO UPDATE SET relevant = excluded.relevant, weight = excluded.weight,"
                + " marked_at = excluded.marked_at")) {
            ps.setString(1, m.modelId());
            ps.setLong(2, m.referenceId());
            ps.setString(3, m.modification());
            ps.setLong(4, m.targetId());
            ps.setBoolean(5, m.relevant());
            ps.setDouble(6, m.weight());
            ps.setLong(7, m.markedAt().toEpochMilli());
            ps.executeUpdate();
        }
    }

    /** Removes one mark; true when there was one. */
    static boolean delete(Connection c, String modelId, long referenceId, String modification, long targetId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM compose_marks WHERE model_id = ?"
                + " AND reference_id = ? AND modification = ? AND target_id = ?")) {
            ps.setString(1, modelId);
            ps.setLong(2, referenceId);
            ps.setString(3, modification.strip());
            ps.setLong(4, targetId);
            return ps.executeUpdate() > 0;
        }
    }

    /** A model's marks, oldest first. */
    static List<ComposeMark> list(Connection c, String modelId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM compose_marks"
                + " WHERE model_id = ? ORDER BY marked_at, id")) {
            ps.setString(1, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                List<ComposeMark> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new ComposeMark(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                            rs.getBoolean(5), rs.getDouble(6), Instant.ofEpochMilli(rs.getLong(7))));
                }
                return out;
            }
        }
    }

    /** The number of a model's relevant (or not-relevant) marks. */
    static long count(Connection c, String modelId, boolean relevant) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM compose_marks"
                + " WHERE model_id = ? AND relevant = ?")) {
            ps.setString(1, modelId);
            ps.setBoolean(2, relevant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Deletes a model's marks, or every model's when {@code modelId} is null; returns how many. */
    static int forget(Connection c, String modelId) throws SQLException {
        if (modelId == null) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM compose_marks")) {
                return ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM compose_marks WHERE model_id = ?")) {
            ps.setString(1, modelId);
            return ps.executeUpdate();
        }
    }
}
