package io.ocular.store;

import io.ocular.model.OcularException;
import io.ocular.model.StorageException;
import io.ocular.model.StorageException.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * A small pool of connections to the library server ({@value #MAX} at most, opened on demand), the
 * transactions the catalog runs on them, and the translation of driver failures into messages a user can act on
 * (wrong password, missing database, unreachable server, lost connection). A connection that failed with a
 * connection error is closed, not pooled, so the next call reconnects.
 *
 * <p>Hand-written rather than HikariCP: a desktop process needs a handful of connections and no pool
 * management thread; this is forty lines.
 */
final class PostgresConnections implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresConnections.class);
    static final int MAX = 6;

    private final PostgresLocation location;
    private final Semaphore permits = new Semaphore(MAX, true);
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
    private final Set<Connection> all = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    PostgresConnections(PostgresLocation location) {
        this.location = location;
    }

    PostgresLocation location() {
        return location;
    }

    /** A new connection outside the pool (opening, migrating); failures become user messages. */
    Connection open() {
        try {
            return DriverManager.getConnection(location.url(), location.properties());
        } catch (SQLException e) {
            throw failure("connecting", e);
        }
    }

    /** Runs {@code work} in one transaction: all or nothing. */
    <T> T write(String action, JdbcCatalog.SqlWork<T> work) {
        return with(action, c -> {
            c.setAutoCommit(false);
            boolean done = false;
            try {
                T result = work.run(c);
                c.commit();
                done = true;
                return result;
            } finally {
                if (!done) {
                    try {
                        c.rollback();
                    } catch (SQLException e) {
                        LOG.debug("rollback failed", e);
                    }
                }
                c.setAutoCommit(true);
            }
        });
    }

    /**
     * One statement, autocommit. A pooled connection the server dropped meanwhile (a restart, a NAS that slept) is
     * replaced and the read tried once more; writes are not retried (a lost COMMIT may have happened).
     */
    <T> T read(String action, JdbcCatalog.SqlWork<T> work) {
        try {
            return with(action, work);
        } catch (OcularException e) {
            if (e.getCause() instanceof SQLException s && isConnectionError(s) && !closed) {
                LOG.info("Reconnecting to {} after: {}", location.describe(), s.getMessage());
                return with(action, work);
            }
            throw e;
        }
    }

    /** Several statements that see one snapshot (REPEATABLE READ, read only). */
    <T> T readSnapshot(String action, JdbcCatalog.SqlWork<T> work) {
        return with(action, c -> {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return work.run(c);
            } finally {
                c.rollback();
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        });
    }

    private <T> T with(String action, JdbcCatalog.SqlWork<T> work) {
        if (closed) {
            throw new IllegalStateException("the shared library " + location.describe() + " is closed");
        }
        permits.acquireUninterruptibly();
        Connection c = idle.poll();
        boolean broken = false;
        try {
            if (c == null) {
                c = open();
                all.add(c);
            }
            return work.run(c);
        } catch (SQLException e) {
            broken = isConnectionError(e);
            throw failure(action, e);
        } catch (RuntimeException e) {
            broken = c != null && isClosed(c);
            throw e;
        } finally {
            if (c != null) {
                if (broken || closed) {
                    all.remove(c);
                    closeQuietly(c);
                } else {
                    idle.offer(c);
                }
            }
            permits.release();
        }
    }

    static boolean isConnectionError(SQLException e) {
        String state = e.getSQLState();
        // 08: connection exceptions; 57P01-57P03: the server ended the session (shut down, restarted, terminated)
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * Turns a driver failure into a message the user can act on: a {@link StorageException} when the server is
     * unreachable or its disk is full (the indexer pauses and retries), else an {@link OcularException}.
     */
    OcularException failure(String action, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = location.describe();
        String detail = e.getMessage();
        String message;
        if (state.equals("28P01") || (state.equals("28000") && detail != null && detail.contains("password"))) {
            message = "Wrong password for '" + location.user() + "' on " + location.host() + ":" + location.port()
                    + ". Check PGPASSWORD or your password file (~/.pgpass, or the file PGPASSFILE names).";
        } else if (state.equals("08004") && detail != null && detail.toLowerCase().contains("password")) {
            message = "The server " + location.host() + ":" + location.port() + " asks for a password for '"
                    + location.user() + "' and none was found. Put it in ~/.pgpass (host:port:database:user:password,"
                    + " mode 0600) or PGPASSWORD; Ocular never stores it in its preferences.";
        } else if (state.startsWith("28")) {
            message = "The server refused '" + location.user() + "' (" + detail + "). Ask its administrator for"
                    + " access (pg_hba.conf) or connect as another user (PGUSER).";
        } else if (state.equals("3D000")) {
            message = "The database '" + location.database() + "' does not exist on " + location.host() + ":"
                    + location.port() + ". Create it first, e.g.: createdb -h " + location.host() + " -p "
                    + location.port() + " -U " + location.user() + " " + location.database();
        } else if (state.startsWith("08") || state.startsWith("57P0")) {
            return new StorageException(Problem.UNREACHABLE, "Lost or no connection to the library server "
                    + location.host() + ":" + location.port() + " while " + action + " (" + detail + "). Check that"
                    + " the server is running and reachable; nothing was changed by the failed step.", e);
        } else if (state.equals("53100")) {
            return new StorageException(Problem.SERVER_FULL, "The library server's disk is full; the last change"
                    + " was not saved (" + where + ").", e);
        } else {
            message = "Library server error while " + action + " (" + where + "): " + detail;
        }
        return new OcularException(message, e);
    }

    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = idle.poll()) != null) {
            all.remove(c);
            closeQuietly(c);
        }
    }

    static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("closing a library connection failed", e);
        }
    }
}
