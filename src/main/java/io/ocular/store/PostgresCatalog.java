package io.ocular.store;
// Longer than 600 lines: the PostgreSQL implementation of the whole Catalog interface (reads, batch commits,
// models, roots); SQL helpers live in CatalogSql (shared with SQLite),
// PostgresImageWriter, PostgresVectors, PostgresRoots and PostgresClaims.

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;
import io.ocular.model.SearchScope;
import io.ocular.store.PostgresRoots.Root;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The catalog as a shared library on a PostgreSQL server (pgjdbc), for several computers at once: same contract
 * as {@link SqliteCatalog}, schema in {@code postgres/V*.sql} ({@link PostgresMigrations}). See
 * docs/decisions/0280-postgresql-catalog.md.
 *
 * <ul>
 *   <li><b>Paths</b>: library folders are named roots that each computer mounts at its own path
 *       ({@link PostgresRoots}); an image is its root + its relative path, and every computer sees it under its
 *       own mount. This computer is {@code computer} (an id kept in its data folder).</li>
 *   <li><b>Vectors</b>: the same float32 little-endian bytes as the SQLite catalog, in {@code bytea}, so every
 *       vector reads back bit for bit; where the server has pgvector, {@link PostgresVectors} keeps a
 *       {@code vector} column and HNSW indexes beside them for search in SQL.</li>
 *   <li><b>Concurrency</b>: every write method is one transaction; several computers write at once, and share
 *       indexing work through {@link #claims()} ({@link PostgresClaims}).</li>
 * </ul>
 */
public final class PostgresCatalog extends JdbcCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCatalog.class);
    private static final String IMAGE_COLUMNS = "id, folder_id, rel_path, size, mtime, content_hash, width, height,"
            + " taken_at, orientation, status, skip_reason, frame_ms, duration_ms";
    /** Rows that stand for files (photos and videos), not moments of videos. */
    private static final String FILES = "video_id IS NULL";

    private final PostgresConnections db;
    private final PostgresRoots roots;
    private final PostgresMigrations migrations = new PostgresMigrations();
    private final PostgresVectors vectors;
    private final PostgresClaims claims;
    private volatile boolean closed;

    /**
     * Connects, creates or migrates the library and checks the vector mode.
     *
     * @param computer this computer's id (its mounts and claims are keyed by it)
     * @throws OcularException for a wrong password, a missing database, an unreachable server, a newer schema or
     *                         a database that holds something else
     */
    public static PostgresCatalog open(PostgresLocation location, String computer) {
        return new PostgresCatalog(location, computer);
    }

    private PostgresCatalog(PostgresLocation location, String computer) {
        this.db = new PostgresConnections(Objects.requireNonNull(location, "location"));
        this.roots = new PostgresRoots(Objects.requireNonNull(computer, "computer"));
        Connection c = db.open();
        try {
            migrations.migrate(c, location.describe());
            this.vectors = PostgresVectors.prepare(c);
            roots.reload(c);
        } catch (SQLException e) {
            throw db.failure("opening the shared library", e);
        } finally {
            PostgresConnections.closeQuietly(c);
        }
        this.claims = new PostgresClaims(db, roots);
        LOG.info("Opened the shared library {} as computer {} ({})", location.describe(), computer, vectors.describe());
    }

    public PostgresLocation location() {
        return db.location();
    }

    /** How vectors are searched: "pgvector ..." (in SQL) or "bytea ..." (in Ocular), for status lines. */
    public String vectorMode() {
        return vectors.describe();
    }

    /** Whether the server searches vectors itself (pgvector), rather than Ocular over loaded vectors. */
    public boolean serverSideSearch() {
        return vectors.enabled();
    }

    /**
     * The {@code k} images nearest {@code query} among a model's vectors, searched on the server (pgvector HNSW,
     * cosine, iterative scans), within the scope's folders and dates, its excluded ids left out.
     *
     * @throws OcularException in bytea mode (the server has no pgvector: search the loaded vectors instead)
     */
    public List<VectorHit> searchOnServer(String modelId, float[] query, int k, SearchScope scope) {
        if (!vectors.enabled()) {
            throw new OcularException("This library's server has no pgvector (" + vectors.describe()
                    + "); search runs in Ocular instead.");
        }
        return read("searching on the server", c -> vectors.search(c, requireModel(c, modelId), query, k,
                PostgresScope.of(c, roots, scope, "i"), scope.excluded()));
    }

    /** Search on the server where it has pgvector; empty in bytea mode (Ocular searches loaded vectors). */
    @Override
    public Optional<ServerVectors> serverVectors() {
        if (!vectors.enabled()) {
            return Optional.empty();
        }
        return Optional.of(new ServerVectors() {
            @Override
            public String describe() {
                return vectors.describe();
            }

            @Override
            public List<VectorHit> search(String modelId, float[] query, int k, SearchScope scope) {
                return searchOnServer(modelId, query, k, scope);
            }

            @Override
            public long count(String modelId) {
                return countEmbeddings(modelId);
            }
        });
    }

    PostgresConnections connections() {
        return db;
    }

    @Override
    public String describeLocation() {
        return "shared library: " + db.location().describe() + "; vectors: " + vectors.describe();
    }

    /** One round trip on a pooled connection (replaced when the server dropped it). */
    @Override
    public boolean reachable() {
        if (closed) {
            return false;
        }
        try {
            return db.read("checking the connection", c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
                    return rs.next();
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("the library server does not answer: {}", e.getMessage());
            return false;
        }
    }

    @Override
    public WorkClaims claims() {
        return claims;
    }

    @Override
    <T> T write(String action, SqlWork<T> work) {
        ensureOpen();
        try {
            return db.write(action, work);
        } catch (RuntimeException e) {
            roots.invalidate(); // a rolled-back transaction may have added a root to the cache
            throw e;
        }
    }

    @Override
    <T> T read(String action, SqlWork<T> work) {
        ensureOpen();
        return db.read(action, work);
    }

    @Override
    <T> T readSnapshot(String action, SqlWork<T> work) {
        ensureOpen();
        return db.readSnapshot(action, work);
    }

    @Override
    String where() {
        return "the shared library " + db.location().describe();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the shared library " + db.location().describe() + " is closed");
        }
    }

    // ---- folders -------------------------------------------------------------------------------

    @Override
    public FolderRecord addFolder(Path folder) {
        String path = SqliteCatalog.normalise(folder);
        return write("adding a folder", c -> {
            Root r = roots.addOrMap(c, path, System.currentTimeMillis());
            return queryFolders(c, " WHERE f.id = ?", r.id()).get(0);
        });
    }

    /** Maps the library folder {@code name} to {@code path} on this computer (a NAS share mounted elsewhere). */
    public FolderRecord mapFolder(String name, Path path) {
        String p = SqliteCatalog.normalise(path);
        return write("mapping a folder", c -> queryFolders(c, " WHERE f.id = ?", roots.map(c, name, p).id()).get(0));
    }

    /** The library folders' names by id (they are the same on every computer). */
    public Map<Long, String> folderNames() {
        return read("listing folders", c -> {
            Map<Long, String> out = new LinkedHashMap<>();
            for (Root r : roots.reload(c)) {
                out.put(r.id(), r.name());
            }
            return out;
        });
    }

    @Override
    public void removeFolder(long folderId) {
        write("removing a folder", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM folders WHERE id = ?")) {
                ps.setLong(1, folderId);
                ps.executeUpdate();
            }
            roots.reload(c);
            return null;
        });
    }

    @Override
    public List<FolderRecord> folders() {
        return read("listing folders", c -> {
            List<FolderRecord> out = queryFolders(c, "", null);
            out.sort((a, b) -> a.path().toString().compareTo(b.path().toString()));
            return out;
        });
    }

    private List<FolderRecord> queryFolders(Connection c, String where, Long id) throws SQLException {
        Map<Long, Root> byId = new HashMap<>();
        roots.reload(c).forEach(r -> byId.put(r.id(), r));
        try (PreparedStatement ps = c.prepareStatement("SELECT f.id, f.added_at,"
                + " (SELECT COUNT(*) FROM images i WHERE i.folder_id = f.id AND i.video_id IS NULL),"
                + " (SELECT COUNT(*) FROM images i WHERE i.folder_id = f.id AND i.status = 'SKIPPED'"
                + " AND i.video_id IS NULL)"
                + " FROM folders f" + where)) {
            if (id != null) {
                ps.setLong(1, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<FolderRecord> out = new ArrayList<>();
                while (rs.next()) {
                    Root r = byId.get(rs.getLong(1));
                    out.add(new FolderRecord(rs.getLong(1), r.local(), Instant.ofEpochMilli(rs.getLong(2)),
                            rs.getLong(3), rs.getLong(4)));
                }
                return out;
            }
        }
    }

    // ---- images --------------------------------------------------------------------------------

    @Override
    public Optional<ImageRecord> image(long id) {
        return read("reading an image", c -> CatalogSql.first(queryImages(c, "WHERE id = ?", id)));
    }

    @Override
    public Map<Long, ImageRecord> images(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return read("reading images", c -> {
            Array array = c.createArrayOf("bigint", ids.toArray());
            Map<Long, ImageRecord> out = new HashMap<>(ids.size() * 2);
            for (ImageRecord r : queryImages(c, "WHERE id = ANY(?)", array)) {
                out.put(r.id(), r);
            }
            return out;
        });
    }

    @Override
    public Optional<ImageRecord> imageByPath(Path path) {
        Path p = Path.of(SqliteCatalog.normalise(path));
        return read("reading an image", c -> {
            Optional<Root> root = roots.containing(c, p);
            if (root.isEmpty()) {
                return Optional.empty();
            }
            return CatalogSql.first(queryImages(c, "WHERE folder_id = ? AND rel_path = ? AND " + FILES, root.get().id(),
                    PostgresRoots.relative(root.get(), p)));
        });
    }

    @Override
    public List<ImageRecord> imagesInFolder(long folderId) {
        return read("listing a folder's images", c -> {
            List<ImageRecord> out = queryImages(c, "WHERE folder_id = ? AND " + FILES, folderId);
            out.sort((a, b) -> a.path().toString().compareTo(b.path().toString()));
            return out;
        });
    }

    /**
     * One query: a scope folder is its root (all of it) or a relative-path prefix within it; dates on the date
     * taken, else the file's time. A folder outside every library folder matches nothing.
     */
    @Override
    public BitSet imageIdsIn(SearchScope scope) {
        return read("finding the photos in the search's folders and dates", c -> {
            PostgresScope where = PostgresScope.of(c, roots, scope, "");
            if (where.none()) {
                return new BitSet(); // none of the folders is in the library
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM images WHERE status <> 'SKIPPED'"
                    + where.sql())) {
                where.bind(ps, 1);
                BitSet out = new BitSet();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.set(Math.toIntExact(rs.getLong(1)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<ImageRecord> imagesByHash(String contentHash) {
        Objects.requireNonNull(contentHash, "contentHash");
        return read("finding images by content", c -> queryImages(c, "WHERE content_hash = ? AND " + FILES
                + " ORDER BY id", contentHash));
    }

    @Override
    public ImageRecord upsertImage(ImageRecord image) {
        Objects.requireNonNull(image, "image");
        return write("storing an image", c -> {
            try (PostgresImageWriter w = new PostgresImageWriter(c, roots)) {
                return w.upsert(image);
            }
        });
    }

    @Override
    public void moveImage(long id, long folderId, Path newPath, long size, long mtimeMillis) {
        Path p = Path.of(SqliteCatalog.normalise(newPath));
        write("moving an image", c -> {
            Root root = PostgresImageWriter.root(c, roots, folderId);
            String rel = PostgresRoots.relative(root, p);
            try (PreparedStatement del = c.prepareStatement(
                    "DELETE FROM images WHERE folder_id = ? AND rel_path = ? AND id <> ? AND " + FILES)) {
                del.setLong(1, folderId);
                del.setString(2, rel);
                del.setLong(3, id);
                del.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE images SET folder_id = ?, rel_path = ?, size = ?, mtime = ? WHERE id = ?")) {
                ps.setLong(1, folderId);
                ps.setString(2, rel);
                ps.setLong(3, size);
                ps.setLong(4, mtimeMillis);
                ps.setLong(5, id);
                if (ps.executeUpdate() == 0) {
                    throw new OcularException("Cannot move image " + id + " to " + p + ": it is no longer in the catalog.");
                }
            }
            try (PreparedStatement ps = c.prepareStatement( // a video's moments move with it
                    "UPDATE images SET folder_id = ?, rel_path = ?, size = ?, mtime = ? WHERE video_id = ?")) {
                ps.setLong(1, folderId);
                ps.setString(2, rel);
                ps.setLong(3, size);
                ps.setLong(4, mtimeMillis);
                ps.setLong(5, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void deleteImages(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        write("deleting images", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM images WHERE id = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public long countImages(ImageStatus status) {
        Objects.requireNonNull(status, "status");
        return read("counting images", c -> CatalogSql.queryLong(c, "SELECT COUNT(*) FROM images WHERE status = ? AND "
                + FILES, status.name()));
    }

    @Override
    public List<ImageRecord> skippedImages(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return read("listing skipped images", c -> {
            List<ImageRecord> all = queryImages(c, "WHERE status = 'SKIPPED' AND " + FILES);
            all.sort((a, b) -> a.path().toString().compareTo(b.path().toString()));
            return List.copyOf(all.subList(0, Math.min(limit, all.size())));
        });
    }

    @Override
    public List<ImageRecord> moments(long videoId) {
        return read("listing a video's moments", c -> queryImages(c, "WHERE video_id = ? ORDER BY frame_ms", videoId));
    }

    private List<ImageRecord> queryImages(Connection c, String where, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + IMAGE_COLUMNS + " FROM images " + where)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<ImageRecord> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(readImage(c, rs));
                }
                return out;
            }
        }
    }

    private ImageRecord readImage(Connection c, ResultSet rs) throws SQLException {
        long takenAt = rs.getLong(9);
        Instant taken = rs.wasNull() ? null : Instant.ofEpochMilli(takenAt);
        long folderId = rs.getLong(2);
        Root root = roots.byId(c, folderId).orElseThrow(() -> new IllegalStateException("no root " + folderId));
        return new ImageRecord(rs.getLong(1), folderId, PostgresRoots.absolute(root, rs.getString(3)), rs.getLong(4),
                rs.getLong(5), rs.getString(6), rs.getInt(7), rs.getInt(8), taken, rs.getInt(10),
                ImageStatus.valueOf(rs.getString(11)), rs.getString(12), rs.getObject(13) == null ? ImageRecord.NO_FRAME
                : rs.getLong(13), rs.getObject(14) == null ? 0 : rs.getLong(14));
    }

    // ---- models --------------------------------------------------------------------------------

    @Override
    public void registerModel(ModelInfo model) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(model.id(), "model id");
        Objects.requireNonNull(model.kind(), "model kind");
        if (model.id().isBlank() || model.dimension() <= 0) {
            throw new IllegalArgumentException("invalid model " + model);
        }
        write("registering a model", c -> {
            Optional<ModelInfo> old = CatalogSql.queryModel(c, model.id());
            if (old.isPresent() && (old.get().dimension() != model.dimension()
                    || !Objects.equals(old.get().sha256(), model.sha256()))) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM embeddings WHERE model_id = ?")) {
                    ps.setString(1, model.id());
                    LOG.info("Model {} changed ({} -> {}); dropped its {} stored vectors", model.id(), old.get(), model,
                            ps.executeUpdate());
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO models(id, name, kind, dimension, sha256)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
                    + " kind = excluded.kind, dimension = excluded.dimension, sha256 = excluded.sha256")) {
                ps.setString(1, model.id());
                ps.setString(2, model.name());
                ps.setString(3, model.kind().name());
                ps.setInt(4, model.dimension());
                ps.setString(5, model.sha256());
                ps.executeUpdate();
            }
            vectors.modelRegistered(c, model);
            return null;
        });
    }

    // ---- embeddings ----------------------------------------------------------------------------

    @Override
    public List<ImageRecord> commitBatch(List<ImageRecord> images, String modelId, List<float[]> vectorList) {
        boolean anyVector = CatalogSql.checkBatch(images, modelId, vectorList);
        if (images.isEmpty()) {
            return List.of();
        }
        return write("storing a batch", c -> {
            // validate everything before writing anything
            byte[][] blobs = anyVector ? CatalogSql.encodeBatch(images, vectorList, requireModel(c, modelId))
                    : new byte[vectorList.size()][];
            List<ImageRecord> stored = new ArrayList<>(images.size());
            try (PostgresImageWriter w = new PostgresImageWriter(c, roots);
                 PreparedStatement put = c.prepareStatement("INSERT INTO embeddings(image_id, model_id, vector)"
                         + " VALUES (?, ?, ?) ON CONFLICT(image_id, model_id) DO UPDATE SET vector = excluded.vector")) {
                for (int i = 0; i < images.size(); i++) {
                    // a video followed by its moments gets exactly those moments
                    ImageRecord r = w.upsert(images.get(i), i + 1 < images.size() && images.get(i + 1).isMoment());
                    stored.add(r);
                    w.endClaim(r); // committed with the batch: no other computer redoes it
                    if (blobs[i] != null) {
                        put.setLong(1, r.id());
                        put.setString(2, modelId);
                        put.setBytes(3, blobs[i]);
                        put.addBatch();
                    }
                }
                put.executeBatch();
            }
            if (anyVector) {
                vectors.stored(c, modelId, stored, vectorList);
            }
            return List.copyOf(stored);
        });
    }

    @Override
    public EmbeddingMatrix loadEmbeddings(String modelId) {
        Objects.requireNonNull(modelId, "modelId");
        ensureOpen();
        return db.readSnapshot("loading vectors", c -> {
            int dim = requireModel(c, modelId).dimension();
            long count = CatalogSql.queryLong(c, "SELECT COUNT(*) FROM embeddings WHERE model_id = ?", modelId);
            if (count * dim > Integer.MAX_VALUE - 16) {
                throw new OcularException("Model '" + modelId + "' has " + count + " vectors of " + dim
                        + " values, more than fit in one array; use a model with smaller vectors.");
            }
            int rows = (int) count;
            long[] ids = new long[rows];
            float[] data = new float[rows * dim];
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT image_id, vector FROM embeddings WHERE model_id = ? ORDER BY image_id")) {
                ps.setFetchSize(2048); // streamed in a transaction, not all rows at once
                ps.setString(1, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    int row = 0;
                    while (rs.next() && row < rows) {
                        ids[row] = rs.getLong(1);
                        decode(rs.getBytes(2), dim, data, row * dim, ids[row]);
                        row++;
                    }
                }
            }
            return new EmbeddingMatrix(modelId, dim, ids, data);
        });
    }

    // ---- derived per-image data ----------------------------------------------------------------

    // ---- settings and diagnostics --------------------------------------------------------------

    /** {@inheritDoc} {@code fileBytes} is the size of the library's tables and indexes on the server. */
    @Override
    public CatalogStats stats() {
        ensureOpen();
        return db.readSnapshot("reading statistics", c -> {
            int version = PostgresMigrations.currentVersion(c);
            long folders = CatalogSql.queryLong(c, "SELECT COUNT(*) FROM folders", null);
            Map<String, Long> byStatus = CatalogSql.queryCounts(c, "SELECT status, COUNT(*) FROM images WHERE " + FILES
                    + " GROUP BY status");
            Map<String, Long> byModel = CatalogSql.queryCounts(c, "SELECT m.id,"
                    + " (SELECT COUNT(*) FROM embeddings e WHERE e.model_id = m.id) FROM models m ORDER BY m.id");
            Map<String, Long> byKind = CatalogSql.queryCounts(c, "SELECT kind, COUNT(*) FROM image_data GROUP BY kind ORDER BY kind");
            long bytes = CatalogSql.queryLong(c, "SELECT COALESCE(SUM(pg_total_relation_size(format('%I.%I', schemaname,"
                    + " tablename)::regclass)), 0) FROM pg_tables WHERE schemaname = current_schema()", null);
            return new CatalogStats(version, folders, byStatus.getOrDefault("PENDING", 0L),
                    byStatus.getOrDefault("INDEXED", 0L), byStatus.getOrDefault("SKIPPED", 0L), byModel, byKind, bytes);
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        db.close();
    }
}
