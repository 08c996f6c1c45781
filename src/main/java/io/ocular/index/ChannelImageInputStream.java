package io.ocular.index;

import javax.imageio.stream.ImageInputStreamImpl;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/**
 * A buffered {@link javax.imageio.stream.ImageInputStream} over a {@link SeekableByteChannel}.
 *
 * <p>Hand-written because the JDK has none for channels and TwelveMonkeys' equivalent
 * ({@code BufferedChannelImageInputStream}) is package-private; going through a channel lets the decoder
 * use the injectable {@link FileAccess} (and its failures) instead of opening files itself. Seeking is
 * random access on the channel, so nothing is cached in memory beyond one buffer.
 *
 * <p>Not finalizable: JDK 17's {@link ImageInputStreamImpl} declares {@code finalize()}, so every stream would be
 * registered with the finalizer and survive its first GC with its 64 KB buffer until the one finalizer
 * thread got to it. The 100,000-photo soak (docs/decisions/0260) found hundreds of them (50+ MB) alive after a
 * full GC, more the busier the machine. The empty {@link #finalize()} below opts this class out (HotSpot does
 * not register objects whose class overrides {@code finalize} with an empty method); the decoder closes the
 * stream, and the channel belongs to the caller, who closes it.
 */
final class ChannelImageInputStream extends ImageInputStreamImpl {
    private static final int BUFFER_SIZE = 64 * 1024;
    /**
     * Reads at the end of the file tolerated before the stream gives up with an unchecked exception. Some
     * decoders catch EOFException and carry on (TwelveMonkeys' WebP lossless bit reader does, per bit): on a
     * truncated file they then spin through every remaining pixel, an exception per read, for minutes or hours
     * (found by fuzzing). A sane decoder reads the end once or a few times. 256, not 4096: each read at the end
     * costs the decoder an exception with its stack (tens of microseconds), and 4096 of them made a 60-byte
     * truncated WebP cost 100 ms (found by fuzzing, the slowest inputs of the image target).
     */
    static final int MAX_READS_AT_END = 256;

    private final SeekableByteChannel channel;
    private ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE); // null once closed
    /** File position of buffer index 0. */
    private long bufferStart;
    private int readsAtEnd;

    ChannelImageInputStream(SeekableByteChannel channel) {
        this.channel = channel;
        buffer.limit(0);
    }

    private boolean fill() throws IOException {
        long pos = streamPos;
        if (pos >= bufferStart && pos < bufferStart + buffer.limit()) {
            buffer.position((int) (pos - bufferStart));
            return true;
        }
        channel.position(pos);
        buffer.clear();
        int n;
        do {
            n = channel.read(buffer);
        } while (n == 0);
        buffer.flip();
        bufferStart = pos;
        return n > 0;
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        bitOffset = 0;
        if (!fill()) {
            return atEnd();
        }
        int b = buffer.get() & 0xff;
        streamPos++;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkClosed();
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return atEnd();
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        streamPos += n;
        return n;
    }

    private int atEnd() {
        if (++readsAtEnd > MAX_READS_AT_END) {
            throw new UncheckedIOException(new EOFException(
                    "the decoder kept reading past the end of the file (truncated image)"));
        }
        return -1;
    }

    @Override
    public long length() {
        try {
            return channel.size();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        super.close();
        buffer = null;
        channel.close();
    }

    /** Whether the read buffer is still held (it is dropped at {@link #close()}). */
    boolean holdsBuffer() {
        return buffer != null;
    }

    /**
     * Empty on purpose: keeps instances off the finalizer queue (see the class comment). Must stay empty: a
     * finalizer with any code in it, a call to super included, registers every instance again.
     */
    @Override
    @SuppressWarnings({"deprecation", "removal"})
    protected void finalize() {
    }
}
