package io.ocular.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Real database servers the {@code postgres}-tagged tests start themselves, once per test JVM, and stop when
 * it exits:
 * <ul>
 *   <li>{@link #postgres15()}: Debian's PostgreSQL 15 ({@code apt-get install postgresql-15}), {@code initdb}
 *       into a temporary folder as a non-root user ({@code nobody} when the tests run as root, since PostgreSQL
 *       refuses to run as root), listening on a free loopback port with its unix socket in that folder, a
 *       superuser {@value #USER} with the password {@value #PASSWORD} (scram-sha-256 over TCP), fsync off.
 *       No pgvector: Debian 12 does not package it.</li>
 *   <li>{@link #pglite()}: PGlite ({@code @electric-sql/pglite} + {@code -pgvector} + {@code -socket} from npm,
 *       installed on first use into {@code ~/.cache/ocular-test/pglite}) serving the PostgreSQL protocol with
 *       the pgvector extension. One WASM process with serialised queries: never time anything on it.</li>
 * </ul>
 * A test calls one of them; where the server cannot be started (binaries missing, no node/npm, no network for
 * the first npm install) the test is skipped with the reason. Each test takes its own database or schema
 * ({@link Server#newDatabase()}, {@link Server#newSchemaUrl()}).
 */
public final class PostgresServers {
    public static final String USER = "ocular";
    public static final String PASSWORD = "ocular-test-pw";
    private static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static Server postgres;
    private static String postgresProblem;
    private static Server pglite;
    private static String pgliteProblem;

    private PostgresServers() {
    }

    /** A running server and how to reach it. */
    public record Server(String kind, int port, String user, String password, String defaultDatabase,
                         boolean pgvector) {

        /** {@code jdbc:postgresql://127.0.0.1:PORT/db} (no credentials: they travel as properties or libpq env). */
        public String url(String database) {
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
        }

        public Connection connect(String database) throws SQLException {
            return DriverManager.getConnection(url(database), user, password);
        }

        /** A new, empty database (PostgreSQL 15); its name. */
        public String newDatabase() {
            String name = "ocular_t" + NAMES.incrementAndGet() + "_" + ProcessHandle.current().pid();
            try (Connection c = connect(defaultDatabase); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create a test database on " + kind, e);
            }
            return name;
        }

        /**
         * A URL whose connections work in a new, empty schema of the default database, with {@code public} behind
         * it so the extension's types resolve. PGlite ignores the search_path pgjdbc sends at startup and runs every
         * connection in its one backend, so there the tests share {@code public}, emptied of tables for each.
         */
        public String newSchemaUrl() {
            try (Connection c = connect(defaultDatabase); Statement st = c.createStatement()) {
                if (pgvector) {
                    st.execute("DO $$ DECLARE t text; BEGIN FOR t IN SELECT tablename FROM pg_tables"
                            + " WHERE schemaname = 'public' LOOP EXECUTE format('DROP TABLE %I CASCADE', t); END LOOP;"
                            + " END $$");
                    // named server-side statements of several connections would collide in the one backend
                    return url(defaultDatabase) + "?prepareThreshold=0";
                }
                String schema = "t" + NAMES.incrementAndGet();
                st.execute("CREATE SCHEMA " + schema);
                return url(defaultDatabase) + "?currentSchema=" + schema + ",public";
            } catch (SQLException e) {
                throw new IllegalStateException("cannot prepare an empty schema on " + kind, e);
            }
        }
    }

    /** PostgreSQL 15 from Debian, started on first use; skips the calling test where it cannot be started. */
    public static synchronized Server postgres15() {
        if (postgres == null && postgresProblem == null) {
            try {
                postgres = startPostgres();
            } catch (Exception e) {
                postgresProblem = e.getMessage();
            }
        }
        Assumptions.assumeTrue(postgres != null, () -> "PostgreSQL 15 could not be started (" + postgresProblem
                + "); install it with: apt-get install postgresql-15");
        return postgres;
    }

    /** PGlite with pgvector, started on first use; skips the calling test where it cannot be started. */
    public static synchronized Server pglite() {
        if (pglite == null && pgliteProblem == null) {
            try {
                pglite = startPglite();
            } catch (Exception e) {
                pgliteProblem = e.getMessage();
            }
        }
        Assumptions.assumeTrue(pglite != null, () -> "PGlite (pgvector) could not be started (" + pgliteProblem
                + "); it needs node and npm (@electric-sql/pglite-socket)");
        return pglite;
    }

    // ---- PostgreSQL 15 ---------------------------------------------------------------------------

    private static Server startPostgres() throws IOException, InterruptedException {
        Owned owned = Owned.start();
        Runtime.getRuntime().addShutdownHook(new Thread(owned::close, "ocular-test-pg15-stop"));
        return owned.server();
    }

    /**
     * A PostgreSQL 15 of the calling test's own, which it may stop and start again (a server going away mid-run)
     * without disturbing other tests; skips the test where it cannot be started. Close it when done.
     */
    public static Owned ownPostgres15() {
        try {
            return Owned.start();
        } catch (Exception e) {
            Assumptions.assumeTrue(false, () -> "PostgreSQL 15 could not be started (" + e.getMessage()
                    + "); install it with: apt-get install postgresql-15");
            throw new IllegalStateException(e);
        }
    }

    /** A PostgreSQL 15 in its own temporary folder: stop, start again on the same port, close. */
    public static final class Owned implements AutoCloseable {
        private final Path dir;
        private final Path data;
        private final List<String> asUser;
        private final Server server;

        private Owned(Path dir, List<String> asUser, Server server) {
            this.dir = dir;
            this.data = dir.resolve("data");
            this.asUser = asUser;
            this.server = server;
        }

        static Owned start() throws IOException, InterruptedException {
            if (!Files.isExecutable(PG_BIN.resolve("initdb"))) {
                throw new IOException(PG_BIN.resolve("initdb") + " not found");
            }
            boolean root = "root".equals(System.getProperty("user.name"));
            Path dir = Files.createTempDirectory("ocular-pg15-");
            Path pwfile = dir.resolve("pw");
            Files.writeString(pwfile, PASSWORD + "\n");
            List<String> asUser = root ? List.of("runuser", "-u", "nobody", "--") : List.of();
            if (root) {
                run(List.of("chown", "-R", "nobody", dir.toString()));
            }
            run(concat(asUser, PG_BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                    "--pwfile=" + pwfile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                    "--locale=C"));
            Owned owned = new Owned(dir, asUser, new Server("PostgreSQL 15", freePort(), USER, PASSWORD, "postgres",
                    false));
            owned.startAgain();
            return owned;
        }

        public Server server() {
            return server;
        }

        /** Starts the stopped server on its port (waits until it accepts connections). */
        public void startAgain() throws IOException, InterruptedException {
            run(concat(asUser, PG_BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                    dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                    "-p " + server.port() + " -h 127.0.0.1 -k " + dir + " -F -c max_connections=60", "start"));
        }

        /** Stops the server at once (sessions are cut, as when a NAS goes away). */
        public void stop() throws IOException, InterruptedException {
            run(concat(asUser, PG_BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate",
                    "-w", "stop"));
        }

        @Override
        public void close() {
            try {
                run(concat(asUser, PG_BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate",
                        "stop"));
            } catch (Exception e) {
                // already stopped, or the JVM is exiting
            }
            deleteTree(dir);
        }
    }

    // ---- PGlite ------------------------------------------------------------------------------------

    /** Where PGlite is installed (override with -Docular.test.pglite.dir). */
    static Path pgliteDir() {
        String dir = System.getProperty("ocular.test.pglite.dir");
        return dir != null ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".cache", "ocular-test", "pglite");
    }

    private static Server startPglite() throws IOException, InterruptedException {
        Path node = MediaTools.find("node");
        Path npm = MediaTools.find("npm");
        if (node == null) {
            throw new IOException("node not on the PATH");
        }
        Path dir = pgliteDir();
        Path server = dir.resolve("node_modules/@electric-sql/pglite-socket/dist/scripts/server.js");
        if (!Files.exists(dir.resolve("node_modules/@electric-sql/pglite-pgvector/package.json"))
                || !Files.exists(dir.resolve("node_modules/.bin/pglite-server"))) {
            if (npm == null) {
                throw new IOException("npm not on the PATH");
            }
            Files.createDirectories(dir);
            if (!Files.exists(dir.resolve("package.json"))) {
                Files.writeString(dir.resolve("package.json"), "{\"name\":\"ocular-test-pglite\",\"private\":true}\n");
            }
            run(List.of(npm.toString(), "install", "--prefix", dir.toString(), "--no-audit", "--no-fund",
                    "@electric-sql/pglite@0.5.14", "@electric-sql/pglite-pgvector@0.0.15", // pinned: pgvector 0.8.7
                    "@electric-sql/pglite-socket@0.2.17"));
        }
        Path bin = Files.exists(server) ? server : dir.resolve("node_modules/.bin/pglite-server").toRealPath();
        int port = freePort();
        Path log = Files.createTempFile("ocular-pglite-", ".log");
        Process p = new ProcessBuilder(node.toString(), bin.toString(), "-p", String.valueOf(port), "-h", "127.0.0.1",
                "-e", "@electric-sql/pglite-pgvector:vector", "-m", "4")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            p.destroy();
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                // exiting
            }
        }, "ocular-test-pglite-stop"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!listening(port)) {
            if (!p.isAlive()) {
                throw new IOException("pglite-server exited: " + Files.readString(log, StandardCharsets.UTF_8));
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("pglite-server did not listen within 90 s");
            }
            Thread.sleep(200);
        }
        Server s = new Server("PGlite", port, "postgres", "postgres", "postgres", true);
        try (Connection c = s.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS vector");
        } catch (SQLException e) {
            p.destroyForcibly();
            throw new IOException("PGlite has no pgvector: " + e.getMessage(), e);
        }
        return s;
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static List<String> concat(List<String> prefix, String... rest) {
        List<String> out = new ArrayList<>(prefix);
        out.addAll(List.of(rest));
        return out;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        if (p.exitValue() != 0) {
            String text = new String(out, StandardCharsets.UTF_8).trim();
            throw new IOException(String.join(" ", command).toLowerCase(Locale.ROOT).contains("npm")
                    ? "npm install failed: " + text : command.get(0) + " ... failed: " + text);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort, at exit
        }
    }
}
