package io.ocular.store;

import io.ocular.testing.PostgresServers;
import org.junit.jupiter.api.Tag;

import java.util.Map;

/** The compose-marks contract ({@link ComposeMarksCatalogTest}) on a real PostgreSQL 15 started by the test. */
@Tag("postgres")
class PostgresComposeMarksCatalogTest extends ComposeMarksCatalogTest {
    private String url;

    PostgresServers.Server server() {
        return PostgresServers.postgres15();
    }

    @Override
    Catalog openCatalog() {
        PostgresServers.Server s = server();
        if (url == null) {
            url = s.newSchemaUrl();
        }
        return PostgresCatalog.open(PostgresLocation.parse(url + "&user=" + s.user() + "&password=" + s.password(),
                Map.of(), "x"), "computer-a");
    }
}
