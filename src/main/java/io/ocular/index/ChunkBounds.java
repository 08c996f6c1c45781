package io.ocular.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;

/**
 * Checks that every chunk of a PNG or RIFF (WebP) file fits inside the file before metadata-extractor reads
 * it: its stream readers allocate a chunk's declared length before reading it, so a 100-byte file that
 * declares a 1.6 GB chunk costs a 1.6 GB allocation (and an out-of-memory under a small heap; found by
 * fuzzing). Hand-written because the library offers no bounded stream reader for these formats; only the
 * 8-byte chunk headers are read, by seeking.
 */
final class ChunkBounds {
    private static final int PNG_SIGNATURE = 8;
    private static final int RIFF_HEADER = 12;
    /** Nested RIFF lists deeper than this are not followed (WebP has none; a sane RIFF has one or two). */
    private static final int MAX_DEPTH = 4;

    private ChunkBounds() {
    }

    /** True when every PNG chunk's length (header, data, CRC) lies inside a file of {@code size} bytes. */
    static boolean pngFits(SeekableByteChannel channel, long size) throws IOException {
        long pos = PNG_SIGNATURE;
        ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
        while (pos + 8 <= size) {
            if (!readAt(channel, pos, h)) {
                return true;
            }
            long length = h.getInt(0) & 0xffffffffL;
            long end = pos + 12 + length;
            if (end > size) {
                return false;
            }
            if (h.get(4) == 'I' && h.get(5) == 'E' && h.get(6) == 'N' && h.get(7) == 'D') {
                return true;
            }
            pos = end;
        }
        return true;
    }

    /** True when every RIFF chunk (and every chunk of a LIST) lies inside its parent and the file. */
    static boolean riffFits(SeekableByteChannel channel, long size) throws IOException {
        return chunksFit(channel, RIFF_HEADER, size, 0);
    }

    private static boolean chunksFit(SeekableByteChannel channel, long from, long to, int depth) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        long pos = from;
        while (pos + 8 <= to) {
            if (!readAt(channel, pos, h)) {
                return true;
            }
            long length = h.getInt(4) & 0xffffffffL;
            long end = pos + 8 + length;
            if (end > to) {
                return false;
            }
            boolean list = h.get(0) == 'L' && h.get(1) == 'I' && h.get(2) == 'S' && h.get(3) == 'T';
            if (list && (depth >= MAX_DEPTH || !chunksFit(channel, pos + 12, end, depth + 1))) {
                return false;
            }
            pos = end + (length & 1);
        }
        return true;
    }

    private static boolean readAt(SeekableByteChannel channel, long pos, ByteBuffer h) throws IOException {
        h.clear();
        channel.position(pos);
        while (h.hasRemaining()) {
            if (channel.read(h) < 0) {
                return false;
            }
        }
        return true;
    }
}
