package io.ocular.store;

import io.ocular.model.OcularException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The library roots of a shared library as this computer sees them. A root is named ({@code photos}) and every
 * computer reaches it through its own mount path (a NAS share is {@code /mnt/photos} here, {@code P:\} there):
 * the table {@code folder_mounts}, keyed by a computer id. A computer without a mount of its own uses the path
 * of the computer that added the root ({@code first_path}; the same NFS path on every machine needs no mapping).
 * Images are stored relative to their root with '/' separators, so every computer finds them under its mount.
 */
final class PostgresRoots {

    /** One root and its path on this computer. */
    record Root(long id, String name, Path local, long addedAt) {
    }

    private final String computer;
    private volatile List<Root> roots = List.of();

    PostgresRoots(String computer) {
        this.computer = computer;
    }

    String computer() {
        return computer;
    }

    /** Re-reads the roots (after a change here, or when a path matched none: another computer added one). */
    List<Root> reload(Connection c) throws SQLException {
        List<Root> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT f.id, f.name, COALESCE(m.path, f.first_path),"
                + " f.added_at FROM folders f LEFT JOIN folder_mounts m ON m.folder_id = f.id AND m.computer = ?"
                + " ORDER BY f.id")) {
            ps.setString(1, computer);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Root(rs.getLong(1), rs.getString(2), Path.of(rs.getString(3)), rs.getLong(4)));
                }
            }
        }
        roots = List.copyOf(out);
        return roots;
    }

    List<Root> cached() {
        return roots;
    }

    /** Forgets the cached roots (a write that may have changed them was rolled back). */
    void invalidate() {
        roots = List.of();
    }

    Optional<Root> byId(Connection c, long id) throws SQLException {
        Optional<Root> r = find(roots, id);
        return r.isPresent() ? r : find(reload(c), id);
    }

    private static Optional<Root> find(List<Root> list, long id) {
        return list.stream().filter(r -> r.id() == id).findFirst();
    }

    /** The root holding {@code path} (the deepest one), if any. */
    Optional<Root> containing(Connection c, Path path) throws SQLException {
        Optional<Root> r = deepest(roots, path);
        return r.isPresent() ? r : deepest(reload(c), path);
    }

    private static Optional<Root> deepest(List<Root> list, Path path) {
        Root best = null;
        for (Root r : list) {
            if (path.startsWith(r.local()) && (best == null || r.local().getNameCount() > best.local().getNameCount())) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code path} relative to its root, '/'-separated. */
    static String relative(Root root, Path path) {
        if (!path.startsWith(root.local())) {
            throw new OcularException("The file " + path + " is not inside the library folder " + root.local()
                    + " ('" + root.name() + "').");
        }
        Path rel = root.local().relativize(path);
        StringBuilder sb = new StringBuilder();
        for (Path part : rel) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    static Path absolute(Root root, String rel) {
        return rel.isEmpty() ? root.local() : root.local().resolve(rel);
    }

    /**
     * The root at {@code path} for this computer: one already mounted there, else one another computer added at
     * the same path (mounted here too from now on), else a new root named after the folder (made unique).
     */
    Root addOrMap(Connection c, String path, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT f.id FROM folders f LEFT JOIN folder_mounts m"
                + " ON m.folder_id = f.id AND m.computer = ? WHERE m.path = ? OR (m.path IS NULL AND f.first_path = ?)"
                + " ORDER BY f.id LIMIT 1")) {
            ps.setString(1, computer);
            ps.setString(2, path);
            ps.setString(3, path);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long id = rs.getLong(1);
                    mount(c, id, path);
                    return byId(c, id).orElseThrow();
                }
            }
        }
        Path p = Path.of(path);
        String base = p.getFileName() == null ? "library" : p.getFileName().toString();
        String name = base;
        for (int i = 2; exists(c, name); i++) {
            name = base + " (" + i + ")";
        }
        long id;
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO folders(name, first_path, added_at) VALUES (?, ?, ?) RETURNING id")) {
            ps.setString(1, name);
            ps.setString(2, path);
            ps.setLong(3, now);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        mount(c, id, path);
        return byId(c, id).orElseThrow();
    }

    /** Maps the root {@code name} to {@code path} on this computer. */
    Root map(Connection c, String name, String path) throws SQLException {
        long id;
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM folders WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new OcularException("The shared library has no folder named '" + name + "'.");
                }
                id = rs.getLong(1);
            }
        }
        mount(c, id, path);
        return byId(c, id).orElseThrow();
    }

    private void mount(Connection c, long id, String path) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO folder_mounts(folder_id, computer, path)"
                + " VALUES (?, ?, ?) ON CONFLICT (folder_id, computer) DO UPDATE SET path = excluded.path")) {
            ps.setLong(1, id);
            ps.setString(2, computer);
            ps.setString(3, path);
            ps.executeUpdate();
        }
        reload(c);
    }

    private static boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM folders WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
