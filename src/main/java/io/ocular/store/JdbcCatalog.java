package io.ocular.store;

import io.ocular.model.ComposeMark;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the two JDBC catalogs ({@link SqliteCatalog}, {@link PostgresCatalog}) do with the same SQL: models, vectors
 * read back, derived per-image data, compose marks and settings, over {@link CatalogSql}. Each catalog supplies its transactions
 * ({@link #read}, {@link #readSnapshot}, {@link #write}: SQLite's one writer and pooled readers, PostgreSQL's pool)
 * and says where it is for messages ({@link #where}).
 */
abstract class JdbcCatalog implements Catalog {
    static final String ACTIVE_MODEL_KEY = "catalog.active-model-id";

    /** Work on a connection of the catalog. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** One read (its own snapshot); driver failures become messages a user can act on. */
    abstract <T> T read(String action, SqlWork<T> work);

    /** Several statements that see one snapshot. */
    abstract <T> T readSnapshot(String action, SqlWork<T> work);

    /** One transaction: all or nothing. */
    abstract <T> T write(String action, SqlWork<T> work);

    /** Where the catalog is, for messages: "the catalog /home/…/catalog.db", "the shared library …". */
    abstract String where();

    @Override
    public Optional<ModelInfo> model(String modelId) {
        Objects.requireNonNull(modelId, "modelId");
        return read("reading a model", c -> CatalogSql.queryModel(c, modelId));
    }

    @Override
    public List<ModelInfo> models() {
        return read("listing models", c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id, name, kind, dimension, sha256 FROM models ORDER BY id")) {
                List<ModelInfo> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(CatalogSql.readModel(rs));
                }
                return out;
            }
        });
    }

    @Override
    public Optional<float[]> embedding(long imageId, String modelId) {
        Objects.requireNonNull(modelId, "modelId");
        return read("reading a vector", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT vector FROM embeddings WHERE image_id = ? AND model_id = ?")) {
                ps.setLong(1, imageId);
                ps.setString(2, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    byte[] blob = rs.getBytes(1);
                    int dim = blob == null ? 0 : blob.length / Float.BYTES;
                    float[] v = new float[dim];
                    decode(blob, dim, v, 0, imageId);
                    return Optional.of(v);
                }
            }
        });
    }

    /** {@inheritDoc} One read snapshot, streamed: memory does not grow with the number of vectors. */
    @Override
    public void forEachEmbedding(String modelId, EmbeddingSink sink) {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(sink, "sink");
        readSnapshot("streaming vectors", c -> {
            int dim = requireModel(c, modelId).dimension();
            float[] row = new float[dim];
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT image_id, vector FROM embeddings WHERE model_id = ? ORDER BY image_id")) {
                ps.setString(1, modelId);
                ps.setFetchSize(1024);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        decode(rs.getBytes(2), dim, row, 0, id);
                        sink.accept(id, row);
                    }
                }
            }
            return null;
        });
    }

    @Override
    public long[] embeddingIds(String modelId) {
        Objects.requireNonNull(modelId, "modelId");
        return read("listing vector ids", c -> {
            long[] ids = new long[1024];
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT image_id FROM embeddings WHERE model_id = ? ORDER BY image_id")) {
                ps.setString(1, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (n == ids.length) {
                            ids = Arrays.copyOf(ids, ids.length * 2);
                        }
                        ids[n++] = rs.getLong(1);
                    }
                }
            }
            return Arrays.copyOf(ids, n);
        });
    }

    @Override
    public long countEmbeddings(String modelId) {
        Objects.requireNonNull(modelId, "modelId");
        return read("counting vectors", c -> CatalogSql.queryLong(c, "SELECT COUNT(*) FROM embeddings WHERE model_id = ?", modelId));
    }

    @Override
    public List<Long> imagesWithoutEmbedding(String modelId) {
        Objects.requireNonNull(modelId, "modelId");
        // a video counts (by its file row) when it has no moments or one of them lacks a vector
        return read("listing images to embed", c -> CatalogSql.queryIds(c, "SELECT i.id FROM images i,"
                + " (SELECT CAST(? AS text) AS id) model WHERE i.status <> 'SKIPPED'"
                + " AND i.video_id IS NULL AND CASE WHEN i.duration_ms IS NULL"
                + " THEN NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.image_id = i.id AND e.model_id = model.id)"
                + " ELSE NOT EXISTS (SELECT 1 FROM images m WHERE m.video_id = i.id)"
                + " OR EXISTS (SELECT 1 FROM images m WHERE m.video_id = i.id AND NOT EXISTS"
                + " (SELECT 1 FROM embeddings e WHERE e.image_id = m.id AND e.model_id = model.id)) END"
                + " ORDER BY i.id", modelId));
    }

    @Override
    public void putImageData(long imageId, String kind, byte[] data) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(data, "data");
        write("storing image data", c -> {
            CatalogSql.putImageData(c, imageId, kind, data);
            return null;
        });
    }

    @Override
    public Optional<byte[]> imageData(long imageId, String kind) {
        Objects.requireNonNull(kind, "kind");
        return read("reading image data", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT data FROM image_data WHERE image_id = ? AND kind = ?")) {
                ps.setLong(1, imageId);
                ps.setString(2, kind);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    byte[] data = rs.getBytes(1);
                    return Optional.of(data == null ? new byte[0] : data);
                }
            }
        });
    }

    @Override
    public void deleteImageData(String kind) {
        Objects.requireNonNull(kind, "kind");
        write("deleting image data", c -> CatalogSql.deleteImageData(c, kind));
    }

    @Override
    public List<Long> imagesWithoutImageData(String kind) {
        Objects.requireNonNull(kind, "kind");
        return read("listing images without " + kind, c -> CatalogSql.queryIds(c, "SELECT i.id FROM images i"
                + " WHERE i.status = 'INDEXED' AND i.video_id IS NULL AND i.duration_ms IS NULL"
                + " AND NOT EXISTS (SELECT 1 FROM image_data d WHERE d.image_id = i.id AND d.kind = ?)"
                + " ORDER BY i.id", kind));
    }

    @Override
    public long countImageData(String kind) {
        Objects.requireNonNull(kind, "kind");
        return read("counting image data", c -> CatalogSql.queryLong(c, "SELECT COUNT(*) FROM image_data WHERE kind = ?", kind));
    }

    // ---- compose marks --------------------------------------------------------------------------

    @Override
    public void putComposeMark(ComposeMark mark) {
        Objects.requireNonNull(mark, "mark");
        write("keeping a compose mark", c -> {
            ComposeMarksSql.put(c, mark);
            return null;
        });
    }

    @Override
    public boolean deleteComposeMark(String modelId, long referenceId, String modification, long targetId) {
        return write("removing a compose mark", c -> ComposeMarksSql.delete(c, Objects.requireNonNull(modelId),
                referenceId, Objects.requireNonNull(modification), targetId));
    }

    @Override
    public List<ComposeMark> composeMarks(String modelId) {
        return read("reading compose marks", c -> ComposeMarksSql.list(c, Objects.requireNonNull(modelId)));
    }

    @Override
    public long countComposeMarks(String modelId, boolean relevant) {
        return read("counting compose marks", c -> ComposeMarksSql.count(c, Objects.requireNonNull(modelId), relevant));
    }

    @Override
    public int forgetComposeMarks(String modelId) {
        return write("forgetting compose marks", c -> ComposeMarksSql.forget(c, modelId));
    }

    @Override
    public Optional<String> setting(String key) {
        Objects.requireNonNull(key, "key");
        return read("reading a setting", c -> CatalogSql.setting(c, key));
    }

    /** {@inheritDoc} A null value removes the setting. */
    @Override
    public void putSetting(String key, String value) {
        Objects.requireNonNull(key, "key");
        write("saving a setting", c -> {
            CatalogSql.putSetting(c, key, value);
            return null;
        });
    }

    @Override
    public Optional<String> activeModelId() {
        return setting(ACTIVE_MODEL_KEY);
    }

    @Override
    public void setActiveModelId(String modelId) {
        Objects.requireNonNull(modelId, "modelId");
        write("choosing the active model", c -> {
            requireModel(c, modelId);
            CatalogSql.putSetting(c, ACTIVE_MODEL_KEY, modelId);
            return null;
        });
    }

    /** The registered model, or a clear failure naming the catalog (which rolls a write back). */
    final ModelInfo requireModel(Connection c, String modelId) throws SQLException {
        return CatalogSql.queryModel(c, modelId).orElseThrow(() -> new OcularException(
                "The model '" + modelId + "' is not registered in " + where() + "."));
    }

    final void decode(byte[] blob, int dimension, float[] out, int offset, long imageId) {
        String w = where();
        CatalogSql.decode(blob, dimension, out, offset, imageId, Character.toUpperCase(w.charAt(0)) + w.substring(1));
    }
}
