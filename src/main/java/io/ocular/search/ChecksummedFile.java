package io.ocular.search;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The one on-disk envelope of Ocular's own binary formats (compact-code indexes, SPQ models, eval feature
 * caches): a fixed header of 8-byte magic, format version, payload length and CRC32 of the payload, then the
 * payload. Writes go to a temporary file that is then moved into place, so a crash leaves the old file or the
 * new one, never half of one; reads verify everything and throw {@link CorruptIndexException} on any mismatch
 * (missing, truncated, foreign, another version, damaged).
 *
 * <p>Payloads are written and read either as byte arrays or streamed ({@link PayloadWriter}, {@link
 * PayloadReader}) for large ones. The one format that does not use it is {@link MappedVectorFile}: it is
 * memory-mapped and paged in lazily, and a whole-file checksum would read every byte at open (its size is
 * checked against its header instead).
 */
public final class ChecksummedFile {
    static final int HEADER_BYTES = 8 + 4 + 8 + 8;

    private ChecksummedFile() {
    }

    /** Thrown when a file is missing, truncated, from another format version, or fails its checksum. */
    public static final class CorruptIndexException extends IOException {
        private static final long serialVersionUID = 1L;

        public CorruptIndexException(String message) {
            super(message);
        }
    }

    /** Writes a payload to a stream. */
    @FunctionalInterface
    public interface PayloadWriter {
        void write(DataOutputStream out) throws IOException;
    }

    /** Parses a payload from a stream (the checksum is verified once it returns). */
    @FunctionalInterface
    public interface PayloadReader<T> {
        T read(DataInputStream in) throws IOException;
    }

    public static void write(Path file, String magic, int version, byte[] payload) throws IOException {
        write(file, magic, version, out -> out.write(payload));
    }

    /** Streams a payload into the file: a header placeholder, the payload, then the real header. */
    public static void write(Path file, String magic, int version, PayloadWriter body) throws IOException {
        byte[] m = magicBytes(magic);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            CRC32 crc = new CRC32();
            long length;
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                raw.write(new byte[HEADER_BYTES]);
                CountingOutputStream counted = new CountingOutputStream(new CheckedOutputStream(raw, crc));
                DataOutputStream out = new DataOutputStream(counted);
                body.write(out);
                out.flush();
                length = counted.count;
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            header.put(m).putInt(version).putLong(length).putLong(crc.getValue()).flip();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                long at = 0;
                while (header.hasRemaining()) {
                    at += ch.write(header, at);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static byte[] read(Path file, String magic, int version) throws IOException {
        return read(file, magic, version, in -> in.readAllBytes());
    }

    /**
     * Streams the payload to {@code body} and verifies the checksum once it returned: the result is only handed
     * out when the file is intact, and {@code body} must consume the whole payload.
     */
    public static <T> T read(Path file, String magic, int version, PayloadReader<T> body) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CorruptIndexException(file + " is missing");
        }
        long size = Files.size(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(file.toString(), size, raw, magic, version, body);
        }
    }

    /**
     * The payload of a whole file already in memory, with the same checks as {@link #read(Path, String, int)}
     * ({@code name} stands for the file in messages). The fuzz tests use it: no disk per execution.
     */
    public static byte[] decode(String name, byte[] file, String magic, int version) throws IOException {
        return read(name, file.length, new ByteArrayInputStream(file), magic, version, in -> in.readAllBytes());
    }

    private static <T> T read(String file, long size, InputStream raw, String magic, int version,
                              PayloadReader<T> body) throws IOException {
        byte[] h = raw.readNBytes(HEADER_BYTES);
        if (h.length < HEADER_BYTES) {
            throw new CorruptIndexException(file + " is truncated (" + size + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(h);
        byte[] m = new byte[8];
        b.get(m);
        if (!Arrays.equals(m, magicBytes(magic))) {
            throw new CorruptIndexException(file + " is not a " + magic + " file");
        }
        int v = b.getInt();
        if (v != version) {
            throw new CorruptIndexException(file + " has format version " + v + ", expected " + version);
        }
        long len = b.getLong();
        long expectedCrc = b.getLong();
        if (len != size - HEADER_BYTES) {
            throw new CorruptIndexException(file + " is truncated: header says " + len + " payload bytes, file has "
                    + (size - HEADER_BYTES));
        }
        CRC32 crc = new CRC32();
        DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
        T result;
        try {
            result = body.read(in);
        } catch (EOFException e) {
            throw new CorruptIndexException(file + " is corrupted: its payload ends early");
        }
        if (in.read() != -1) {
            throw new CorruptIndexException(file + " is corrupted: its payload has trailing bytes");
        }
        if (crc.getValue() != expectedCrc) {
            throw new CorruptIndexException(file + " is corrupted: it fails its checksum (damaged on disk)");
        }
        return result;
    }

    private static byte[] magicBytes(String magic) {
        byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
        if (m.length != 8) {
            throw new IllegalArgumentException("magic must be 8 ASCII characters: " + magic);
        }
        return m;
    }

    private static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
