package io.ocular.search;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ChecksummedFile#decode} (a file in memory, used by the fuzz tests) checks exactly what a read does. */
class ChecksummedFileDecodeTest {
    @TempDir
    Path dir;

    @Test
    void aWrittenFileDecodesFromMemoryToItsPayload() throws Exception {
        Path f = dir.resolve("x.bin");
        byte[] payload = {1, 2, 3, 4, 5, 6, 7};
        ChecksummedFile.write(f, "OCTESTFM", 3, payload);
        assertThat(ChecksummedFile.decode("x.bin", Files.readAllBytes(f), "OCTESTFM", 3)).containsExactly(payload);
        assertThat(ChecksummedFile.read(f, "OCTESTFM", 3)).containsExactly(payload);
    }

    @Test
    void damageIsReportedTheSameWayFromMemoryAsFromDisk() throws Exception {
        Path f = dir.resolve("x.bin");
        ChecksummedFile.write(f, "OCTESTFM", 3, new byte[]{1, 2, 3, 4});
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length - 1] ^= 1;
        Files.write(f, bytes);
        assertThatThrownBy(() -> ChecksummedFile.decode(f.toString(), bytes, "OCTESTFM", 3))
                .isInstanceOf(ChecksummedFile.CorruptIndexException.class)
                .hasMessage(f + " is corrupted: it fails its checksum (damaged on disk)");
        assertThatThrownBy(() -> ChecksummedFile.read(f, "OCTESTFM", 3))
                .hasMessage(f + " is corrupted: it fails its checksum (damaged on disk)");
        assertThatThrownBy(() -> ChecksummedFile.decode("x.bin", new byte[5], "OCTESTFM", 3))
                .hasMessage("x.bin is truncated (5 bytes)");
        assertThatThrownBy(() -> ChecksummedFile.decode("x.bin", bytes, "OCOTHERF", 3))
                .hasMessage("x.bin is not a OCOTHERF file");
    }
}
