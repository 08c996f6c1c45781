package io.ocular.store;

import io.ocular.model.SearchScope;
import io.ocular.store.PostgresRoots.Root;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * A search scope's folders and dates as a SQL condition on {@code images} (the same for the list of ids in scope
 * and for k-NN on the server): a scope folder is a library root (all of it) or a relative-path prefix within it;
 * dates are the date taken, else the file's time. A folder outside every library folder matches nothing.
 *
 * @param sql    " AND …" conditions on the images alias, or "" when the scope does not narrow
 * @param params the values of its placeholders, in order
 * @param none   true when nothing can match (none of the scope's folders is in the library)
 */
record PostgresScope(String sql, List<Object> params, boolean none) {

    static PostgresScope of(Connection c, PostgresRoots roots, SearchScope scope, String alias) throws SQLException {
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>();
        String a = alias.isEmpty() ? "" : alias + ".";
        if (!scope.folders().isEmpty()) {
            StringJoiner any = new StringJoiner(" OR ", " AND (", ")");
            any.setEmptyValue("");
            for (Path folder : scope.folders()) {
                Path p = Path.of(SqliteCatalog.normalise(folder));
                Optional<Root> root = roots.containing(c, p);
                if (root.isEmpty()) {
                    continue;
                }
                String rel = PostgresRoots.relative(root.get(), p);
                if (rel.isEmpty()) {
                    any.add(a + "folder_id = ?");
                    params.add(root.get().id());
                } else {
                    any.add("(" + a + "folder_id = ? AND starts_with(" + a + "rel_path, ?))");
                    params.add(root.get().id());
                    params.add(rel + "/");
                }
            }
            if (params.isEmpty()) {
                return new PostgresScope("", List.of(), true);
            }
            sql.append(any);
        }
        if (scope.from() != null) {
            sql.append(" AND COALESCE(").append(a).append("taken_at, ").append(a).append("mtime) >= ?");
            params.add(scope.from().toEpochMilli());
        }
        if (scope.until() != null) {
            sql.append(" AND COALESCE(").append(a).append("taken_at, ").append(a).append("mtime) < ?");
            params.add(scope.until().toEpochMilli());
        }
        return new PostgresScope(sql.toString(), List.copyOf(params), false);
    }

    /** Sets the scope's values from placeholder {@code first} on; returns the next placeholder's number. */
    int bind(PreparedStatement ps, int first) throws SQLException {
        int p = first;
        for (Object v : params) {
            ps.setObject(p++, v);
        }
        return p;
    }
}
