package io.ocular.store;

import io.ocular.testing.PostgresServers;
import org.junit.jupiter.api.Tag;

import java.util.Map;

/** Video moments in a shared library on PostgreSQL 15 (bytea mode): the same contract as the SQLite catalog's. */
@Tag("postgres")
class PostgresVideoMomentsTest extends VideoMomentsCatalogTest {

    PostgresServers.Server server() {
        return PostgresServers.postgres15();
    }

    @Override
    Catalog openCatalog() {
        PostgresServers.Server s = server();
        return PostgresCatalog.open(PostgresLocation.parse(s.newSchemaUrl() + "&user=" + s.user() + "&password="
                + s.password(), Map.of(), "x"), "computer-a");
    }

    @Override
    void assertIntact() {
        // the server keeps its own constraints (foreign keys, partial unique indexes); nothing to check from here
    }
}
