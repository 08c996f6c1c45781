package io.ocular.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ocular search --folder/--from/--to/--exclude}: the scope is applied inside the search (k results). */
class SearchScopeCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private CliRun cli(String... args) {
        return CliRun.inDataDir(tmp.resolve("data"), args);
    }

    private static List<String> names(CliRun r) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode h : JSON.readTree(r.out()).get("hits")) {
            out.add(Path.of(h.get("path").asText()).getFileName().toString());
        }
        return out;
    }

    @Test
    void foldersDatesAndExcludedIdsNarrowTheSearchAndKResultsStillComeBack() throws Exception {
        Path photos = tmp.resolve("photos");
        Color[] reds = {new Color(220, 30, 30), new Color(200, 40, 20), new Color(230, 50, 40), new Color(210, 20, 50)};
        Color[] blues = {new Color(30, 40, 220), new Color(20, 60, 200), new Color(40, 30, 240)};
        for (int i = 0; i < reds.length; i++) {
            Path f = OcularCliIntegrationTest.png(photos.resolve("reds/red" + i + ".png"), reds[i], i % 3);
            // PNGs have no date taken: the file time counts; red0, red1 in 2020, red2, red3 in 2023
            Files.setLastModifiedTime(f, FileTime.from(Instant.parse(i < 2 ? "2020-06-15T12:00:00Z" : "2023-06-15T12:00:00Z")));
        }
        for (int i = 0; i < blues.length; i++) {
            Path f = OcularCliIntegrationTest.png(photos.resolve("blues/blue" + i + ".png"), blues[i], i);
            Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2021-06-15T12:00:00Z")));
        }
        assertThat(cli("index", photos.toString()).code()).isZero();
        String red0 = photos.resolve("reds/red0.png").toString();

        CliRun all = cli("search", "--image", red0, "-k", "3", "--json", "--rotations", "off");
        assertThat(names(all)).as(all.err()).allMatch(n -> n.startsWith("red"));

        // the three best are reds; inside blues/ there are still three results
        CliRun blue = cli("search", "--image", red0, "-k", "3", "--folder", photos.resolve("blues").toString(), "--json");
        assertThat(blue.code()).as(blue.err()).isZero();
        assertThat(names(blue)).hasSize(3).allMatch(n -> n.startsWith("blue"));

        CliRun y2023 = cli("search", "--image", red0, "-k", "3", "--from", "2023-01-01", "--to", "2023-12-31", "--json");
        assertThat(names(y2023)).containsExactlyInAnyOrder("red2.png", "red3.png");

        long firstHit = JSON.readTree(all.out()).get("hits").get(0).get("id").asLong();
        CliRun without = cli("search", "--image", red0, "-k", "3", "--exclude", Long.toString(firstHit), "--json");
        assertThat(JSON.readTree(without.out()).get("hits")).hasSize(3)
                .noneMatch(h -> h.get("id").asLong() == firstHit);

        CliRun none = cli("search", "--image", red0, "--from", "2030-01-01");
        assertThat(none.code()).isZero();
        assertThat(none.out()).contains("no photos in the chosen folders and dates");
    }

    @Test
    void badScopeFlagsAreUsageErrorsAndHelpNamesThem() {
        assertThat(CliRun.run("search", "--help").out()).contains("--folder").contains("--from").contains("--to")
                .contains("--exclude");
        CliRun month = CliRun.run("search", "--text", "cat", "--from", "2024-13-01");
        assertThat(month.code()).isEqualTo(2);
        assertThat(month.err()).contains("--from takes a day as YYYY-MM-DD");
        CliRun order = CliRun.run("search", "--text", "cat", "--from", "2024-02-01", "--to", "2024-01-01");
        assertThat(order.code()).isEqualTo(2);
        assertThat(order.err()).contains("--to (2024-01-01) is before --from (2024-02-01)");
        CliRun gone = CliRun.run("search", "--text", "cat", "--folder", tmp.resolve("nowhere").toString());
        assertThat(gone.code()).isEqualTo(2);
        assertThat(gone.err()).contains("is not a folder");
    }
}
