package io.ocular.store;

import io.ocular.testing.PostgresServers;
import org.junit.jupiter.api.Tag;

/** The compose-marks contract on the shared library in pgvector mode (PGlite, never timed). */
@Tag("postgres")
class PgvectorComposeMarksCatalogTest extends PostgresComposeMarksCatalogTest {
    @Override
    PostgresServers.Server server() {
        return PostgresServers.pglite();
    }
}
