package io.ocular.store;

import io.ocular.model.OcularException;
import io.ocular.testing.PostgresServers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a user sees when the shared library cannot be used, on a real PostgreSQL 15; nothing is changed. */
@Tag("postgres")
class PostgresConnectionProblemsTest {

    @TempDir
    Path tmp;

    private static PostgresLocation at(PostgresServers.Server s, String database, String password) {
        return PostgresLocation.parse(s.url(database), password == null ? Map.of("PGUSER", s.user())
                : Map.of("PGUSER", s.user(), "PGPASSWORD", password), "x");
    }

    @Test
    void wrongPasswordMissingPasswordAndMissingDatabaseSayWhatToDo() {
        PostgresServers.Server s = PostgresServers.postgres15();
        String db = s.newDatabase();
        assertThatThrownBy(() -> PostgresCatalog.open(at(s, db, "wrong"), "c"))
                .isInstanceOf(OcularException.class).hasMessageContaining("Wrong password for 'ocular'")
                .hasMessageContaining("~/.pgpass").hasMessageNotContaining("wrong");
        System.setProperty("org.postgresql.pgpassfile", tmp.resolve("none").toString());
        try {
            assertThatThrownBy(() -> PostgresCatalog.open(at(s, db, null), "c"))
                    .isInstanceOf(OcularException.class).hasMessageContaining("asks for a password");
        } finally {
            System.clearProperty("org.postgresql.pgpassfile");
        }
        assertThatThrownBy(() -> PostgresCatalog.open(at(s, "no_such_library", s.password()), "c"))
                .isInstanceOf(OcularException.class).hasMessageContaining("'no_such_library' does not exist")
                .hasMessageContaining("createdb");
    }

    @Test
    void thePasswordFileIsReadLikeLibpqDoes() throws Exception {
        PostgresServers.Server s = PostgresServers.postgres15();
        String db = s.newDatabase();
        Path pgpass = tmp.resolve("pgpass");
        Files.writeString(pgpass, "127.0.0.1:" + s.port() + ":*:" + s.user() + ":" + s.password() + "\n");
        System.setProperty("org.postgresql.pgpassfile", pgpass.toString()); // what PGPASSFILE sets for pgjdbc
        try (PostgresCatalog c = PostgresCatalog.open(at(s, db, null), "c")) {
            assertThat(c.stats().schemaVersion()).isEqualTo(new PostgresMigrations().latestVersion());
        } finally {
            System.clearProperty("org.postgresql.pgpassfile");
        }
    }

    @Test
    void anUnreachableServerIsNamed() throws Exception {
        int closedPort;
        try (ServerSocket free = new ServerSocket(0)) {
            closedPort = free.getLocalPort();
        }
        PostgresLocation nowhere = PostgresLocation.parse("jdbc:postgresql://127.0.0.1:" + closedPort + "/x",
                Map.of("PGPASSWORD", "p"), "u");
        assertThatThrownBy(() -> PostgresCatalog.open(nowhere, "c"))
                .isInstanceOf(OcularException.class).hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageContaining("running and reachable");
    }

    @Test
    void aNewerSchemaAndAForeignDatabaseAreLeftUntouched() throws Exception {
        PostgresServers.Server s = PostgresServers.postgres15();
        String newer = s.newDatabase();
        PostgresCatalog.open(at(s, newer, s.password()), "c").close();
        try (Connection c = s.connect(newer); Statement st = c.createStatement()) {
            st.execute("INSERT INTO ocular_schema(version) VALUES (99)");
        }
        assertThatThrownBy(() -> PostgresCatalog.open(at(s, newer, s.password()), "c"))
                .isInstanceOf(OcularException.class).hasMessageContaining("newer Ocular")
                .hasMessageContaining("schema version 99").hasMessageContaining("update Ocular");

        String foreign = s.newDatabase();
        try (Connection c = s.connect(foreign); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE invoices (id int)");
        }
        assertThatThrownBy(() -> PostgresCatalog.open(at(s, foreign, s.password()), "c"))
                .isInstanceOf(OcularException.class).hasMessageContaining("already holds other tables");
        try (Connection c = s.connect(foreign); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("nothing created").isEqualTo(1);
        }
    }

    @Test
    void withoutPgvectorTheLibraryStoresBytesAndSaysSo() {
        PostgresServers.Server s = PostgresServers.postgres15();
        try (PostgresCatalog c = PostgresCatalog.open(at(s, s.newDatabase(), s.password()), "c")) {
            assertThat(c.serverSideSearch()).isFalse();
            assertThat(c.vectorMode()).startsWith("bytea").contains("the server has no pgvector")
                    .contains("searched in Ocular");
            assertThat(c.describeLocation()).contains("shared library").contains("bytea");
        }
    }
}
