package io.ocular.search;

import io.ocular.store.EmbeddingMatrix;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Full-precision vectors in a memory-mapped file, for exact re-ranking without keeping every vector on the
 * Java heap (the OS pages in only the rows that candidates touch). Layout: 8-byte magic, int dimension,
 * long rows, the ids (longs), then the rows (little-endian floats). Mapped in segments of whole rows below
 * 1 GiB each, since one mapping is limited to 2 GiB. Read-only and thread-safe once opened.
 *
 * <p>Not a {@link ChecksummedFile}: a whole-file checksum would read every page at open; the file size is
 * checked against the header instead. Reached only by tests today: the compact-codes issue (13) wires it in
 * as the full-vector tier behind the live engine's compact codes.
 */
public final class MappedVectorFile implements VectorSource, AutoCloseable {
    private static final byte[] MAGIC = "OCVECS01".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 8 + 4 + 8;
    private static final long SEGMENT_BYTES = 1L << 30;

    private final int dimension;
    private final Map<Long, Integer> rowOf;
    private final FloatBuffer[] segments;
    private final int rowsPerSegment;
    private final FileChannel channel;

    private MappedVectorFile(int dimension, Map<Long, Integer> rowOf, FloatBuffer[] segments, int rowsPerSegment,
                             FileChannel channel) {
        this.dimension = dimension;
        this.rowOf = rowOf;
        this.segments = segments;
        this.rowsPerSegment = rowsPerSegment;
        this.channel = channel;
    }

    /** Writes {@code matrix} to {@code file} (atomically: temp file, then move). */
    public static void write(Path file, EmbeddingMatrix matrix) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                out.write(MAGIC);
                out.writeInt(matrix.dimension());
                out.writeLong(matrix.rows());
                for (long id : matrix.ids()) {
                    out.writeLong(id);
                }
                ByteBuffer buf = ByteBuffer.allocate(4 * 4096).order(ByteOrder.LITTLE_ENDIAN);
                float[] data = matrix.data();
                for (int i = 0; i < data.length; i += 4096) {
                    int len = Math.min(4096, data.length - i);
                    buf.clear();
                    buf.asFloatBuffer().put(data, i, len);
                    out.write(buf.array(), 0, len * 4);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static MappedVectorFile open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate(HEADER);
            if (size < HEADER || ch.read(head, 0) != HEADER) {
                throw new IOException(file + " is truncated");
            }
            head.flip();
            byte[] m = new byte[8];
            head.get(m);
            if (!Arrays.equals(m, MAGIC)) {
                throw new IOException(file + " is not a vector file");
            }
            int dim = head.getInt();
            long rows = head.getLong();
            if (dim < 1 || rows < 0 || rows > Integer.MAX_VALUE
                    || size != HEADER + rows * 8 + rows * dim * 4L) {
                throw new IOException(file + " is truncated or damaged (size does not match its header)");
            }
            ByteBuffer idBuf = ch.map(FileChannel.MapMode.READ_ONLY, HEADER, rows * 8);
            Map<Long, Integer> rowOf = new HashMap<>((int) (rows * 4 / 3) + 1);
            for (int i = 0; i < rows; i++) {
                rowOf.put(idBuf.getLong(), i);
            }
            int rowsPerSegment = (int) Math.max(1, SEGMENT_BYTES / (dim * 4L));
            int nSeg = (int) ((rows + rowsPerSegment - 1) / rowsPerSegment);
            FloatBuffer[] segs = new FloatBuffer[nSeg];
            long base = HEADER + rows * 8;
            for (int s = 0; s < nSeg; s++) {
                long firstRow = (long) s * rowsPerSegment;
                long segRows = Math.min(rowsPerSegment, rows - firstRow);
                segs[s] = ch.map(FileChannel.MapMode.READ_ONLY, base + firstRow * dim * 4, segRows * dim * 4)
                        .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            }
            return new MappedVectorFile(dim, rowOf, segs, rowsPerSegment, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public int dimension() {
        return dimension;
    }

    public int rows() {
        return rowOf.size();
    }

    @Override
    public float dot(long id, float[] query) {
        Integer row = rowOf.get(id);
        if (row == null) {
            return Float.NaN;
        }
        float[] v = new float[dimension];
        segments[row / rowsPerSegment].get((row % rowsPerSegment) * dimension, v, 0, dimension);
        return VectorMath.dot(query, 0, v, 0, dimension);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
