package io.ocular.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocular.index.RawFixtures;
import io.ocular.testing.MediaTools;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A folder mixing JPEG, HEIC, AVIF, DNG and a RAW+JPEG pair (made at test time from the shared photos),
 * with broken files of each kind, indexed end to end through the CLI: counted by kind, each bad file skipped
 * with its reason, and a HEIC query finds the JPEG it was made from.
 */
class MixedFormatsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private CliRun cli(String... args) {
        return CliRun.inDataDir(tmp.resolve("data"), args);
    }

    @Test
    void mixedFolderIsIndexedCountedByKindAndSearchable() throws Exception {
        MediaTools.require("heif-enc");
        Path images = SharedData.dataset("holidays-dev").resolve("images");
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        Files.copy(images.resolve("100000.jpg"), photos.resolve("a.jpg"));
        MediaTools.heifEnc(images.resolve("100000.jpg"), photos.resolve("IMG_0001.HEIC")); // same shot as a.jpg
        MediaTools.heifEnc(images.resolve("100200.jpg"), photos.resolve("b.avif"));
        Files.write(photos.resolve("DSC_0002.DNG"),
                RawFixtures.dng(Files.readAllBytes(images.resolve("100300.jpg")), 1, "2020:01:01 12:00:00"));
        // RAW + JPEG of one shot: one photo (the JPEG)
        Files.copy(images.resolve("100400.jpg"), photos.resolve("IMG_0003.JPG"));
        Files.write(photos.resolve("IMG_0003.CR2"),
                RawFixtures.dng(Files.readAllBytes(images.resolve("100400.jpg")), 1, "2020:01:01 12:00:00"));
        // bad input
        byte[] heic = Files.readAllBytes(photos.resolve("IMG_0001.HEIC"));
        Files.write(photos.resolve("cut.heic"), Arrays.copyOf(heic, heic.length / 3));
        Files.write(photos.resolve("nopreview.nef"), RawFixtures.tiff(java.nio.ByteOrder.LITTLE_ENDIAN, 42,
                List.of(), List.of(new RawFixtures.Ifd().shortValue(0x112, 1))));

        CliRun index = cli("index", photos.toString());
        assertThat(index.code()).as(index.err()).isZero();
        assertThat(index.out()).contains("5 images indexed, 2 skipped");

        CliRun status = cli("status", "--json");
        assertThat(status.code()).as(status.err()).isZero();
        JsonNode s = JSON.readTree(status.out());
        assertThat(s.at("/kinds/JPEG").asLong()).isEqualTo(2);
        assertThat(s.at("/kinds/HEIC").asLong()).isEqualTo(1);
        assertThat(s.at("/kinds/AVIF").asLong()).isEqualTo(1);
        assertThat(s.at("/kinds/RAW").asLong()).isEqualTo(1);
        Map<String, String> reasons = new HashMap<>();
        s.get("skipped").forEach(n -> reasons.put(Path.of(n.get("path").asText()).getFileName().toString(),
                n.get("reason").asText()));
        assertThat(reasons.get("cut.heic")).startsWith("truncated or corrupt image");
        assertThat(reasons.get("nopreview.nef")).startsWith("RAW file without an embedded JPEG preview");
        assertThat(reasons).doesNotContainKey("IMG_0003.CR2");

        CliRun text = cli("status");
        assertThat(text.out()).contains("Indexed:     1 AVIF, 1 HEIC, 2 JPEG, 1 RAW");

        // the HEIC as a query finds the JPEG of the same shot first (the query file itself is not a result)
        CliRun search = cli("search", "--image", photos.resolve("IMG_0001.HEIC").toString(), "-k", "2", "--json");
        assertThat(search.code()).as(search.err()).isZero();
        JsonNode r = JSON.readTree(search.out());
        assertThat(r.at("/hits/0/path").asText()).endsWith("a.jpg");
    }
}
