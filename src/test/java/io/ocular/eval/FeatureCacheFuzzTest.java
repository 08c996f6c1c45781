package io.ocular.eval;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes eval's feature cache files: a damaged entry is a cache miss (logged), never an exception, an
 * out-of-memory or a hang. Half of the inputs get a valid trailing CRC from the harness.
 */
@Tag("fuzz")
class FeatureCacheFuzzTest {
    private static final Path DIR = tempDir();
    private static final FeatureCache CACHE = new FeatureCache(DIR);

    @FuzzTest(maxDuration = "2m")
    void load(FuzzedDataProvider in) throws IOException {
        boolean fixCrc = in.consumeBoolean();
        byte[] body = in.consumeRemainingAsBytes();
        if (fixCrc) {
            CRC32 crc = new CRC32();
            crc.update(body);
            body = ByteBuffer.allocate(body.length + 8).put(body).putLong(crc.getValue()).array();
        }
        Files.write(DIR.resolve("fuzz.feat"), body);
        Optional<float[][][]> f = CACHE.load("fuzz");
        f.ifPresent(rows -> assertThat(rows.length).isNotNegative());
    }

    private static Path tempDir() {
        try {
            Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
            return Files.createTempDirectory(base, "ocular-fuzz-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> s = Files.walk(DIR)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
