package io.ocular.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocular.engine.Engine;
import io.ocular.testing.PostgresServers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A shared library on a server with pgvector (PGlite) is searched on the server: {@code ocular search} with folder
 * and date filters finds what a local SQLite library finds, and status says the server searches. In bytea mode
 * (PostgreSQL 15 without pgvector) search stays in Ocular. Functional only: nothing is timed on PGlite.
 */
@Tag("postgres")
class ServerSearchCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path photos() throws Exception {
        Path photos = tmp.resolve("photos");
        Color[] reds = {new Color(220, 30, 30), new Color(200, 40, 20), new Color(230, 50, 40), new Color(210, 20, 50)};
        Color[] blues = {new Color(30, 40, 220), new Color(20, 60, 200), new Color(40, 30, 240)};
        for (int i = 0; i < reds.length; i++) {
            Path f = OcularCliIntegrationTest.png(photos.resolve("reds/red" + i + ".png"), reds[i], i % 3);
            Files.setLastModifiedTime(f, FileTime.from(Instant.parse(i < 2 ? "2020-06-15T12:00:00Z"
                    : "2023-06-15T12:00:00Z")));
        }
        for (int i = 0; i < blues.length; i++) {
            Path f = OcularCliIntegrationTest.png(photos.resolve("blues/blue" + i + ".png"), blues[i], i);
            Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2021-06-15T12:00:00Z")));
        }
        return photos;
    }

    private static CliRun cli(Path data, String catalog, String... args) {
        Stream<String> tail = catalog == null ? Stream.of("--data-dir", data.toString())
                : Stream.of("--data-dir", data.toString(), "--catalog", catalog);
        return CliRun.run(Engine::open, Stream.concat(Stream.of(args), tail).toArray(String[]::new));
    }

    private static List<String> names(CliRun r) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode h : JSON.readTree(r.out()).get("hits")) {
            out.add(Path.of(h.get("path").asText()).getFileName().toString());
        }
        return out;
    }

    private static Map<String, Double> scores(CliRun r) throws Exception {
        Map<String, Double> out = new HashMap<>();
        for (JsonNode h : JSON.readTree(r.out()).get("hits")) {
            out.put(Path.of(h.get("path").asText()).getFileName().toString(), h.get("score").asDouble());
        }
        return out;
    }

    @Test
    void searchesWithFoldersAndDatesRunOnTheServerAndAgreeWithALocalLibrary() throws Exception {
        PostgresServers.Server s = PostgresServers.pglite();
        String url = s.newSchemaUrl() + "&user=" + s.user() + "&password=" + s.password() + "&prepareThreshold=0";
        Path photos = photos();
        Path shared = tmp.resolve("data-shared");
        Path local = tmp.resolve("data-local");
        CliRun indexed = cli(shared, url, "index", photos.toString());
        assertThat(indexed.code()).as(indexed.err()).isZero();
        assertThat(cli(local, null, "index", photos.toString()).code()).isZero();

        CliRun status = cli(shared, url, "status", "--json");
        assertThat(status.code()).as(status.err()).isZero();
        JsonNode model = JSON.readTree(status.out()).get("model");
        assertThat(model.get("index").asText()).isEqualTo("server");
        assertThat(model.get("index_detail").asText()).startsWith("server: pgvector 0.8");
        assertThat(cli(shared, url, "status").out()).contains("Search:      server: pgvector");

        String red0 = photos.resolve("reds/red0.png").toString();
        String[][] searches = {
            {"search", "--image", red0, "-k", "3", "--json", "--rotations", "off"},
            {"search", "--image", red0, "-k", "3", "--folder", photos.resolve("blues").toString(), "--json"},
            {"search", "--image", red0, "-k", "3", "--from", "2023-01-01", "--to", "2023-12-31", "--json"},
            {"search", "--image", red0, "-k", "5", "--folder", photos.resolve("reds").toString(), "--from",
                "2020-01-01", "--to", "2020-12-31", "--json", "--rotations", "off"},
        };
        for (String[] args : searches) {
            CliRun onServer = cli(shared, url, args);
            CliRun inOcular = cli(local, null, args);
            assertThat(onServer.code()).as(onServer.err()).isZero();
            // the same photos with the same similarities (order may differ only between near-equal scores)
            Map<String, Double> server = scores(onServer);
            Map<String, Double> inHere = scores(inOcular);
            assertThat(server).as(String.join(" ", args)).isNotEmpty();
            assertThat(server.keySet()).as(String.join(" ", args)).isEqualTo(inHere.keySet());
            server.forEach((name, score) -> assertThat(score).as(name).isCloseTo(inHere.get(name), within(1e-3)));
        }
        assertThat(names(cli(shared, url, searches[1]))).hasSize(3).allMatch(n -> n.startsWith("blue"));
        assertThat(names(cli(shared, url, searches[3]))).containsExactly("red1.png");

        CliRun none = cli(shared, url, "search", "--image", red0, "--from", "2030-01-01");
        assertThat(none.code()).isZero();
        assertThat(none.out()).contains("no photos in the chosen folders and dates");
    }

    @Test
    void byteaModeKeepsSearchingInOcular() throws Exception {
        PostgresServers.Server s = PostgresServers.postgres15();
        String url = s.url(s.newDatabase()) + "?user=" + s.user() + "&password=" + s.password();
        Path photos = photos();
        Path data = tmp.resolve("data");
        assertThat(cli(data, url, "index", photos.toString()).code()).isZero();
        CliRun status = cli(data, url, "status", "--json");
        assertThat(status.code()).as(status.err()).isZero();
        JsonNode model = JSON.readTree(status.out()).get("model");
        assertThat(model.get("index").asText()).isEqualTo("exact");
        assertThat(JSON.readTree(status.out()).get("catalog").asText()).contains("vectors: bytea");
        CliRun blue = cli(data, url, "search", "--image", photos.resolve("reds/red0.png").toString(), "-k", "3",
                "--folder", photos.resolve("blues").toString(), "--json");
        assertThat(names(blue)).hasSize(3).allMatch(n -> n.startsWith("blue"));
    }
}
