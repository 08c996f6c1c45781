package io.ocular.store;
// Longer than 600 lines: the one SQLite implementation of the Catalog interface (schema access, reads, the
// single-writer transactions and vector blobs) reads best in one place; a split is due with the PostgreSQL catalog.

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;
import io.ocular.model.SearchScope;
import io.ocular.model.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The catalog in one SQLite file (xerial sqlite-jdbc), usually {@code <data dir>/catalog.db}.
 *
 * <h2>Connections and concurrency</h2>
 * The database runs in WAL mode with {@code synchronous=NORMAL} (a crash may lose the last commits but
 * never corrupts the file), foreign keys on and a busy timeout. There is exactly one write connection;
 * every write method takes {@link #writeLock} and runs in one {@code BEGIN IMMEDIATE} transaction, so
 * writes are serialised even if more than one thread writes. Readers borrow connections from a small
 * pool of their own ({@value #MAX_READERS} at most, opened lazily, {@code query_only}); under WAL they
 * never block the writer nor wait for it, and every read sees only committed transactions. Reads that
 * take several statements ({@link #loadEmbeddings}, {@link #stats}) run in one read transaction, so they
 * see a single snapshot.
 *
 * <h2>Vector format</h2>
 * An embedding is a BLOB of {@code dimension * 4} bytes: the vector's float32 values in order, each in
 * IEEE 754 binary32, <b>little-endian</b>, with no header (the dimension is the model's, kept in the
 * {@code models} table). Values are stored bit for bit; NaN and infinities are rejected on the way in.
 *
 * <h2>Paths</h2>
 * Stored as {@code toAbsolutePath().normalize().toString()}, verbatim (no Unicode normalisation), so a
 * non-ASCII name comes back exactly as the file system gave it.
 *
 * <h2>Derived data follows content</h2>
 * When {@link #upsertImage} (or {@link #commitBatch}) records new content for a known path (a different
 * content hash, or, when a hash is unknown, a different size or mtime), the image's stored vectors and
 * derived data are dropped: they described the old content. {@link #moveImage} keeps them. Re-registering
 * a model with a different dimension or SHA-256 drops that model's vectors, which a different model made.
 *
 * <h2>Bad files</h2>
 * A file that is not SQLite, a SQLite database that is not an Ocular catalog, or a catalog from a newer
 * Ocular is refused with an {@link OcularException} before anything is written to it.
 */
public final class SqliteCatalog extends JdbcCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteCatalog.class);

    static final int MAX_READERS = 4;
    private static final int BUSY_TIMEOUT_MS = 15_000;

    private static final String IMAGE_COLUMNS =
            "id, folder_id, path, size, mtime, content_hash, width, height, taken_at, orientation, status, skip_reason,"
            + " frame_ms, duration_ms";
    /** Rows that stand for files (photos and videos), not moments of videos. */
    private static final String FILES = "video_id IS NULL";
    /**
     * Rows of video moments (few) found through their partial index, which holds only them: a count of files is
     * the count of all rows (read from a covering index alone) less the moments', so no count walks the table —
     * at 1M photos a "video_id IS NULL" test on every row read the table's pages spread over a 6 GB file
     * (7 s with a cold cache; issue 13).
     */
    private static final String MOMENTS = "images INDEXED BY images_moment WHERE video_id IS NOT NULL";
    static final String FOLDER_QUERY = "SELECT f.id, f.path, f.added_at,"
            + " (SELECT COUNT(*) FROM images i WHERE i.folder_id = f.id) - COALESCE(m.files, 0),"
            + " (SELECT COUNT(*) FROM images i WHERE i.folder_id = f.id AND i.status = 'SKIPPED') - COALESCE(m.skipped, 0)"
            + " FROM folders f LEFT JOIN (SELECT folder_id, COUNT(*) AS files, SUM(status = 'SKIPPED') AS skipped"
            + " FROM " + MOMENTS + " GROUP BY folder_id) m ON m.folder_id = f.id";
    /** Files (not moments) with the status ?1. */
    static final String COUNT_FILES_QUERY = "SELECT (SELECT COUNT(*) FROM images WHERE status = ?1)"
            + " - (SELECT COUNT(*) FROM " + MOMENTS + " AND status = ?1)";
    /** Rows by status, and moments by status (subtracted). */
    static final String ROWS_BY_STATUS = "SELECT status, COUNT(*) FROM images GROUP BY status";
    static final String MOMENTS_BY_STATUS = "SELECT status, COUNT(*) FROM " + MOMENTS + " GROUP BY status";

    private final Path file;
    private final String url;
    private final Migrations migrations = new Migrations();

    private final ReentrantLock writeLock = new ReentrantLock();
    private final ScopeIdsCache scopes = new ScopeIdsCache();
    private final Connection writer;

    private final Semaphore readPermits = new Semaphore(MAX_READERS, true);
    private final ConcurrentLinkedQueue<Connection> idleReaders = new ConcurrentLinkedQueue<>();
    private final Set<Connection> allReaders = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Opens (creating if needed) the catalog in {@code file} and migrates it to the latest schema.
     *
     * @throws OcularException if the file cannot be created or written, is not an Ocular catalog, is
     *                         damaged, or was written by a newer Ocular (the file is left untouched)
     */
    public static SqliteCatalog open(Path file) {
        return new SqliteCatalog(file);
    }

    private SqliteCatalog(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
        prepareLocation(this.file);
        this.url = "jdbc:sqlite:" + this.file;
        Connection c = null;
        try {
            c = connect(true);
            checkIsCatalog(c);
            enableWal(c);
            backupBeforeMigration(c);
            migrations.migrate(c, this.file.toString());
            this.writer = c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw failure("opening the catalog", e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        LOG.debug("Opened catalog {}", this.file);
    }

    public Path file() {
        return file;
    }

    @Override
    public String describeLocation() {
        return "this computer: " + file;
    }

    // ---- opening -------------------------------------------------------------------------------

    private static void prepareLocation(Path file) {
        Path dir = file.getParent();
        if (Files.isDirectory(file)) {
            throw new OcularException("Cannot open the catalog " + file + ": it is a folder, not a file.");
        }
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new OcularException("Cannot create the folder " + dir + " for the catalog: " + e.getFile()
                    + " is a file, not a folder. Choose another data folder or move that file away.", e);
        } catch (IOException | SecurityException e) {
            throw new OcularException("Cannot create the folder " + dir + " for the catalog (" + describe(e)
                    + "). Choose another data folder or fix its permissions.", e);
        }
        // SQLite needs to create the -wal and -shm files next to the database.
        if (!Files.isWritable(dir)) {
            throw new OcularException("Cannot write the catalog in " + dir
                    + ": the folder is not writable. Choose another data folder or fix its permissions.");
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new OcularException("Cannot write the catalog " + file
                    + ": the file is read-only. Fix its permissions or choose another data folder.");
        }
    }

    private Connection connect(boolean forWriting) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        if (forWriting) {
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        }
        // Nothing here reads or writes the file: a foreign file is inspected before any change is made.
        Connection c = config.createConnection(url);
        if (!forWriting) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA query_only = ON");
            } catch (SQLException e) {
                closeQuietly(c);
                throw e;
            }
        }
        return c;
    }

    /** Refuses, before any change, files that are not SQLite, foreign databases and newer catalogs. */
    private void checkIsCatalog(Connection c) throws SQLException {
        int version = Migrations.currentVersion(c); // fails with SQLITE_NOTADB on a non-SQLite file
        migrations.checkNotNewer(version, file.toString());
        if (version == 0) {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(
                         "SELECT COUNT(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")) {
                if (rs.next() && rs.getLong(1) > 0) {
                    throw new OcularException("The file " + file + " is a SQLite database but not an Ocular"
                            + " catalog. It was left untouched: choose another data folder or move the file away.");
                }
            }
        }
    }

    /** A catalog about to be migrated is backed up first (see {@link CatalogBackups}); a new one is not. */
    private void backupBeforeMigration(Connection c) throws SQLException {
        int version = Migrations.currentVersion(c);
        if (version > 0 && version < migrations.latestVersion()) {
            CatalogBackups.of(file).backup(c, "before-v" + migrations.latestVersion());
        }
    }

    private void enableWal(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
            String mode = rs.next() ? rs.getString(1) : "?";
            if (!"wal".equalsIgnoreCase(mode)) {
                LOG.warn("Catalog {}: the file system does not support WAL (journal mode {});"
                        + " searches may wait while indexing writes", file, mode);
            }
        }
    }

    // ---- transactions --------------------------------------------------------------------------

    @Override
    String where() {
        return "the catalog " + file;
    }

    /** Runs {@code work} on the write connection in one IMMEDIATE transaction: all or nothing. */
    @Override
    <T> T write(String action, SqlWork<T> work) {
        ensureOpen();
        writeLock.lock();
        try {
            ensureOpen();
            scopes.invalidate(); // and again below: a scope read during this transaction is not remembered
            exec(writer, "BEGIN IMMEDIATE");
            boolean committed = false;
            try {
                T result = work.run(writer);
                exec(writer, "COMMIT");
                committed = true;
                return result;
            } finally {
                if (!committed) {
                    rollbackQuietly(writer);
                }
            }
        } catch (SQLException e) {
            throw failure(action, e);
        } finally {
            scopes.invalidate();
            writeLock.unlock();
        }
    }

    /** Runs a single-statement read on a pooled reader connection (autocommit: its own snapshot). */
    @Override
    <T> T read(String action, SqlWork<T> work) {
        return withReader(action, work, false);
    }

    /** Runs a multi-statement read in one read transaction: every statement sees the same snapshot. */
    @Override
    <T> T readSnapshot(String action, SqlWork<T> work) {
        return withReader(action, work, true);
    }

    private <T> T withReader(String action, SqlWork<T> work, boolean transaction) {
        ensureOpen();
        readPermits.acquireUninterruptibly();
        Connection c = idleReaders.poll();
        try {
            if (c == null) {
                c = connect(false);
                allReaders.add(c);
            }
            if (!transaction) {
                return work.run(c);
            }
            exec(c, "BEGIN");
            try {
                return work.run(c);
            } finally {
                try {
                    exec(c, "COMMIT");
                } catch (SQLException e) {
                    LOG.debug("Ending a read transaction failed", e);
                }
            }
        } catch (SQLException e) {
            throw failure(action, e);
        } finally {
            if (c != null) {
                if (closed) {
                    allReaders.remove(c);
                    closeQuietly(c);
                } else {
                    idleReaders.offer(c);
                }
            }
            readPermits.release();
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            exec(c, "ROLLBACK");
        } catch (SQLException e) {
            LOG.debug("Rollback failed (the transaction may already have ended)", e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the catalog " + file + " is closed");
        }
    }

    /** Turns a driver failure into a message the user can act on. */
    private OcularException failure(String action, SQLException e) {
        int code = e.getErrorCode() & 0xff; // primary SQLite result code
        String detail = e.getMessage();
        if (code == 11 || code == 26) {
            return new CatalogDamagedException(file, detail, CatalogBackups.of(file).newestGood(), e);
        }
        if (code == 13) {
            return new StorageException(StorageException.Problem.FULL, "The disk holding the catalog " + file
                    + " is full; the last change was not saved. Free some space and try again.", e);
        }
        if (code == 8) {
            return new StorageException(StorageException.Problem.READ_ONLY, "Cannot write the catalog " + file + " ("
                    + detail + "): its folder has become read-only. Check that its folder is writable, or choose"
                    + " another data folder.", e);
        }
        String message = switch (code) {
            case 3, 14 -> "Cannot write the catalog " + file + " (" + detail
                    + "). Check that its folder is writable, or choose another data folder.";
            case 5, 6 -> "The catalog " + file + " is locked by another program (is another Ocular running?)"
                    + " while " + action + ". Close it and try again.";
            default -> "Catalog error while " + action + " (" + file + "): " + detail;
        };
        return new OcularException(message, e);
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2");
        return m == null ? kind : kind + ": " + m;
    }

    // ---- folders -------------------------------------------------------------------------------

    @Override
    public FolderRecord addFolder(Path folder) {
        String path = normalise(folder);
        return write("adding a folder", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO folders(path, added_at) VALUES (?, ?) ON CONFLICT(path) DO NOTHING")) {
                ps.setString(1, path);
                ps.setLong(2, System.currentTimeMillis());
                ps.executeUpdate();
            }
            List<FolderRecord> found = queryFolders(c, " WHERE f.path = ?", path);
            return found.get(0);
        });
    }

    @Override
    public void removeFolder(long folderId) {
        write("removing a folder", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM folders WHERE id = ?")) {
                ps.setLong(1, folderId);
                return ps.executeUpdate(); // cascades to images, embeddings and image data
            }
        });
    }

    @Override
    public List<FolderRecord> folders() {
        return read("listing folders", c -> queryFolders(c, " ORDER BY f.path", null));
    }

    private static List<FolderRecord> queryFolders(Connection c, String tail, String param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FOLDER_QUERY + tail)) {
            if (param != null) {
                ps.setString(1, param);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<FolderRecord> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new FolderRecord(rs.getLong(1), Path.of(rs.getString(2)),
                            Instant.ofEpochMilli(rs.getLong(3)), rs.getLong(4), rs.getLong(5)));
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

    /** One query for any number of ids: they travel as one JSON array parameter (no host-parameter limit). */
    @Override
    public Map<Long, ImageRecord> images(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        String array = ids.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
        return read("reading images", c -> {
            Map<Long, ImageRecord> out = new HashMap<>(ids.size() * 2);
            for (ImageRecord r : queryImages(c, "WHERE id IN (SELECT value FROM json_each(?))", array)) {
                out.put(r.id(), r);
            }
            return out;
        });
    }

    @Override
    public Optional<ImageRecord> imageByPath(Path path) {
        String p = normalise(path);
        return read("reading an image", c -> CatalogSql.first(queryImages(c, "WHERE path = ? AND " + FILES, p)));
    }

    @Override
    public List<ImageRecord> imagesInFolder(long folderId) {
        return read("listing a folder's images",
                c -> queryImages(c, "WHERE folder_id = ? AND " + FILES + " ORDER BY path", folderId));
    }

    /** Streams the rows (in no particular order): each record is garbage as soon as the action returns. */
    @Override
    public void forEachImageInFolder(long folderId, Consumer<ImageRecord> action) {
        read("listing a folder's images", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + IMAGE_COLUMNS + " FROM images WHERE folder_id = ?"
                    + " AND " + FILES)) {
                ps.setLong(1, folderId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        action.accept(readImage(rs));
                    }
                }
            }
            return null;
        });
    }

    /**
     * The catalog's answer remembered per scope until the next write (a search in a folder is repeated: the query
     * over a tenth of 100k photos took ~90 ms, more than the search itself; decision 0050).
     */
    @Override
    public BitSet imageIdsIn(SearchScope scope) {
        return scopes.ids(scope, this::queryImageIdsIn);
    }

    /** One query: folders as path ranges on the path index (files and moments of videos), dates on the date taken (else file time). */
    private BitSet queryImageIdsIn(SearchScope scope) {
        StringBuilder sql = new StringBuilder("SELECT id FROM images WHERE status <> 'SKIPPED'");
        List<Object> params = new ArrayList<>();
        if (!scope.folders().isEmpty()) {
            StringJoiner any = new StringJoiner(" OR ", " AND (", ")");
            for (Path folder : scope.folders()) {
                String sep = folder.getFileSystem().getSeparator();
                String p = normalise(folder);
                String prefix = p.endsWith(sep) ? p : p + sep;
                // every path that starts with prefix sorts in [prefix, prefix with its last char + 1)
                String end = prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
                any.add("(path >= ? AND path < ?)");
                params.add(prefix);
                params.add(end);
            }
            sql.append(any);
        }
        if (scope.from() != null) {
            sql.append(" AND COALESCE(taken_at, mtime) >= ?");
            params.add(scope.from().toEpochMilli());
        }
        if (scope.until() != null) {
            sql.append(" AND COALESCE(taken_at, mtime) < ?");
            params.add(scope.until().toEpochMilli());
        }
        return read("finding the photos in the search's folders and dates", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, params.get(i));
                }
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
        return read("finding images by content", c -> queryImages(c, "WHERE content_hash = ? AND " + FILES + " ORDER BY id",
                contentHash));
    }

    @Override
    public ImageRecord upsertImage(ImageRecord image) {
        Objects.requireNonNull(image, "image");
        return write("storing an image", c -> {
            try (ImageWriter w = new ImageWriter(c)) {
                return w.upsert(image);
            }
        });
    }

    @Override
    public void moveImage(long id, long folderId, Path newPath, long size, long mtimeMillis) {
        String p = normalise(newPath);
        write("moving an image", c -> {
            // A row already at the destination (e.g. the new file seen before the move was recognised)
            // is superseded by the moved image, which keeps its id, vectors and derived data.
            try (PreparedStatement del = c.prepareStatement("DELETE FROM images WHERE path = ? AND id <> ? AND "
                    + FILES)) {
                del.setString(1, p);
                del.setLong(2, id);
                del.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE images SET folder_id = ?, path = ?, size = ?, mtime = ? WHERE id = ?")) {
                ps.setLong(1, folderId);
                ps.setString(2, p);
                ps.setLong(3, size);
                ps.setLong(4, mtimeMillis);
                ps.setLong(5, id);
                if (ps.executeUpdate() == 0) {
                    throw new OcularException("Cannot move image " + id + " to " + p
                            + ": it is no longer in the catalog.");
                }
            }
            // a video's moments move with it
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE images SET folder_id = ?, path = ?, size = ?, mtime = ? WHERE video_id = ?")) {
                ps.setLong(1, folderId);
                ps.setString(2, p);
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
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM images WHERE id = ?")) {
                for (long id : ids) {
                    ps.setLong(1, id);
                    ps.addBatch();
                }
                ps.executeBatch(); // cascades to embeddings and image data
            }
            return null;
        });
    }

    @Override
    public long countImages(ImageStatus status) {
        Objects.requireNonNull(status, "status");
        // index-only, as the folder counts: all rows with the status less the moments with it
        return read("counting images", c -> CatalogSql.queryLong(c, COUNT_FILES_QUERY, status.name()));
    }

    @Override
    public List<ImageRecord> skippedImages(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return read("listing skipped images",
                c -> queryImages(c, "WHERE status = 'SKIPPED' AND " + FILES + " ORDER BY path LIMIT ?", limit));
    }

    @Override
    public List<ImageRecord> moments(long videoId) {
        return read("listing a video's moments",
                c -> queryImages(c, "WHERE video_id = ? ORDER BY frame_ms", videoId));
    }

    private static List<ImageRecord> queryImages(Connection c, String where, Object param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + IMAGE_COLUMNS + " FROM images " + where)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                List<ImageRecord> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(readImage(rs));
                }
                return out;
            }
        }
    }

    private static ImageRecord readImage(ResultSet rs) throws SQLException {
        long takenAt = rs.getLong(9);
        Instant taken = rs.wasNull() ? null : Instant.ofEpochMilli(takenAt);
        return new ImageRecord(rs.getLong(1), rs.getLong(2), Path.of(rs.getString(3)), rs.getLong(4),
                rs.getLong(5), rs.getString(6), rs.getInt(7), rs.getInt(8), taken, rs.getInt(10),
                ImageStatus.valueOf(rs.getString(11)), rs.getString(12), rs.getObject(13) == null ? ImageRecord.NO_FRAME
                : rs.getLong(13), rs.getLong(14));
    }

    /**
     * Upserts image rows within the caller's write transaction, with statements prepared once per
     * transaction (a batch upserts many). A file row is found by its path, a moment by its video's row (the
     * file row with the same path) and its time. A video's moments are dropped when its row records new
     * content or a status other than INDEXED, and when it is written again with its moments following it
     * ({@code replaceMoments}: a re-indexed video gets the moments just picked, not a mix).
     */
    private static final class ImageWriter implements AutoCloseable {
        private final PreparedStatement find;
        private final PreparedStatement insert;
        private final PreparedStatement update;
        private final PreparedStatement dropVectors;
        private final PreparedStatement dropData;
        private final PreparedStatement findMoment;
        private final PreparedStatement dropMoments;

        ImageWriter(Connection c) throws SQLException {
            find = c.prepareStatement("SELECT id, size, mtime, content_hash FROM images WHERE path = ? AND " + FILES);
            findMoment = c.prepareStatement("SELECT id FROM images WHERE video_id = ? AND frame_ms = ?");
            dropMoments = c.prepareStatement("DELETE FROM images WHERE video_id = ?");
            insert = c.prepareStatement("INSERT INTO images(folder_id, path, size, mtime, content_hash, width,"
                    + " height, taken_at, orientation, status, skip_reason, duration_ms, video_id, frame_ms)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
            update = c.prepareStatement("UPDATE images SET folder_id = ?, path = ?, size = ?, mtime = ?,"
                    + " content_hash = ?, width = ?, height = ?, taken_at = ?, orientation = ?, status = ?,"
                    + " skip_reason = ?, duration_ms = ? WHERE id = ?");
            dropVectors = c.prepareStatement("DELETE FROM embeddings WHERE image_id = ?");
            dropData = c.prepareStatement("DELETE FROM image_data WHERE image_id = ?");
        }

        ImageRecord upsert(ImageRecord image) throws SQLException {
            return upsert(image, false);
        }

        ImageRecord upsert(ImageRecord image, boolean replaceMoments) throws SQLException {
            Objects.requireNonNull(image.status(), "status");
            String path = normalise(image.path());
            if (image.isMoment()) {
                return upsertMoment(image, path);
            }
            find.setString(1, path);
            long id = 0;
            boolean contentChanged = false;
            try (ResultSet rs = find.executeQuery()) {
                if (rs.next()) {
                    id = rs.getLong(1);
                    contentChanged = CatalogSql.contentChanged(rs, image);
                }
            }
            if (id == 0) {
                bind(insert, image, path);
                insert.setNull(13, Types.INTEGER);
                insert.setNull(14, Types.INTEGER);
                id = CatalogSql.insertReturningId(insert);
            } else {
                bind(update, image, path);
                update.setLong(13, id);
                update.executeUpdate();
                if (contentChanged) {
                    CatalogSql.dropDerived(id, dropVectors, dropData);
                }
                if (contentChanged || replaceMoments || image.status() != ImageStatus.INDEXED) {
                    dropMoments.setLong(1, id);
                    dropMoments.executeUpdate();
                }
            }
            return new ImageRecord(id, image.folderId(), Path.of(path), image.size(), image.mtimeMillis(),
                    image.contentHash(), image.width(), image.height(), image.takenAt(), image.orientation(),
                    image.status(), image.skipReason(), ImageRecord.NO_FRAME, image.durationMs());
        }

        private ImageRecord upsertMoment(ImageRecord moment, String path) throws SQLException {
            find.setString(1, path);
            long videoId;
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    throw CatalogSql.momentWithoutVideo(moment, path);
                }
                videoId = rs.getLong(1);
            }
            return moment.withId(CatalogSql.upsertMoment(findMoment, insert, update, videoId, moment.frameMs(),
                    ps -> bind(ps, moment, path)));
        }

        private static void bind(PreparedStatement ps, ImageRecord r, String path) throws SQLException {
            CatalogSql.bindImage(ps, r, path, Types.INTEGER);
            if (r.durationMs() > 0) {
                ps.setLong(12, r.durationMs());
            } else {
                ps.setNull(12, Types.INTEGER);
            }
        }

        @Override
        public void close() throws SQLException {
            for (PreparedStatement ps : List.of(find, insert, update, dropVectors, dropData, findMoment, dropMoments)) {
                ps.close();
            }
        }
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
                    int dropped = ps.executeUpdate();
                    LOG.info("Model {} changed ({} -> {}); dropped its {} stored vectors",
                            model.id(), old.get(), model, dropped);
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
            return null;
        });
    }

    // ---- embeddings ----------------------------------------------------------------------------

    @Override
    public List<ImageRecord> commitBatch(List<ImageRecord> images, String modelId, List<float[]> vectors) {
        boolean anyVector = CatalogSql.checkBatch(images, modelId, vectors);
        if (images.isEmpty()) {
            return List.of();
        }
        return write("storing a batch", c -> {
            // Validate the whole batch before writing anything: a bad vector stores nothing.
            byte[][] blobs = anyVector ? CatalogSql.encodeBatch(images, vectors, requireModel(c, modelId))
                    : new byte[vectors.size()][];
            List<ImageRecord> stored = new ArrayList<>(images.size());
            try (ImageWriter w = new ImageWriter(c);
                 PreparedStatement put = c.prepareStatement("INSERT INTO embeddings(image_id, model_id, vector)"
                         + " VALUES (?, ?, ?) ON CONFLICT(image_id, model_id) DO UPDATE SET vector = excluded.vector")) {
                for (int i = 0; i < images.size(); i++) {
                    ImageRecord r = w.upsert(images.get(i), i + 1 < images.size() && images.get(i + 1).isMoment()
                            && images.get(i + 1).path().equals(images.get(i).path()));
                    stored.add(r);
                    if (blobs[i] != null) {
                        put.setLong(1, r.id());
                        put.setString(2, modelId);
                        put.setBytes(3, blobs[i]);
                        put.executeUpdate();
                    }
                }
            }
            return List.copyOf(stored);
        });
    }

    /** {@inheritDoc} Rows are in image-id order; one read snapshot, so the count and the rows agree. */
    @Override
    public EmbeddingMatrix loadEmbeddings(String modelId) {
        Objects.requireNonNull(modelId, "modelId");
        return readSnapshot("loading vectors", c -> {
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
                ps.setString(1, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    int row = 0;
                    while (rs.next()) {
                        if (row == rows) {
                            throw new IllegalStateException("more vectors than counted in one snapshot");
                        }
                        ids[row] = rs.getLong(1);
                        decode(rs.getBytes(2), dim, data, row * dim, ids[row]);
                        row++;
                    }
                    if (row != rows) {
                        throw new IllegalStateException("fewer vectors than counted in one snapshot");
                    }
                }
            }
            return new EmbeddingMatrix(modelId, dim, ids, data);
        });
    }

    // ---- derived per-image data ----------------------------------------------------------------

    // ---- settings and diagnostics --------------------------------------------------------------

    @Override
    public CatalogStats stats() {
        CatalogStats counts = readSnapshot("reading statistics", c -> {
            int version = Migrations.currentVersion(c);
            long folders = CatalogSql.queryLong(c, "SELECT COUNT(*) FROM folders", null);
            // index-only (see MOMENTS): every row's status less the moments'
            Map<String, Long> byStatus = new HashMap<>(CatalogSql.queryCounts(c, ROWS_BY_STATUS));
            CatalogSql.queryCounts(c, MOMENTS_BY_STATUS)
                    .forEach((status, moments) -> byStatus.merge(status, -moments, Long::sum));
            Map<String, Long> byModel = CatalogSql.queryCounts(c, "SELECT m.id,"
                    + " (SELECT COUNT(*) FROM embeddings e WHERE e.model_id = m.id) FROM models m ORDER BY m.id");
            Map<String, Long> byKind = CatalogSql.queryCounts(c, "SELECT kind, COUNT(*) FROM image_data GROUP BY kind");
            return new CatalogStats(version, folders, byStatus.getOrDefault("PENDING", 0L),
                    byStatus.getOrDefault("INDEXED", 0L), byStatus.getOrDefault("SKIPPED", 0L), byModel, byKind, 0);
        });
        long bytes = sizeOf(file) + sizeOf(Path.of(file + "-wal"));
        return new CatalogStats(counts.schemaVersion(), counts.folders(), counts.pendingImages(),
                counts.indexedImages(), counts.skippedImages(), counts.embeddingsByModel(), counts.imageDataByKind(),
                bytes);
    }

    private static long sizeOf(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writeLock.lock();
        try {
            closeQuietly(writer);
        } finally {
            writeLock.unlock();
        }
        Connection c;
        while ((c = idleReaders.poll()) != null) {
            allReaders.remove(c);
            closeQuietly(c);
        }
        // Readers still in use are closed when they are handed back (see withReader).
        LOG.debug("Closed catalog {}", file);
    }

    // ---- helpers -------------------------------------------------------------------------------

    static String normalise(Path path) {
        return Objects.requireNonNull(path, "path").toAbsolutePath().normalize().toString();
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("Closing a catalog connection failed", e);
        }
    }
}
