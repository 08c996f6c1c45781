package io.ocular.store;

import io.ocular.testing.PostgresServers;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The catalog contract against the shared library in pgvector mode, on PGlite (pgvector 0.8) started by the test:
 * every write also fills the {@code vector} column and the per-model HNSW indexes. Never timed: PGlite is one
 * process with serialised queries.
 */
@Tag("postgres")
class PgvectorCatalogTest extends PostgresCatalogTest {

    @Override
    PostgresServers.Server server() {
        return PostgresServers.pglite();
    }

    @Test
    @Override
    @Disabled("PGlite runs every connection in one backend: an open transaction holds the others back."
            + " PostgresCatalogTest checks this on PostgreSQL 15")
    void readersAreNotBlockedByAnOpenWriteTransactionAndSeeOnlyCommittedData() {
    }
}
