package io.ocular.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * A {@link FileAccess} whose every file holds the same bytes, kept in memory: the fuzz tests decode
 * thousands of inputs per second without touching the disk.
 */
final class BytesFileAccess implements FileAccess {
    private volatile byte[] content = new byte[0];

    void set(byte[] bytes) {
        this.content = bytes;
    }

    @Override
    public BasicFileAttributes attributes(Path path) {
        byte[] c = content;
        return new BasicFileAttributes() {
            @Override public FileTime lastModifiedTime() { return FileTime.fromMillis(0); }
            @Override public FileTime lastAccessTime() { return FileTime.fromMillis(0); }
            @Override public FileTime creationTime() { return FileTime.fromMillis(0); }
            @Override public boolean isRegularFile() { return true; }
            @Override public boolean isDirectory() { return false; }
            @Override public boolean isSymbolicLink() { return false; }
            @Override public boolean isOther() { return false; }
            @Override public long size() { return c.length; }
            @Override public Object fileKey() { return null; }
        };
    }

    @Override
    public BasicFileAttributes linkAttributes(Path path) {
        return attributes(path);
    }

    @Override
    public DirectoryStream<Path> list(Path dir) throws IOException {
        throw new NotDirectoryException(dir.toString());
    }

    @Override
    public SeekableByteChannel open(Path file) {
        return new Channel(content);
    }

    /** A read-only channel over a byte array. */
    static final class Channel implements SeekableByteChannel {
        private final byte[] data;
        private long position;
        private boolean open = true;

        Channel(byte[] data) {
            this.data = data;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            ensureOpen();
            if (position >= data.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), data.length - position);
            dst.put(data, (int) position, n);
            position += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() throws IOException {
            ensureOpen();
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            ensureOpen();
            if (newPosition < 0) {
                throw new IllegalArgumentException("negative position");
            }
            position = newPosition;
            return this;
        }

        @Override
        public long size() throws IOException {
            ensureOpen();
            return data.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }

        private void ensureOpen() throws ClosedChannelException {
            if (!open) {
                throw new ClosedChannelException();
            }
        }
    }
}
