package io.ocular.store;

import io.ocular.model.ImageRecord;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * JDBC helpers shared by the SQLite and PostgreSQL catalogs: only statements whose SQL means the same in both
 * dialects, batch validation, vector BLOB decoding and image-row binding. Dialect-specific SQL stays in each
 * catalog.
 */
final class CatalogSql {

    private CatalogSql() {
    }

    static <T> Optional<T> first(List<T> list) {
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    /** The first column of the first row of {@code sql} (with at most one parameter), or 0 when there is none. */
    static long queryLong(Connection c, String sql, Object param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (param != null) {
                ps.setObject(1, param);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** The first column of every row of {@code sql}, which takes one string parameter, as ids in row order. */
    static List<Long> queryIds(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                List<Long> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
                return out;
            }
        }
    }

    /** Rows of (key, count) in row order. */
    static Map<String, Long> queryCounts(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            Map<String, Long> out = new LinkedHashMap<>();
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
            return out;
        }
    }

    static Optional<String> setting(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM settings WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Saves a setting; a null value removes it. */
    static void putSetting(Connection c, String key, String value) throws SQLException {
        if (value == null) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM settings WHERE key = ?")) {
                ps.setString(1, key);
                ps.executeUpdate();
            }
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, key);
            ps.setString(2, value);
            ps.executeUpdate();
        }
    }

    static Optional<ModelInfo> queryModel(Connection c, String modelId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, name, kind, dimension, sha256 FROM models WHERE id = ?")) {
            ps.setString(1, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readModel(rs)) : Optional.empty();
            }
        }
    }

    /** A model from columns id, name, kind, dimension, sha256. */
    static ModelInfo readModel(ResultSet rs) throws SQLException {
        return new ModelInfo(rs.getString(1), rs.getString(2), ModelKind.valueOf(rs.getString(3)), rs.getInt(4),
                rs.getString(5));
    }

    /** Stores derived data of one image, failing clearly when the image has left the catalog. */
    static void putImageData(Connection c, long imageId, String kind, byte[] data) throws SQLException {
        if (queryLong(c, "SELECT COUNT(*) FROM images WHERE id = ?", imageId) == 0) {
            throw new OcularException("Cannot store " + kind + " data for image " + imageId
                    + ": it is no longer in the catalog.");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO image_data(image_id, kind, data)"
                + " VALUES (?, ?, ?) ON CONFLICT(image_id, kind) DO UPDATE SET data = excluded.data")) {
            ps.setLong(1, imageId);
            ps.setString(2, kind);
            ps.setBytes(3, data);
            ps.executeUpdate();
        }
    }

    static int deleteImageData(Connection c, String kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM image_data WHERE kind = ?")) {
            ps.setString(1, kind);
            return ps.executeUpdate();
        }
    }

    /**
     * Checks a batch's arguments before anything is opened: as many vectors as images, and a model id when
     * any vector is given. Returns whether the batch holds any vector.
     */
    static boolean checkBatch(List<ImageRecord> images, String modelId, List<float[]> vectors) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(vectors, "vectors");
        if (images.size() != vectors.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + vectors.size() + " vectors");
        }
        boolean anyVector = vectors.stream().anyMatch(Objects::nonNull);
        if (anyVector) {
            Objects.requireNonNull(modelId, "modelId");
        }
        return anyVector;
    }

    /**
     * Encodes every vector of a batch (null where an image has none), so that a bad vector fails the batch
     * before anything is written.
     */
    static byte[][] encodeBatch(List<ImageRecord> images, List<float[]> vectors, ModelInfo model) {
        byte[][] blobs = new byte[vectors.size()][];
        for (int i = 0; i < vectors.size(); i++) {
            if (vectors.get(i) != null) {
                blobs[i] = encode(vectors.get(i), model, images.get(i).path());
            }
        }
        return blobs;
    }

    /** Encodes a vector in the catalog's BLOB format, rejecting wrong dimensions and non-finite values. */
    static byte[] encode(float[] v, ModelInfo model, Path forImage) {
        if (v.length != model.dimension()) {
            throw new OcularException("The vector for " + forImage + " has " + v.length + " values but model '"
                    + model.id() + "' makes vectors of " + model.dimension() + ". Nothing from this batch was stored.");
        }
        ByteBuffer buf = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new OcularException("Model '" + model.id() + "' produced an invalid vector for " + forImage
                        + " (" + v[i] + " at position " + i + "). Nothing from this batch was stored.");
            }
            buf.putFloat(v[i]);
        }
        return buf.array();
    }

    /**
     * Decodes a vector BLOB into {@code out[offset .. offset + dimension)}; {@code holder} names the store in
     * the message about a damaged vector ("The catalog x.db", "The shared library").
     */
    static void decode(byte[] blob, int dimension, float[] out, int offset, long imageId, String holder) {
        if (blob == null || blob.length != dimension * Float.BYTES) {
            throw new OcularException(holder + " holds a damaged vector for image " + imageId
                    + " (" + (blob == null ? 0 : blob.length) + " bytes, expected " + dimension * Float.BYTES
                    + "). Re-index to repair it.");
        }
        ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, offset, dimension);
    }

    /**
     * Whether a found image row (columns id, size, mtime, content_hash) holds other content than {@code image}:
     * by hash when both have one, else by size and modification time.
     */
    static boolean contentChanged(ResultSet found, ImageRecord image) throws SQLException {
        String oldHash = found.getString(4);
        return oldHash != null && image.contentHash() != null
                ? !oldHash.equals(image.contentHash())
                : found.getLong(2) != image.size() || found.getLong(3) != image.mtimeMillis();
    }

    /**
     * Binds parameters 1-11 of an image insert or update: folder, path, size, mtime, hash, width, height, taken
     * at (null as {@code nullTakenAtType}), orientation, status, skip reason.
     */
    static void bindImage(PreparedStatement ps, ImageRecord r, String path, int nullTakenAtType) throws SQLException {
        ps.setLong(1, r.folderId());
        ps.setString(2, path);
        ps.setLong(3, r.size());
        ps.setLong(4, r.mtimeMillis());
        ps.setString(5, r.contentHash());
        ps.setInt(6, r.width());
        ps.setInt(7, r.height());
        if (r.takenAt() == null) {
            ps.setNull(8, nullTakenAtType);
        } else {
            ps.setLong(8, r.takenAt().toEpochMilli());
        }
        ps.setInt(9, r.orientation());
        ps.setString(10, r.status().name());
        ps.setString(11, r.skipReason());
    }

    /** Sets an image statement's columns 1-12 (the row, its duration). */
    @FunctionalInterface
    interface RowBinder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /**
     * Inserts or updates the moment of video {@code videoId} at {@code frameMs} (found by the two; columns 13 and 14
     * of {@code insert} are video id and time, column 13 of {@code update} the row id); returns its id.
     */
    static long upsertMoment(PreparedStatement findMoment, PreparedStatement insert, PreparedStatement update,
                             long videoId, long frameMs, RowBinder bind) throws SQLException {
        findMoment.setLong(1, videoId);
        findMoment.setLong(2, frameMs);
        long id = 0;
        try (ResultSet rs = findMoment.executeQuery()) {
            if (rs.next()) {
                id = rs.getLong(1);
            }
        }
        if (id == 0) {
            bind.bind(insert);
            insert.setLong(13, videoId);
            insert.setLong(14, frameMs);
            return insertReturningId(insert);
        }
        bind.bind(update);
        update.setLong(13, id);
        update.executeUpdate();
        return id;
    }

    /** The failure of a moment whose video is not stored (the batch is rolled back). */
    static OcularException momentWithoutVideo(ImageRecord moment, Object path) {
        return new OcularException("Cannot store the moment at " + moment.frameMs() + " ms of " + path
                + ": the video is not in the catalog.");
    }

    /** Runs an {@code INSERT ... RETURNING id} and gives the new row's id. */
    static long insertReturningId(PreparedStatement insert) throws SQLException {
        try (ResultSet rs = insert.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Drops an image's vectors and derived data (its content changed): each statement takes the image id. */
    static void dropDerived(long imageId, PreparedStatement dropVectors, PreparedStatement dropData)
            throws SQLException {
        dropVectors.setLong(1, imageId);
        dropVectors.executeUpdate();
        dropData.setLong(1, imageId);
        dropData.executeUpdate();
    }
}
