package io.ocular.eval;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ocular.search.ChecksummedFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes eval's feature cache files: a damaged entry is a cache miss (logged), never an exception, an
 * out-of-memory or a hang. Half of the inputs are payloads the harness wraps in a valid header and CRC.
 */
@Tag("fuzz")
class FeatureCacheFuzzTest {
    /** FeatureCache's format version (its files are {@link ChecksummedFile}s with magic OCFEATUR). */
    private static final int FORMAT_VERSION = 2;
    private static final Path DIR = tempDir();
    private static final FeatureCache CACHE = new FeatureCache(DIR);

    @FuzzTest(maxDuration = "2m")
    void load(FuzzedDataProvider in) throws IOException {
        boolean fixCrc = in.consumeBoolean();
        byte[] body = in.consumeRemainingAsBytes();
        if (fixCrc) {
            ChecksummedFile.write(DIR.resolve("fuzz.feat"), "OCFEATUR", FORMAT_VERSION, body);
        } else {
            Files.write(DIR.resolve("fuzz.feat"), body);
        }
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
