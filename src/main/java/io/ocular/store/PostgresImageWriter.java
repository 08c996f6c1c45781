package io.ocular.store;

import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.OcularException;
import io.ocular.store.PostgresRoots.Root;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Objects;

/**
 * Upserts image rows of the shared library within the caller's transaction, with statements prepared once per
 * transaction; the same rules as the SQLite catalog's writer (new content drops the old vectors and data). A file
 * row is found by its root and relative path, a moment of a video by its video's row and its time; a video's
 * moments are dropped when its row records new content or a status other than INDEXED, and when it is written again
 * with its moments following it ({@code replaceMoments}).
 */
final class PostgresImageWriter implements AutoCloseable {
    private final Connection c;
    private final PostgresRoots roots;
    private final PreparedStatement find;
    private final PreparedStatement insert;
    private final PreparedStatement update;
    private final PreparedStatement dropVectors;
    private final PreparedStatement dropData;
    private final PreparedStatement endClaim;
    private final PreparedStatement findMoment;
    private final PreparedStatement dropMoments;

    PostgresImageWriter(Connection c, PostgresRoots roots) throws SQLException {
        this.c = c;
        this.roots = roots;
        find = c.prepareStatement("SELECT id, size, mtime, content_hash FROM images WHERE folder_id = ? AND rel_path = ?"
                + " AND video_id IS NULL");
        insert = c.prepareStatement("INSERT INTO images(folder_id, rel_path, size, mtime, content_hash, width, height,"
                + " taken_at, orientation, status, skip_reason, duration_ms, video_id, frame_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
        update = c.prepareStatement("UPDATE images SET folder_id = ?, rel_path = ?, size = ?, mtime = ?,"
                + " content_hash = ?, width = ?, height = ?, taken_at = ?, orientation = ?, status = ?,"
                + " skip_reason = ?, duration_ms = ? WHERE id = ?");
        findMoment = c.prepareStatement("SELECT id FROM images WHERE video_id = ? AND frame_ms = ?");
        dropMoments = c.prepareStatement("DELETE FROM images WHERE video_id = ?");
        dropVectors = c.prepareStatement("DELETE FROM embeddings WHERE image_id = ?");
        dropData = c.prepareStatement("DELETE FROM image_data WHERE image_id = ?");
        endClaim = c.prepareStatement("DELETE FROM claims WHERE folder_id = ? AND rel_path = ?");
    }

    /** The root with this id, or a clear failure (which rolls the caller's transaction back). */
    static Root root(Connection c, PostgresRoots roots, long folderId) throws SQLException {
        return roots.byId(c, folderId).orElseThrow(() -> new OcularException("The library folder " + folderId
                + " is no longer in the shared library; nothing of this change was stored."));
    }

    ImageRecord upsert(ImageRecord image) throws SQLException {
        return upsert(image, false);
    }

    ImageRecord upsert(ImageRecord image, boolean replaceMoments) throws SQLException {
        Objects.requireNonNull(image.status(), "status");
        Path path = Path.of(SqliteCatalog.normalise(image.path()));
        Root root = root(c, roots, image.folderId());
        String rel = PostgresRoots.relative(root, path);
        if (image.isMoment()) {
            return upsertMoment(image, root, rel, path);
        }
        find.setLong(1, root.id());
        find.setString(2, rel);
        long id = 0;
        boolean contentChanged = false;
        try (ResultSet rs = find.executeQuery()) {
            if (rs.next()) {
                id = rs.getLong(1);
                contentChanged = CatalogSql.contentChanged(rs, image);
            }
        }
        if (id == 0) {
            bind(insert, image, rel);
            insert.setNull(13, Types.BIGINT);
            insert.setNull(14, Types.BIGINT);
            id = CatalogSql.insertReturningId(insert);
        } else {
            bind(update, image, rel);
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
        return new ImageRecord(id, image.folderId(), path, image.size(), image.mtimeMillis(), image.contentHash(),
                image.width(), image.height(), image.takenAt(), image.orientation(), image.status(), image.skipReason(),
                ImageRecord.NO_FRAME, image.durationMs());
    }

    private ImageRecord upsertMoment(ImageRecord moment, Root root, String rel, Path path) throws SQLException {
        find.setLong(1, root.id());
        find.setString(2, rel);
        long videoId;
        try (ResultSet rs = find.executeQuery()) {
            if (!rs.next()) {
                throw CatalogSql.momentWithoutVideo(moment, path);
            }
            videoId = rs.getLong(1);
        }
        long id = CatalogSql.upsertMoment(findMoment, insert, update, videoId, moment.frameMs(),
                ps -> bind(ps, moment, rel));
        return new ImageRecord(id, moment.folderId(), path, moment.size(), moment.mtimeMillis(), moment.contentHash(),
                moment.width(), moment.height(), moment.takenAt(), moment.orientation(), moment.status(),
                moment.skipReason(), moment.frameMs(), moment.durationMs());
    }

    /** Ends the indexing claim on a stored image's file (any computer's: the work is done). */
    void endClaim(ImageRecord stored) throws SQLException {
        Root root = root(c, roots, stored.folderId());
        endClaim.setLong(1, root.id());
        endClaim.setString(2, PostgresRoots.relative(root, stored.path()));
        endClaim.executeUpdate();
    }

    private static void bind(PreparedStatement ps, ImageRecord r, String rel) throws SQLException {
        CatalogSql.bindImage(ps, r, rel, Types.BIGINT);
        if (r.durationMs() > 0) {
            ps.setLong(12, r.durationMs());
        } else {
            ps.setNull(12, Types.BIGINT);
        }
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement ps : List.of(find, insert, update, dropVectors, dropData, endClaim, findMoment, dropMoments)) {
            ps.close();
        }
    }
}
