package io.ocular.store;

import io.ocular.store.PostgresRoots.Root;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Indexing work shared through the library's {@code claims} table. One claim is one short transaction:
 * <ol>
 *   <li>files already stored in this version by anyone (with a vector of the model, or skipped) are done;</li>
 *   <li>unclaimed files are claimed by inserting their rows ({@code ON CONFLICT DO NOTHING});</li>
 *   <li>the rest are locked with {@code SELECT ... FOR UPDATE SKIP LOCKED}: a row this computer already owns or
 *       whose lease has run out (its computer crashed or was killed) is taken over; a row another computer
 *       holds, or one locked by another claim at this very moment, is left to retry later.</li>
 * </ol>
 * The lease runs {@value #DEFAULT_LEASE_SECONDS} s unless the library's setting {@value #LEASE_SETTING} says
 * otherwise (the same for every computer); the server's clock decides. A claim ends in the transaction that
 * commits the file ({@link PostgresImageWriter#endClaim}).
 */
final class PostgresClaims implements WorkClaims {
    static final String LEASE_SETTING = "library.claim-lease-seconds";
    static final int DEFAULT_LEASE_SECONDS = 300;

    private final PostgresConnections db;
    private final PostgresRoots roots;

    PostgresClaims(PostgresConnections db, PostgresRoots roots) {
        this.db = db;
        this.roots = roots;
    }

    @Override
    public Outcome claim(String modelId, List<FileVersion> files) {
        if (files.isEmpty()) {
            return new Outcome(Set.of(), Set.of(), Set.of());
        }
        return db.write("claiming indexing work", c -> {
            int lease = leaseSeconds(c);
            Set<Path> mine = new HashSet<>();
            Set<Path> done = new HashSet<>();
            Set<Path> held = new HashSet<>();
            Map<Long, Map<String, FileVersion>> byRoot = new LinkedHashMap<>();
            for (FileVersion f : files) {
                Optional<Root> root = roots.containing(c, f.path());
                if (root.isEmpty()) {
                    mine.add(f.path()); // not in the shared library: nobody else can be working on it
                } else {
                    byRoot.computeIfAbsent(root.get().id(), k -> new LinkedHashMap<>())
                            .put(PostgresRoots.relative(root.get(), f.path()), f);
                }
            }
            for (var e : byRoot.entrySet()) {
                claimInRoot(c, e.getKey(), e.getValue(), modelId, lease, mine, done, held);
            }
            return new Outcome(mine, done, held);
        });
    }

    private void claimInRoot(Connection c, long rootId, Map<String, FileVersion> files, String modelId, int lease,
                             Set<Path> mine, Set<Path> done, Set<Path> held) throws SQLException {
        Map<String, FileVersion> open = new HashMap<>(files);
        // stored in this version: a photo with its vector, a video with moments that all have theirs
        try (PreparedStatement ps = c.prepareStatement("SELECT i.rel_path, i.size, i.mtime, i.status,"
                + " CASE WHEN i.duration_ms IS NULL"
                + " THEN EXISTS (SELECT 1 FROM embeddings e WHERE e.image_id = i.id AND e.model_id = model.id)"
                + " ELSE EXISTS (SELECT 1 FROM images m WHERE m.video_id = i.id) AND NOT EXISTS (SELECT 1 FROM images m"
                + " WHERE m.video_id = i.id AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.image_id = m.id"
                + " AND e.model_id = model.id)) END"
                + " FROM images i, (SELECT CAST(? AS text) AS id) model"
                + " WHERE i.folder_id = ? AND i.rel_path = ANY(?) AND i.video_id IS NULL")) {
            ps.setString(1, modelId);
            ps.setLong(2, rootId);
            ps.setArray(3, c.createArrayOf("text", files.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    FileVersion f = files.get(rs.getString(1));
                    boolean sameVersion = rs.getLong(2) == f.size() && rs.getLong(3) == f.mtimeMillis();
                    String status = rs.getString(4);
                    if (sameVersion && ("SKIPPED".equals(status) || ("INDEXED".equals(status) && rs.getBoolean(5)))) {
                        done.add(f.path());
                        open.remove(rs.getString(1));
                    }
                }
            }
        }
        if (open.isEmpty()) {
            return;
        }
        String owner = roots.computer();
        String[] rels = open.keySet().toArray(new String[0]);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO claims(folder_id, rel_path, owner, lease_until)"
                + " SELECT ?, r, ?, now() + make_interval(secs => ?) FROM unnest(?::text[]) AS r"
                + " ON CONFLICT (folder_id, rel_path) DO NOTHING RETURNING rel_path")) {
            ps.setLong(1, rootId);
            ps.setString(2, owner);
            ps.setInt(3, lease);
            ps.setArray(4, c.createArrayOf("text", rels));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    mine.add(open.remove(rs.getString(1)).path());
                }
            }
        }
        if (open.isEmpty()) {
            return;
        }
        Set<String> takeOver = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT rel_path, owner = ? OR lease_until < now() FROM claims"
                + " WHERE folder_id = ? AND rel_path = ANY(?) FOR UPDATE SKIP LOCKED")) {
            ps.setString(1, owner);
            ps.setLong(2, rootId);
            ps.setArray(3, c.createArrayOf("text", open.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(2)) {
                        takeOver.add(rs.getString(1));
                    }
                }
            }
        }
        if (!takeOver.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE claims SET owner = ?,"
                    + " lease_until = now() + make_interval(secs => ?) WHERE folder_id = ? AND rel_path = ANY(?)")) {
                ps.setString(1, owner);
                ps.setInt(2, lease);
                ps.setLong(3, rootId);
                ps.setArray(4, c.createArrayOf("text", takeOver.toArray()));
                ps.executeUpdate();
            }
        }
        for (var e : open.entrySet()) {
            (takeOver.contains(e.getKey()) ? mine : held).add(e.getValue().path());
        }
    }

    private static int leaseSeconds(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM settings WHERE key = ?")) {
            ps.setString(1, LEASE_SETTING);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    try {
                        return Math.max(1, Integer.parseInt(rs.getString(1).trim()));
                    } catch (NumberFormatException e) {
                        return DEFAULT_LEASE_SECONDS;
                    }
                }
                return DEFAULT_LEASE_SECONDS;
            }
        }
    }
}
