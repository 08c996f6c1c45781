package io.ocular.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only window {@code [offset, offset + length)} of another channel, seen as a whole channel: how
 * a JPEG preview embedded in a RAW file is handed to the ordinary JPEG path without copying it. Closing
 * the slice leaves the underlying channel open (its owner closes it).
 */
final class ChannelSlice implements SeekableByteChannel {
    private final SeekableByteChannel channel;
    private final long offset;
    private final long length;
    private long position;

    ChannelSlice(SeekableByteChannel channel, long offset, long length) {
        this.channel = channel;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (position >= length) {
            return -1;
        }
        int want = (int) Math.min(dst.remaining(), length - position);
        ByteBuffer view = dst.slice();
        view.limit(want);
        channel.position(offset + position);
        int n = channel.read(view);
        if (n > 0) {
            dst.position(dst.position() + n);
            position += n;
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position");
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() {
        return length;
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        // the underlying channel belongs to the caller
    }
}
