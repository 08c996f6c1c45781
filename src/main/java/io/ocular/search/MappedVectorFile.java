package io.ocular.search;

import io.ocular.store.EmbeddingMatrix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.LongPredicate;
import java.util.stream.IntStream;

/**
 * Full-precision vectors in a memory-mapped file, for exact re-ranking without keeping every vector on the
 * Java heap (the OS pages in only the rows that candidates touch). Layout: 8-byte magic, int dimension,
 * long rows, the rows (little-endian floats), then their ids (longs, strictly ascending; after the rows so a
 * writer streams rows once and appends the ids it kept aside). An id is found by
 * binary search over the mapped ids, so the file costs no heap per vector at all. Mapped in segments of whole
 * rows below 1 GiB each, since one mapping is limited to 2 GiB. Read-only and thread-safe once opened.
 *
 * <p>Not a {@link ChecksummedFile}: a whole-file checksum would read every page at open; the file size is
 * checked against the header and the ids must ascend (a cheap read of 8 bytes per vector) instead.
 */
public final class MappedVectorFile implements VectorSource, AutoCloseable {
    private static final byte[] MAGIC = "OCVECS02".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 8 + 4 + 8;
    private static final long SEGMENT_BYTES = 1L << 30;
    /** Rows copied out of the mapping at a time by {@link #scan}. */
    private static final int SCAN_BLOCK = 64;

    private final int dimension;
    private final int rows;
    private final LongBuffer ids;
    private final FloatBuffer[] segments;
    private final int rowsPerSegment;
    private final FileChannel channel;
    private final ThreadLocal<float[]> rowBuffer;

    private MappedVectorFile(int dimension, int rows, LongBuffer ids, FloatBuffer[] segments, int rowsPerSegment,
                             FileChannel channel) {
        this.dimension = dimension;
        this.rows = rows;
        this.ids = ids;
        this.segments = segments;
        this.rowsPerSegment = rowsPerSegment;
        this.channel = channel;
        this.rowBuffer = ThreadLocal.withInitial(() -> new float[dimension]);
    }

    /** Writes {@code matrix} to {@code file} (atomically: temp file, then move), rows sorted by id. */
    public static void write(Path file, EmbeddingMatrix matrix) throws IOException {
        long[] ids = matrix.ids();
        int d = matrix.dimension();
        Integer[] order = IntStream.range(0, ids.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingLong(i -> ids[i]));
        try (Writer w = Writer.create(file, d)) {
            float[] row = new float[d];
            for (int i : order) {
                System.arraycopy(matrix.data(), i * d, row, 0, d);
                w.append(ids[i], row);
            }
            w.finish();
        }
    }

    /**
     * Streams vectors into a new file in ascending id order, then moves it into place atomically; nothing is
     * held but one row. {@link #close} without {@link #finish} discards the temp file.
     */
    public static final class Writer implements AutoCloseable {
        private final Path file;
        private final Path tmp;
        private final Path idsTmp;
        private final int dimension;
        private final FileChannel vectors;
        private final FileChannel idOut;
        private final ByteBuffer rowBuf;
        private final ByteBuffer idBuf = ByteBuffer.allocate(8 * 8192).order(ByteOrder.BIG_ENDIAN);
        private long rows;
        private long lastId = Long.MIN_VALUE;
        private boolean finished;

        private Writer(Path file, int dimension) throws IOException {
            if (dimension < 1) {
                throw new IllegalArgumentException("dimension must be positive: " + dimension);
            }
            this.file = file;
            this.dimension = dimension;
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            this.tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            this.idsTmp = Files.createTempFile(dir, file.getFileName().toString(), ".ids.tmp");
            this.vectors = FileChannel.open(tmp, StandardOpenOption.WRITE);
            vectors.position(HEADER); // the header is written last, once the row count is known
            this.idOut = FileChannel.open(idsTmp, StandardOpenOption.WRITE);
            this.rowBuf = ByteBuffer.allocate(dimension * 4 * 64).order(ByteOrder.LITTLE_ENDIAN);
        }

        public static Writer create(Path file, int dimension) throws IOException {
            return new Writer(file, dimension);
        }

        /** Appends one row; ids must strictly ascend. */
        public void append(long id, float[] vector) throws IOException {
            if (vector.length != dimension) {
                throw new IllegalArgumentException("vector of image " + id + " has " + vector.length
                        + " values, expected " + dimension);
            }
            if (rows > 0 && id <= lastId) {
                throw new IllegalArgumentException("ids must ascend: " + id + " after " + lastId);
            }
            lastId = id;
            if (rowBuf.remaining() < dimension * 4) {
                flushRows();
            }
            for (float f : vector) {
                rowBuf.putFloat(f);
            }
            if (!idBuf.hasRemaining()) {
                flushIds();
            }
            idBuf.putLong(id);
            rows++;
        }

        private void flushRows() throws IOException {
            rowBuf.flip();
            while (rowBuf.hasRemaining()) {
                vectors.write(rowBuf);
            }
            rowBuf.clear();
        }

        private void flushIds() throws IOException {
            idBuf.flip();
            while (idBuf.hasRemaining()) {
                idOut.write(idBuf);
            }
            idBuf.clear();
        }

        /** Appends the ids after the rows, writes the header and moves the file into place. */
        public void finish() throws IOException {
            flushRows();
            flushIds();
            idOut.close();
            if (rows > Integer.MAX_VALUE) {
                throw new IOException("too many vectors for one file: " + rows);
            }
            try (FileChannel idIn = FileChannel.open(idsTmp, StandardOpenOption.READ)) {
                transfer(idIn, vectors);
            }
            ByteBuffer head = ByteBuffer.allocate(HEADER);
            head.put(MAGIC).putInt(dimension).putLong(rows).flip();
            long at = 0;
            while (head.hasRemaining()) {
                at += vectors.write(head, at);
            }
            vectors.force(true);
            vectors.close();
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            finished = true;
        }

        private static void transfer(FileChannel in, FileChannel out) throws IOException {
            long size = in.size();
            long done = 0;
            while (done < size) {
                done += in.transferTo(done, size - done, out);
            }
            out.position(out.size());
        }

        @Override
        public void close() throws IOException {
            if (!finished) {
                idOut.close();
                vectors.close();
            }
            // a failed finish leaves its temp files behind for nobody: remove them
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(idsTmp);
        }
    }

    /**
     * Maps {@code file}.
     *
     * @throws IOException when it is missing, not a vector file, truncated, or its ids do not ascend
     */
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
                throw new IOException(file + " is not a vector file of this version");
            }
            int dim = head.getInt();
            long rows = head.getLong();
            if (dim < 1 || rows < 0 || rows > Integer.MAX_VALUE
                    || size != HEADER + rows * 8 + rows * dim * 4L) {
                throw new IOException(file + " is truncated or damaged (size does not match its header)");
            }
            LongBuffer idBuf = ch.map(FileChannel.MapMode.READ_ONLY, HEADER + rows * dim * 4L, rows * 8)
                    .asLongBuffer();
            for (int i = 1; i < rows; i++) {
                if (idBuf.get(i) <= idBuf.get(i - 1)) {
                    throw new IOException(file + " is damaged (its ids do not ascend at row " + i + ")");
                }
            }
            int rowsPerSegment = (int) Math.max(1, SEGMENT_BYTES / (dim * 4L));
            int nSeg = (int) ((rows + rowsPerSegment - 1) / rowsPerSegment);
            FloatBuffer[] segs = new FloatBuffer[nSeg];
            long base = HEADER;
            for (int s = 0; s < nSeg; s++) {
                long firstRow = (long) s * rowsPerSegment;
                long segRows = Math.min(rowsPerSegment, rows - firstRow);
                segs[s] = ch.map(FileChannel.MapMode.READ_ONLY, base + firstRow * dim * 4, segRows * dim * 4)
                        .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            }
            return new MappedVectorFile(dim, (int) rows, idBuf, segs, rowsPerSegment, ch);
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
        return rows;
    }

    /** The id of row {@code row}. */
    public long id(int row) {
        return ids.get(row);
    }

    /** The row holding {@code id}, or -1 (binary search over the mapped ids). */
    public int rowOf(long id) {
        int lo = 0;
        int hi = rows - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = ids.get(mid);
            if (v < id) {
                lo = mid + 1;
            } else if (v > id) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** Copies row {@code row} into {@code dst[off .. off + dimension)}. */
    public void copy(int row, float[] dst, int off) {
        segments[row / rowsPerSegment].get((row % rowsPerSegment) * dimension, dst, off, dimension);
    }

    @Override
    public float dot(long id, float[] query) {
        int row = rowOf(id);
        if (row < 0) {
            return Float.NaN;
        }
        float[] v = rowBuffer.get();
        copy(row, v, 0);
        return VectorMath.dot(query, 0, v, 0, dimension);
    }

    /**
     * Scores rows [from, to) into {@code top}, leaving out ids {@code skip} accepts (null: none). Rows are copied
     * out of the mapping a block at a time, so only the pages scanned are touched.
     */
    public void scan(float[] q, TopK top, int from, int to, LongPredicate skip) {
        float[] block = new float[SCAN_BLOCK * dimension];
        float[] scores = new float[4];
        int dim = dimension;
        for (int row = from; row < to; ) {
            int seg = row / rowsPerSegment;
            int n = Math.min(Math.min(SCAN_BLOCK, to - row), (seg + 1) * rowsPerSegment - row);
            segments[seg].get((row % rowsPerSegment) * dim, block, 0, n * dim);
            int i = 0;
            for (; i + 4 <= n; i += 4) {
                VectorMath.dot4(q, block, i * dim, dim, scores, 0);
                for (int j = 0; j < 4; j++) {
                    offer(top, row + i + j, scores[j], skip);
                }
            }
            for (; i < n; i++) {
                offer(top, row + i, VectorMath.dot(q, 0, block, i * dim, dim), skip);
            }
            row += n;
        }
    }

    private void offer(TopK top, int row, float score, LongPredicate skip) {
        if (score >= top.threshold()) {
            long id = ids.get(row);
            if (skip == null || !skip.test(id)) {
                top.offer(id, score);
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
