package io.ocular.store;

import io.ocular.testing.PostgresServers;
import org.junit.jupiter.api.Tag;

/** Video moments in a shared library with pgvector (PGlite): the moments' vectors also fill the vector column. */
@Tag("postgres")
class PgvectorVideoMomentsTest extends PostgresVideoMomentsTest {

    @Override
    PostgresServers.Server server() {
        return PostgresServers.pglite();
    }
}
