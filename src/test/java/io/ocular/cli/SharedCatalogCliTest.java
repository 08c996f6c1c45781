package io.ocular.cli;

import io.ocular.engine.Engine;
import io.ocular.testing.PostgresServers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --catalog} from the command line: help, status of a shared library, and an unreachable server. */
class SharedCatalogCliTest {

    @TempDir
    Path tmp;

    @Test
    void helpDescribesTheCatalogOption() {
        CliRun r = CliRun.run("status", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--catalog=CATALOG").contains("jdbc:postgresql://HOST:PORT/DATABASE")
                .contains("~/.pgpass").contains("OCULAR_CATALOG");
    }

    @Test
    void anUnreachableServerIsOneClearLine() throws Exception {
        int closedPort;
        try (ServerSocket free = new ServerSocket(0)) {
            closedPort = free.getLocalPort();
        }
        CliRun r = CliRun.run(Engine::open, "status", "--data-dir", tmp.toString(),
                "--catalog", "jdbc:postgresql://127.0.0.1:" + closedPort + "/photos?password=hunter2");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("ocular: Lost or no connection to the library server 127.0.0.1:" + closedPort)
                .doesNotContain("hunter2").doesNotContain("Exception");
    }

    @Test
    @Tag("postgres")
    void statusSaysWhereTheLibraryIsAndHowItSearches() {
        PostgresServers.Server s = PostgresServers.postgres15();
        String url = s.url(s.newDatabase()) + "?user=" + s.user() + "&password=" + s.password();
        CliRun r = CliRun.run(Engine::open, "status", "--data-dir", tmp.toString(), "--catalog", url);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Catalog:     shared library: database '").contains("vectors: bytea")
                .doesNotContain(s.password());
    }
}
