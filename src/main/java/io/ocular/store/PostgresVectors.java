package io.ocular.store;

import io.ocular.model.ImageRecord;
import io.ocular.model.ModelInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * The vector mode of a shared library. With pgvector on the server, {@code embeddings} gets a {@code vector}
 * column {@code v} beside the exact {@code bytea} copy and each model a partial HNSW index (cosine) on
 * {@code v::vector(dim)} (pgvector's recipe for several dimensions in one column), so search runs in SQL with
 * folder and date filters ({@link #search}; pgvector 0.8's iterative index scans keep filtered searches
 * complete). Without pgvector ("bytea mode") vectors are only the bytes, and Ocular searches them after loading
 * ({@link Catalog#loadEmbeddings}). The mode is decided when the library is opened and shown in status.
 */
final class PostgresVectors {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresVectors.class);
    /** pgvector's HNSW limit for the {@code vector} type. */
    static final int HNSW_MAX_DIMENSION = 2000;

    private final boolean enabled;
    private final String version;
    private final String reason;

    private PostgresVectors(boolean enabled, String version, String reason) {
        this.enabled = enabled;
        this.version = version;
        this.reason = reason;
    }

    /** Creates the extension where the server offers it and the user may, and adds the vector column. */
    static PostgresVectors prepare(Connection c) throws SQLException {
        String installed = extensionVersion(c);
        if (installed == null) {
            if (!available(c)) {
                return new PostgresVectors(false, null, "the server has no pgvector");
            }
            try (Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                st.execute("CREATE EXTENSION IF NOT EXISTS vector");
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                return new PostgresVectors(false, null, "pgvector is available but could not be enabled ("
                        + e.getMessage() + "); run CREATE EXTENSION vector as the database owner");
            } finally {
                c.setAutoCommit(true);
            }
            installed = extensionVersion(c);
        }
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE embeddings ADD COLUMN IF NOT EXISTS v vector");
        } catch (SQLException e) {
            return new PostgresVectors(false, installed, "the vector column could not be added (" + e.getMessage() + ")");
        }
        return new PostgresVectors(true, installed, null);
    }

    private static String extensionVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'vector'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static boolean available(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")) {
            return rs.next();
        }
    }

    boolean enabled() {
        return enabled;
    }

    String describe() {
        return enabled ? "pgvector " + version + " (HNSW cosine, searched on the server)"
                : "bytea (" + reason + "; searched in Ocular on vectors loaded from the server)";
    }

    /**
     * Keeps the model's HNSW index in step with its dimension (pgvector mode). The index's predicate names the
     * dimension too, so an index for the new dimension never evaluates the old vectors (a re-registration deletes
     * them in the same transaction, and an index build still sees rows deleted by its own transaction).
     */
    void modelRegistered(Connection c, ModelInfo model) throws SQLException {
        if (!enabled) {
            return;
        }
        String index = indexName(model.id()) + "_" + model.dimension();
        try (Statement st = c.createStatement()) {
            List<String> others = new ArrayList<>();
            boolean present = false;
            try (ResultSet rs = st.executeQuery("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
                    + " AND indexname LIKE '" + indexName(model.id()) + "\\_%'")) {
                while (rs.next()) {
                    if (rs.getString(1).equals(index)) {
                        present = true;
                    } else {
                        others.add(rs.getString(1));
                    }
                }
            }
            for (String other : others) {
                st.execute("DROP INDEX " + other); // another dimension: its vectors were dropped
            }
            if (present) {
                return;
            }
            if (model.dimension() > HNSW_MAX_DIMENSION) {
                LOG.info("Model {} has {} dimensions, more than pgvector's HNSW takes: searched exactly",
                        model.id(), model.dimension());
                return;
            }
            st.execute("CREATE INDEX " + index + " ON embeddings USING hnsw ((v::vector(" + model.dimension()
                    + ")) vector_cosine_ops) WHERE model_id = " + literal(model.id()) + " AND vector_dims(v) = "
                    + model.dimension());
        }
    }

    /** Fills the vector column of a batch just stored (pgvector mode), in the caller's transaction. */
    void stored(Connection c, String modelId, List<ImageRecord> records, List<float[]> vectors) throws SQLException {
        if (!enabled) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE embeddings SET v = ?::vector WHERE image_id = ? AND model_id = ?")) {
            for (int i = 0; i < records.size(); i++) {
                if (vectors.get(i) != null) {
                    ps.setString(1, text(vectors.get(i)));
                    ps.setLong(2, records.get(i).id());
                    ps.setString(3, modelId);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /**
     * The {@code k} images nearest {@code query} by cosine (HNSW, iterative scan so filters never starve it),
     * among those {@code scope} lets through (folders and dates as SQL on {@code images i}), not {@code excluded}.
     */
    List<VectorHit> search(Connection c, ModelInfo model, float[] query, int k, PostgresScope scope,
                           Collection<Long> excluded) throws SQLException {
        if (!enabled) {
            throw new IllegalStateException("no pgvector on this server");
        }
        if (scope.none() || k <= 0) {
            return List.of();
        }
        String dim = "vector(" + model.dimension() + ")";
        StringBuilder sql = new StringBuilder("SELECT e.image_id, 1 - ((e.v::" + dim + ") <=> ?::" + dim
                + ") FROM embeddings e JOIN images i ON i.id = e.image_id WHERE e.model_id = ? AND vector_dims(e.v) = "
                + model.dimension() + " AND i.status <> 'SKIPPED'").append(scope.sql());
        if (!excluded.isEmpty()) {
            sql.append(" AND NOT (e.image_id = ANY(?))");
        }
        sql.append(" ORDER BY (e.v::").append(dim).append(") <=> ?::").append(dim).append(" LIMIT ?");
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL hnsw.ef_search = " + Math.max(40, Math.min(1000, k)));
                if (version != null && version.compareTo("0.8") >= 0) {
                    st.execute("SET LOCAL hnsw.iterative_scan = relaxed_order");
                }
            }
            List<VectorHit> hits = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int p = 1;
                String q = text(query);
                ps.setString(p++, q);
                ps.setString(p++, model.id());
                p = scope.bind(ps, p);
                if (!excluded.isEmpty()) {
                    ps.setArray(p++, c.createArrayOf("bigint", excluded.toArray()));
                }
                ps.setString(p++, q);
                ps.setInt(p, k);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        hits.add(new VectorHit(rs.getLong(1), rs.getDouble(2)));
                    }
                }
            }
            c.commit();
            return hits;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** pgvector's text form; Float.toString is the shortest exact decimal, so the value is kept bit for bit. */
    static String text(float[] v) {
        StringBuilder sb = new StringBuilder(v.length * 12).append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(v[i]);
        }
        return sb.append(']').toString();
    }

    static String indexName(String modelId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(modelId.getBytes(StandardCharsets.UTF_8));
            return "embeddings_hnsw_" + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
