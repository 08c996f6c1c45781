package io.ocular.engine;

import io.ocular.model.OcularException;
import io.ocular.testing.PostgresServers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings' "Test connection" against a real PostgreSQL 15: what it finds, and the clear messages of problems. */
@Tag("postgres")
class TestSharedLibraryTest {
    @TempDir
    Path tmp;

    @Test
    void saysWhatItFoundOrWhatIsWrong() {
        PostgresServers.Server s = PostgresServers.postgres15();
        AppPaths paths = AppPaths.under(tmp);
        String db = s.newDatabase();
        String found = Engine.testSharedLibrary(paths, s.url(db) + "?user=" + s.user() + "&password=" + s.password());
        assertThat(found).contains("shared library").contains(db).contains("vectors: bytea")
                .doesNotContain(s.password());
        assertThatThrownBy(() -> Engine.testSharedLibrary(paths, s.url(db) + "?user=" + s.user() + "&password=nope"))
                .isInstanceOf(OcularException.class).hasMessageStartingWith("Wrong password for '" + s.user() + "'");
        assertThatThrownBy(() -> Engine.testSharedLibrary(paths, s.url("no_such_db") + "?user=" + s.user()
                + "&password=" + s.password())).isInstanceOf(OcularException.class)
                .hasMessageContaining("does not exist").hasMessageContaining("createdb");
        assertThatThrownBy(() -> Engine.testSharedLibrary(paths, "mysql://x/y")).isInstanceOf(OcularException.class)
                .hasMessageContaining("Unsupported catalog");
    }
}
