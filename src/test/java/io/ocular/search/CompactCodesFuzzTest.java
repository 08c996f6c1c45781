package io.ocular.search;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.Tag;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the checksummed on-disk formats of compact codes: the PQ/OPQ model with its codebooks
 * ({@code pq-model.bin}), the codes ({@code pq-codes.bin}) and the SPQ model. Half of the inputs are taken
 * as whole files (header and checksum checks); the other half are payloads that the harness wraps in a valid
 * header and CRC, so that the fuzzer reaches the parsers behind the checksum, as a file written by a buggy or
 * hostile program would. Loading either succeeds or throws an {@link IOException} / {@link OcularException};
 * never another exception, an out-of-memory or a hang.
 *
 * <p>Files are parsed from memory ({@link ChecksummedFile#decode}, the same checks as reading them from disk):
 * writing two temporary files per execution made the disk, not the parsers, the cost of an execution.
 */
@Tag("fuzz")
class CompactCodesFuzzTest {
    /** PqIndexFiles' format version (private there; the seeds, written by PqIndex.save, show it too). */
    private static final int PQ_FORMAT_VERSION = 2;

    @FuzzTest(maxDuration = "2m")
    void pqIndex(FuzzedDataProvider in) {
        boolean wrap = in.consumeBoolean();
        boolean linkCodes = in.consumeBoolean();
        byte[] model = in.consumeBytes(in.consumeInt(0, 1 << 16));
        byte[] codes = in.consumeRemainingAsBytes();
        if (wrap) {
            if (linkCodes) {
                codes = ByteBuffer.allocate(8 + codes.length).putLong(crc(model)).put(codes).array();
            }
            model = envelope("OCPQMODL", PQ_FORMAT_VERSION, model);
            codes = envelope("OCPQCODE", PQ_FORMAT_VERSION, codes);
        }
        try {
            PqIndex index = PqIndexFiles.fromFileBytes(model, codes, null, null);
            assertThat(index.size()).isNotNegative();
        } catch (IOException | OcularException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    /** Raw mode: the whole file as {@link SpqModel#load} reads it. Payload mode: the checksummed payload's parser. */
    @FuzzTest(maxDuration = "2m")
    void spqModel(FuzzedDataProvider in) {
        boolean payload = in.consumeBoolean();
        byte[] body = in.consumeRemainingAsBytes();
        try {
            SpqModel m = payload ? SpqModel.fromBytes(body) : SpqModel.fromFileBytes("spq-model.bin", body);
            assertThat(m).isNotNull();
        } catch (IOException | OcularException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    /** {@link ChecksummedFile}'s header (magic, version, payload length, CRC32) around a payload. */
    private static byte[] envelope(String magic, int version, byte[] payload) {
        return ByteBuffer.allocate(ChecksummedFile.HEADER_BYTES + payload.length)
                .put(magic.getBytes(StandardCharsets.US_ASCII)).putInt(version).putLong(payload.length)
                .putLong(crc(payload)).put(payload).array();
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }
}
