package io.ocular.search.local;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/**
 * Compact serialisation of {@link LocalFeatures} for the catalog's per-image blobs.
 *
 * <p>Layout (little-endian): {@code 'O' 'L' 'F' version:u8 | projectionId:i32 | width:i32 | height:i32 |
 * dim:u8 | count:u16 | count x (x:u16, y:u16, log2scale:i8, descriptor: dim x i8) | crc32:i32}. Positions are
 * fixed-point fractions of the image size (1/65535, i.e. sub-pixel for any photo); scales are log2 in 1/16
 * steps; descriptors are scalar-quantised to int8 with a fixed step of 1/127 (they are unit vectors, so no
 * per-blob range is needed). 45 bytes per 40-d feature plus 23 bytes per image. Scalar int8 rather than PQ:
 * PQ would save ~4x more but would need codebooks trained per collection and ADC tables per query feature;
 * int8 keeps matching exact enough for the ratio/mutual-NN tests and is trivial to validate.
 */
public final class LocalFeatureCodec {
    public static final int VERSION = 1;
    private static final int HEADER = 19;
    private static final float Q = 127f;

    /** The blob is unreadable (truncated, bit-flipped, unknown version) or made with another projection. */
    public static final class CorruptBlobException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CorruptBlobException(String message) {
            super(message);
        }
    }

    private LocalFeatureCodec() {
    }

    public static int encodedSize(int count, int dim) {
        return HEADER + count * (5 + dim) + 4;
    }

    public static byte[] encode(LocalFeatures f, int projectionId) {
        int n = Math.min(f.count(), 0xFFFF);
        int dim = f.dim();
        if (dim > 255) {
            throw new IllegalArgumentException("descriptor too long for the codec: " + dim);
        }
        ByteBuffer b = ByteBuffer.allocate(encodedSize(n, dim)).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'O').put((byte) 'L').put((byte) 'F').put((byte) VERSION);
        b.putInt(projectionId).putInt(f.width()).putInt(f.height());
        b.put((byte) dim).putShort((short) n);
        float sx = 65535f / Math.max(1, f.width());
        float sy = 65535f / Math.max(1, f.height());
        for (int i = 0; i < n; i++) {
            b.putShort((short) clamp(Math.round(f.x()[i] * sx), 0, 65535));
            b.putShort((short) clamp(Math.round(f.y()[i] * sy), 0, 65535));
            double l2 = Math.log(Math.max(1e-6, f.scale()[i])) / Math.log(2);
            b.put((byte) clamp((int) Math.round(l2 * 16), -128, 127));
            for (int k = 0; k < dim; k++) {
                b.put((byte) clamp(Math.round(f.descriptors()[i * dim + k] * Q), -127, 127));
            }
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /**
     * Decodes a blob; throws {@link CorruptBlobException} when it fails any check (magic, version, length,
     * CRC, projection).
     */
    public static LocalFeatures decode(byte[] data, int expectedProjectionId) {
        if (data == null || data.length < HEADER + 4) {
            throw new CorruptBlobException("local feature blob too short");
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        if (b.get() != 'O' || b.get() != 'L' || b.get() != 'F') {
            throw new CorruptBlobException("not a local feature blob");
        }
        int version = b.get() & 0xFF;
        if (version != VERSION) {
            throw new CorruptBlobException("unsupported local feature blob version " + version);
        }
        CRC32 crc = new CRC32();
        crc.update(data, 0, data.length - 4);
        int stored = ByteBuffer.wrap(data, data.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if ((int) crc.getValue() != stored) {
            throw new CorruptBlobException("local feature blob checksum mismatch");
        }
        int projection = b.getInt();
        int width = b.getInt();
        int height = b.getInt();
        int dim = b.get() & 0xFF;
        int n = b.getShort() & 0xFFFF;
        if (data.length != encodedSize(n, dim) || width <= 0 || height <= 0) {
            throw new CorruptBlobException("local feature blob has an inconsistent length");
        }
        if (projection != expectedProjectionId) {
            throw new CorruptBlobException("local feature blob was made with another PCA projection (stale)");
        }
        float[] x = new float[n];
        float[] y = new float[n];
        float[] s = new float[n];
        float[] d = new float[n * dim];
        float sx = Math.max(1, width) / 65535f;
        float sy = Math.max(1, height) / 65535f;
        for (int i = 0; i < n; i++) {
            x[i] = (b.getShort() & 0xFFFF) * sx;
            y[i] = (b.getShort() & 0xFFFF) * sy;
            s[i] = (float) Math.pow(2, b.get() / 16.0);
            for (int k = 0; k < dim; k++) {
                d[i * dim + k] = b.get() / Q;
            }
            LocalFeatureCompressor.normalise(d, i * dim, dim);
        }
        return new LocalFeatures(width, height, dim, x, y, s, d);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
