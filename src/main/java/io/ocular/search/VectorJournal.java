package io.ocular.search;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The changes to a {@link MappedVectors} base file since it was written, appended one record per add or
 * remove: {@code [op][id][floats...][crc32]} (op 1 = add with the vector, 2 = remove). Replayed at open; a
 * torn or damaged tail (a crash mid-write) ends the replay and is cut off, keeping every record before it.
 * Not forced to disk per record: the catalog is the source of truth and the engine reconciles ids with it
 * at open; what a crash can lose is the new content of a vector replaced in the last moments (0050).
 */
final class VectorJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VectorJournal.class);
    private static final byte[] MAGIC = "OCVJRNL1".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 8 + 4;
    private static final byte ADD = 1;
    private static final byte REMOVE = 2;

    /** Receives replayed records; {@code vector} is null for a removal. */
    @FunctionalInterface
    interface Replay {
        void apply(long id, float[] vector);
    }

    private final Path file;
    private final int dimension;
    private FileChannel channel;
    private final ByteBuffer record;
    private final CRC32 crc = new CRC32();

    private VectorJournal(Path file, int dimension, FileChannel channel) {
        this.file = file;
        this.dimension = dimension;
        this.channel = channel;
        this.record = ByteBuffer.allocate(1 + 8 + 4 * dimension + 4).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Opens (or creates) the journal and replays what it holds into {@code replay}. */
    static VectorJournal open(Path file, int dimension, Replay replay) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            VectorJournal j = new VectorJournal(file, dimension, ch);
            j.replay(replay);
            return j;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void replay(Replay replay) throws IOException {
        long size = channel.size();
        ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        boolean valid = size >= HEADER && channel.read(head, 0) == HEADER;
        if (valid) {
            head.flip();
            byte[] m = new byte[8];
            head.get(m);
            valid = Arrays.equals(m, MAGIC) && head.getInt() == dimension;
        }
        if (!valid) {
            if (size > 0) {
                LOG.warn("{} is not a journal of {}-value vectors; starting it afresh", file, dimension);
            }
            reset();
            return;
        }
        long pos = HEADER;
        int applied = 0;
        ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        buf.limit(0);
        long bufStart = pos;
        while (true) {
            // make sure the largest record fits in the buffer from pos on
            if (pos - bufStart + record.capacity() > buf.limit()) {
                buf.clear();
                bufStart = pos;
                int read = 0;
                while (buf.hasRemaining()) {
                    int r = channel.read(buf, pos + read);
                    if (r <= 0) {
                        break;
                    }
                    read += r;
                }
                buf.flip();
            }
            int at = (int) (pos - bufStart);
            if (at + 1 + 8 + 4 > buf.limit()) {
                break;
            }
            byte op = buf.get(at);
            int len = op == ADD ? 1 + 8 + 4 * dimension : op == REMOVE ? 1 + 8 : -1;
            if (len < 0 || at + len + 4 > buf.limit()) {
                break;
            }
            crc.reset();
            crc.update(buf.array(), at, len);
            if ((int) crc.getValue() != buf.getInt(at + len)) {
                break;
            }
            long id = buf.getLong(at + 1);
            float[] v = null;
            if (op == ADD) {
                v = new float[dimension];
                for (int i = 0; i < dimension; i++) {
                    v[i] = buf.getFloat(at + 9 + 4 * i);
                }
            }
            replay.apply(id, v);
            applied++;
            pos += len + 4;
        }
        if (pos < size) {
            LOG.warn("{}: the last {} bytes are torn or damaged (a crash while writing); {} changes kept", file,
                    size - pos, applied);
            channel.truncate(pos);
        }
        channel.position(pos);
    }

    /** Appends one change; {@code vector} null records a removal. */
    void append(long id, float[] vector) {
        record.clear();
        record.put(vector == null ? REMOVE : ADD).putLong(id);
        if (vector != null) {
            for (float f : vector) {
                record.putFloat(f);
            }
        }
        int len = record.position();
        crc.reset();
        crc.update(record.array(), 0, len);
        record.putInt((int) crc.getValue());
        record.flip();
        try {
            while (record.hasRemaining()) {
                channel.write(record);
            }
        } catch (IOException e) {
            // the change is in memory and in the catalog; the next start reconciles ids with the catalog
            LOG.warn("could not append to {}: {}", file, e.getMessage());
        }
    }

    /** Empties the journal (after its changes went into a new base file). */
    void reset() throws IOException {
        channel.truncate(0);
        ByteBuffer head = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).putInt(dimension).flip();
        channel.position(0);
        while (head.hasRemaining()) {
            channel.write(head);
        }
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
