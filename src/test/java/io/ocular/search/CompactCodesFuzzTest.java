package io.ocular.search;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the checksummed on-disk formats of compact codes: the PQ/OPQ model with its codebooks
 * ({@code pq-model.bin}), the codes ({@code pq-codes.bin}) and the SPQ model. Half of the inputs are taken
 * as whole files (header and checksum checks); the other half are payloads that the harness wraps in a valid
 * header and CRC, so that the fuzzer reaches the parsers behind the checksum, as a file written by a buggy or
 * hostile program would. Loading either succeeds or throws an {@link IOException} / {@link OcularException};
 * never another exception, an out-of-memory or a hang.
 */
@Tag("fuzz")
class CompactCodesFuzzTest {
    /** PqIndexFiles' format version (private there; the seeds, written by PqIndex.save, show it too). */
    private static final int PQ_FORMAT_VERSION = 2;
    private static final Path DIR = tempDir();

    @FuzzTest(maxDuration = "2m")
    void pqIndex(FuzzedDataProvider in) throws IOException {
        boolean wrap = in.consumeBoolean();
        boolean linkCodes = in.consumeBoolean();
        byte[] model = in.consumeBytes(in.consumeInt(0, 1 << 16));
        byte[] codes = in.consumeRemainingAsBytes();
        if (wrap) {
            if (linkCodes) {
                CRC32 crc = new CRC32();
                crc.update(model);
                codes = ByteBuffer.allocate(8 + codes.length).putLong(crc.getValue()).put(codes).array();
            }
            ChecksummedFile.write(DIR.resolve(PqIndexFiles.MODEL_FILE), "OCPQMODL", PQ_FORMAT_VERSION, model);
            ChecksummedFile.write(DIR.resolve(PqIndexFiles.CODES_FILE), "OCPQCODE", PQ_FORMAT_VERSION, codes);
        } else {
            Files.write(DIR.resolve(PqIndexFiles.MODEL_FILE), model);
            Files.write(DIR.resolve(PqIndexFiles.CODES_FILE), codes);
        }
        try {
            PqIndex index = PqIndex.load(DIR, null, null);
            assertThat(index.size()).isNotNegative();
        } catch (IOException | OcularException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    /** Raw mode: the whole file through {@link SpqModel#load}. Payload mode: the checksummed payload's parser. */
    @FuzzTest(maxDuration = "2m")
    void spqModel(FuzzedDataProvider in) throws IOException {
        boolean payload = in.consumeBoolean();
        byte[] body = in.consumeRemainingAsBytes();
        try {
            SpqModel m;
            if (payload) {
                m = SpqModel.fromBytes(body);
            } else {
                Path f = DIR.resolve("spq-model.bin");
                Files.write(f, body);
                m = SpqModel.load(f);
            }
            assertThat(m).isNotNull();
        } catch (IOException | OcularException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
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
