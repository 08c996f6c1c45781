package io.ocular.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The decoder's image stream reads what the channel holds, drops its buffer when closed, and is not finalizable
 * (JDK 17's {@code ImageInputStreamImpl.finalize()} kept every stream and its 64 KB buffer alive past its first GC:
 * the 100,000-photo soak found hundreds of them after a full GC, docs/decisions/0260).
 */
class ChannelImageInputStreamTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheBytesAndSeeks() throws IOException {
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Path file = Files.write(tmp.resolve("data.bin"), data);
        try (ChannelImageInputStream in = new ChannelImageInputStream(FileChannel.open(file))) {
            assertThat(in.length()).isEqualTo(data.length);
            assertThat(in.read()).isEqualTo(data[0] & 0xff);
            in.seek(150_000);
            byte[] got = new byte[10];
            in.readFully(got);
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).isEqualTo(data[150_000 + i]);
            }
            in.seek(5);
            assertThat(in.read()).isEqualTo(data[5] & 0xff);
        }
    }

    @Test
    void closingDropsTheBufferAndTheChannel() throws IOException {
        Path file = Files.write(tmp.resolve("small.bin"), new byte[]{1, 2, 3});
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        ChannelImageInputStream in = new ChannelImageInputStream(channel);
        assertThat(in.read()).isEqualTo(1);
        assertThat(in.holdsBuffer()).isTrue();
        in.close();
        assertThat(in.holdsBuffer()).isFalse();
        assertThat(channel.isOpen()).isFalse();
        assertThatThrownBy(in::read).isInstanceOf(IOException.class);
    }

    /**
     * An unreachable stream is gone after one full GC. A finalizable one is not: the GC keeps it (and its buffer)
     * for the finalizer thread, and only a later GC after {@code finalize()} ran could free it, so its phantom
     * reference would not be enqueued after the one {@code System.gc()} here.
     */
    @Test
    void anUnreachableStreamIsFreedByOneGcWithoutFinalization() throws Exception {
        Path file = Files.write(tmp.resolve("x.bin"), new byte[]{1, 2, 3});
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        try (FileChannel channel = FileChannel.open(file)) {
            PhantomReference<Object> ref = unreachableStream(channel, queue);
            System.gc();
            Reference<?> freed = queue.remove(30_000);
            assertThat(freed).as("the stream was freed by one GC, not held for finalization").isSameAs(ref);
        }
    }

    /** Made in its own frame so that no local variable of the test keeps the stream reachable. */
    private static PhantomReference<Object> unreachableStream(FileChannel channel, ReferenceQueue<Object> queue)
            throws IOException {
        ChannelImageInputStream in = new ChannelImageInputStream(channel);
        in.read(); // not closed: as the decoder left it before the fix
        return new PhantomReference<>(in, queue);
    }
}
