package io.ocular.search;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;

/**
 * A file with a fixed header: 8-byte magic, format version, payload length and CRC32 of the payload.
 * Writes go to a temporary file that is then moved into place, so a crash leaves the old file or the new
 * one, never half of one; reads verify everything and throw {@link CorruptIndexException} on any mismatch.
 */
final class ChecksummedFile {
    static final int HEADER_BYTES = 8 + 4 + 8 + 8;

    private ChecksummedFile() {
    }

    /** Thrown when an index file is missing, truncated, from another format version, or fails its checksum. */
    static final class CorruptIndexException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptIndexException(String message) {
            super(message);
        }
    }

    static void write(Path file, String magic, int version, byte[] payload) throws IOException {
        byte[] m = magicBytes(magic);
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.put(m).putInt(version).putLong(payload.length).putLong(crc.getValue());
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (var out = Files.newOutputStream(tmp)) {
                out.write(header.array());
                out.write(payload);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static byte[] read(Path file, String magic, int version) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CorruptIndexException(file + " is missing");
        }
        byte[] all = Files.readAllBytes(file);
        if (all.length < HEADER_BYTES) {
            throw new CorruptIndexException(file + " is truncated (" + all.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        byte[] m = new byte[8];
        b.get(m);
        if (!java.util.Arrays.equals(m, magicBytes(magic))) {
            throw new CorruptIndexException(file + " is not a " + magic + " file");
        }
        int v = b.getInt();
        if (v != version) {
            throw new CorruptIndexException(file + " has format version " + v + ", expected " + version);
        }
        long len = b.getLong();
        long expectedCrc = b.getLong();
        if (len != all.length - HEADER_BYTES) {
            throw new CorruptIndexException(file + " is truncated: header says " + len + " payload bytes, file has "
                    + (all.length - HEADER_BYTES));
        }
        CRC32 crc = new CRC32();
        crc.update(all, HEADER_BYTES, (int) len);
        if (crc.getValue() != expectedCrc) {
            throw new CorruptIndexException(file + " fails its checksum (damaged on disk)");
        }
        return java.util.Arrays.copyOfRange(all, HEADER_BYTES, all.length);
    }

    private static byte[] magicBytes(String magic) {
        byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
        if (m.length != 8) {
            throw new IllegalArgumentException("magic must be 8 ASCII characters: " + magic);
        }
        return m;
    }
}
