package io.ocular.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A cheap content fingerprint that recognises a file after a move or rename, without re-embedding it.
 *
 * <p>Choice: a <em>sampled</em> SHA-256 over the file size and three 64 KiB windows (head, middle, tail),
 * not a full-file hash. Photos are 3-30 MB (RAW-sized TIFFs more); hashing them fully would read the
 * whole library a second time on the first index, while decoding at working size reads little more than
 * the entropy-coded stream once. The samples cost at most 192 KiB of I/O per file.
 *
 * <p>Why it is safe enough for its one use, matching a new path to a catalogued image whose old path has
 * <em>vanished</em> in the same pass: the head holds the EXIF block (timestamps, camera serial, embedded
 * thumbnail), and in compressed formats (JPEG, PNG, WebP) any pixel edit changes the entropy-coded bytes
 * from that point to the tail, and usually the size. A false match needs a same-sized file with identical
 * head, middle and tail windows that appears exactly when another disappears. Files up to 192 KiB are
 * hashed completely (the samples would cover them anyway). Edits in place are found by size/mtime, never by
 * this hash. The algorithm id is part of the input, so a future change simply stops old hashes matching.
 */
public final class ContentHasher {
    static final int WINDOW = 64 * 1024;
    private static final byte[] ALGORITHM_ID = "ocular-sampled-sha256-v1".getBytes(StandardCharsets.US_ASCII);

    private final FileAccess files;

    public ContentHasher() {
        this(FileAccess.system());
    }

    public ContentHasher(FileAccess files) {
        this.files = files;
    }

    /** Hex fingerprint of the file's content. */
    public String hash(Path file) throws IOException {
        MessageDigest sha = sha256();
        sha.update(ALGORITHM_ID);
        try (SeekableByteChannel ch = files.open(file)) {
            long size = ch.size();
            sha.update(ByteBuffer.allocate(Long.BYTES).putLong(size).flip());
            ByteBuffer buf = ByteBuffer.allocate(WINDOW);
            if (size <= 3L * WINDOW) {
                readAt(ch, 0, size, buf, sha);
            } else {
                readAt(ch, 0, WINDOW, buf, sha);
                readAt(ch, size / 2 - WINDOW / 2, WINDOW, buf, sha);
                readAt(ch, size - WINDOW, WINDOW, buf, sha);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void readAt(SeekableByteChannel ch, long pos, long len, ByteBuffer buf, MessageDigest sha)
            throws IOException {
        ch.position(pos);
        long left = len;
        while (left > 0) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), left));
            int n = ch.read(buf);
            if (n < 0) {
                break; // file shrank while hashing: hash what is there (size/mtime will differ next time)
            }
            buf.flip();
            sha.update(buf);
            left -= n;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
