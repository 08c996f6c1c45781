package io.ocular.search;

import io.ocular.model.OcularException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A trained self-supervised product quantiser (SPQ, Jang &amp; Cho, ICCV 2021) in plain Java, for search:
 * a small head (linear → ReLU → linear) maps a frozen encoder feature to {@code M} sub-vectors, and each
 * sub-vector is coded by the nearest (cosine) of {@code K} codewords in its own codebook.
 *
 * <p>Training lives in {@code search.train} (DJL PyTorch); this class only holds the weights, so searching
 * never needs PyTorch. Scoring is asymmetric: the query's projected, per-subspace-normalised sub-vectors
 * against the normalised codewords, summed over subspaces ({@link #adcTable}). As a {@link CodeEncoder} it
 * codes the vectors of a {@link PqIndex} (see {@link IndexFactory#spq}); saved with {@link ChecksummedFile}.
 */
public final class SpqModel implements CodeEncoder {
    private static final String FILE_MAGIC = "OCSPQMDL";
    /**
     * 3: the payload may end with the map head's pooling ({@link #MAP_TAIL}); 2: the {@link ChecksummedFile}
     * layout, vector head only (still read); 1 had its own trailer CRC.
     */
    private static final int VERSION = 3;
    private static final int VECTOR_ONLY_VERSION = 2;
    /** Marks the map head's pooling after the weights ("MAPH"). */
    private static final int MAP_TAIL = 0x4D415048;

    /** What the head reads: the encoder's pooled vector, or its spatial feature map with learned pooling. */
    public enum HeadKind {
        VECTOR, MAP;

        /** {@code vector} or {@code map}, as the CLI spells it. */
        public static HeadKind parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "vector" -> VECTOR;
                case "map" -> MAP;
                default -> throw new OcularException("Unknown SPQ head '" + s + "'; use vector or map.");
            };
        }
    }

    private final int inputDim;
    private final int hiddenDim;
    private final int subspaces;
    private final int codewords;
    private final int subDim;
    /** [hidden][input], row-major. */
    private final float[] w1;
    private final float[] b1;
    /** [subspaces * subDim][hidden], row-major. */
    private final float[] w2;
    private final float[] b2;
    /** [subspaces][codewords][subDim] as trained (saved as is, so a reload is bit-identical). */
    private final float[] rawCodebooks;
    /** The same, rows L2-normalised (used for coding and scoring). */
    private final float[] codebooks;
    /** The map head's pooling, or null for the vector head. */
    private final MapPooling pooling;

    public SpqModel(int inputDim, int hiddenDim, int subspaces, int codewords, int subDim,
                    float[] w1, float[] b1, float[] w2, float[] b2, float[] codebooks) {
        this(inputDim, hiddenDim, subspaces, codewords, subDim, w1, b1, w2, b2, codebooks, null);
    }

    /**
     * @param pooling the map head's learned pooling (its output, {@code inputDim} values, feeds the head), or null
     *                for the vector head
     */
    public SpqModel(int inputDim, int hiddenDim, int subspaces, int codewords, int subDim,
                    float[] w1, float[] b1, float[] w2, float[] b2, float[] codebooks, MapPooling pooling) {
        if (pooling != null && pooling.channels() != inputDim) {
            throw new IllegalArgumentException("the map pooling gives " + pooling.channels()
                    + " values, the head reads " + inputDim);
        }
        this.pooling = pooling;
        if (codewords < 2 || codewords > 256) {
            throw new IllegalArgumentException("codewords must be in 2..256 (one byte per subspace)");
        }
        if (inputDim < 1 || hiddenDim < 1 || subspaces < 1 || subDim < 1) {
            // found by Jazzer: subDim 0 with a billion subspaces passed the length checks (0 values) and then
            // "normalised" a billion empty rows for ten minutes
            throw new IllegalArgumentException("dimensions must be positive (input " + inputDim + ", hidden "
                    + hiddenDim + ", subspaces " + subspaces + ", subspace size " + subDim + ")");
        }
        check(w1, Math.multiplyExact(hiddenDim, inputDim), "w1");
        check(b1, hiddenDim, "b1");
        check(w2, Math.multiplyExact(Math.multiplyExact(subspaces, subDim), hiddenDim), "w2");
        check(b2, Math.multiplyExact(subspaces, subDim), "b2");
        check(codebooks, Math.multiplyExact(Math.multiplyExact(subspaces, codewords), subDim), "codebooks");
        this.inputDim = inputDim;
        this.hiddenDim = hiddenDim;
        this.subspaces = subspaces;
        this.codewords = codewords;
        this.subDim = subDim;
        this.w1 = w1;
        this.b1 = b1;
        this.w2 = w2;
        this.b2 = b2;
        this.rawCodebooks = codebooks.clone();
        this.codebooks = codebooks.clone();
        for (int r = 0; r < subspaces * codewords; r++) {
            normalise(this.codebooks, r * subDim, subDim);
        }
    }

    private static void check(float[] a, int len, String name) {
        if (a.length != len) {
            throw new IllegalArgumentException(name + " has " + a.length + " values, expected " + len);
        }
        for (float v : a) {
            if (!Float.isFinite(v)) {
                throw new OcularException("the SPQ model has a non-finite weight in " + name + "; retrain it");
            }
        }
    }

    public HeadKind headKind() {
        return pooling == null ? HeadKind.VECTOR : HeadKind.MAP;
    }

    /** The map head's pooling, or null for the vector head. */
    public MapPooling pooling() {
        return pooling;
    }

    /**
     * The map head's input to {@link #encode(float[])} / {@link #adcTable}: the learned pooling of a feature map.
     *
     * @throws IllegalStateException for a vector head
     */
    public float[] poolMap(float[] map, int cells) {
        if (pooling == null) {
            throw new IllegalStateException("a vector-head SPQ model reads pooled vectors, not feature maps");
        }
        return pooling.pool(map, cells);
    }

    public int inputDim() {
        return inputDim;
    }

    public int subspaces() {
        return subspaces;
    }

    public int codewords() {
        return codewords;
    }

    public int subDim() {
        return subDim;
    }

    /** Bits per code: subspaces × log2(codewords). */
    public int bits() {
        return subspaces * (32 - Integer.numberOfLeadingZeros(codewords - 1));
    }

    @Override
    public int dimension() {
        return inputDim;
    }

    @Override
    public int codeBytes() {
        return subspaces;
    }

    @Override
    public boolean linear() {
        return false;
    }

    @Override
    public void encode(float[] v, int vOff, byte[] out, int outOff) {
        float[] feature = vOff == 0 && v.length == inputDim ? v : Arrays.copyOfRange(v, vOff, vOff + inputDim);
        System.arraycopy(encode(feature), 0, out, outOff, subspaces);
    }

    @Override
    public void innerProductTable(float[] query, float[] lut) {
        float[] table = adcTable(query);
        for (int m = 0; m < subspaces; m++) {
            System.arraycopy(table, m * codewords, lut, m * ProductQuantizer.KSUB, codewords);
        }
    }

    /** Copies of the weights in training order: w1, b1, w2, b2, codebooks (as trained). */
    public float[][] weights() {
        return new float[][]{w1.clone(), b1.clone(), w2.clone(), b2.clone(), rawCodebooks.clone()};
    }

    /** The head's output for one feature, each sub-vector L2-normalised. */
    public float[] project(float[] feature) {
        if (feature.length != inputDim) {
            throw new IllegalArgumentException("feature has " + feature.length + " dimensions, the SPQ model expects " + inputDim);
        }
        float[] h = new float[hiddenDim];
        for (int i = 0; i < hiddenDim; i++) {
            float s = b1[i];
            int off = i * inputDim;
            for (int j = 0; j < inputDim; j++) {
                s += w1[off + j] * feature[j];
            }
            h[i] = Math.max(0f, s);
        }
        int out = subspaces * subDim;
        float[] z = new float[out];
        for (int i = 0; i < out; i++) {
            float s = b2[i];
            int off = i * hiddenDim;
            for (int j = 0; j < hiddenDim; j++) {
                s += w2[off + j] * h[j];
            }
            z[i] = s;
        }
        for (int m = 0; m < subspaces; m++) {
            normalise(z, m * subDim, subDim);
        }
        return z;
    }

    /** One byte per subspace: the index of the most similar codeword. */
    public byte[] encode(float[] feature) {
        float[] z = project(feature);
        byte[] code = new byte[subspaces];
        for (int m = 0; m < subspaces; m++) {
            int best = 0;
            float bestSim = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < codewords; k++) {
                float s = VectorMath.dot(z, m * subDim, codebooks, (m * codewords + k) * subDim, subDim);
                if (s > bestSim) {
                    bestSim = s;
                    best = k;
                }
            }
            code[m] = (byte) best;
        }
        return code;
    }

    /** Asymmetric distance table for a query: {@code table[m * K + k]} = sim(query sub-vector m, codeword k). */
    public float[] adcTable(float[] queryFeature) {
        float[] z = project(queryFeature);
        float[] table = new float[subspaces * codewords];
        for (int m = 0; m < subspaces; m++) {
            for (int k = 0; k < codewords; k++) {
                table[m * codewords + k] = VectorMath.dot(z, m * subDim, codebooks, (m * codewords + k) * subDim, subDim);
            }
        }
        return table;
    }

    /** Score of one code under a table from {@link #adcTable}: the sum over subspaces (higher is closer). */
    public float score(float[] table, byte[] codes, int offset) {
        float s = 0;
        for (int m = 0; m < subspaces; m++) {
            s += table[m * codewords + (codes[offset + m] & 0xFF)];
        }
        return s;
    }

    private static void normalise(float[] a, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) a[off + i] * a[off + i];
        }
        if (s > 0) {
            float inv = (float) (1.0 / Math.sqrt(s));
            for (int i = 0; i < n; i++) {
                a[off + i] *= inv;
            }
        }
    }

    // ---- persistence: a ChecksummedFile whose payload is the shape and the weights ----------------------

    /** The shape and the weights (also the SPQ part of a saved {@link PqIndex}). */
    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (int v : new int[]{inputDim, hiddenDim, subspaces, codewords, subDim}) {
                out.writeInt(v);
            }
            for (float[] a : new float[][]{w1, b1, w2, b2, rawCodebooks}) {
                writeFloats(out, a);
            }
            if (pooling != null) {
                out.writeInt(MAP_TAIL);
                out.writeFloat(pooling.p());
                writeFloats(out, pooling.attention());
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    /** Reads {@link #toBytes}; a payload that does not make a model throws an {@link OcularException}. */
    static SpqModel fromBytes(byte[] payload) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int inputDim = in.readInt();
            int hidden = in.readInt();
            int m = in.readInt();
            int k = in.readInt();
            int sub = in.readInt();
            float[][] w = {readFloats(in), readFloats(in), readFloats(in), readFloats(in), readFloats(in)};
            MapPooling pooling = null;
            if (in.available() > 0) {
                if (in.readInt() != MAP_TAIL) {
                    throw new OcularException("the SPQ model data is corrupted (unknown trailing section)");
                }
                float p = in.readFloat();
                pooling = new MapPooling(inputDim, p, readFloats(in));
                if (in.available() > 0) {
                    throw new OcularException("the SPQ model data is corrupted (trailing bytes)");
                }
            }
            return new SpqModel(inputDim, hidden, m, k, sub, w[0], w[1], w[2], w[3], w[4], pooling);
        } catch (EOFException | IllegalArgumentException | IndexOutOfBoundsException | ArithmeticException e) {
            // IndexOutOfBounds: sizes that multiply to the array lengths but are not usable, e.g. subDim 0 (fuzzing)
            throw new OcularException("the SPQ model data is truncated or inconsistent: " + e.getMessage());
        }
    }

    /** Writes the model atomically with a checksum. */
    public void save(Path file) throws IOException {
        ChecksummedFile.write(file, FILE_MAGIC, VERSION, toBytes());
    }

    /** Loads a saved model; a truncated, corrupted or foreign file is reported as such (the caller retrains). */
    public static SpqModel load(Path file) throws IOException {
        return fromFile(file.getFileName().toString(), version -> ChecksummedFile.read(file, FILE_MAGIC, version));
    }

    /** {@link #load} of a whole file already in memory (the fuzz tests: no disk per execution). */
    static SpqModel fromFileBytes(String name, byte[] file) throws IOException {
        return fromFile(name, version -> ChecksummedFile.decode(name, file, FILE_MAGIC, version));
    }

    /** Reads a file's payload expecting a given format version. */
    @FunctionalInterface
    private interface VersionedRead {
        byte[] payload(int version) throws IOException;
    }

    private static SpqModel fromFile(String name, VersionedRead file) throws IOException {
        byte[] payload;
        try {
            try {
                payload = file.payload(VERSION);
            } catch (ChecksummedFile.CorruptIndexException e) {
                if (!e.getMessage().contains("format version " + VECTOR_ONLY_VERSION + ",")) {
                    throw e;
                }
                payload = file.payload(VECTOR_ONLY_VERSION);   // saved before map heads
            }
        } catch (ChecksummedFile.CorruptIndexException e) {
            throw new OcularException("the SPQ model file " + name + " cannot be used: " + e.getMessage());
        }
        return fromBytes(payload);
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        ByteBuffer b = ByteBuffer.allocate(a.length * 4);
        b.asFloatBuffer().put(a);
        out.write(b.array());
    }

    private static float[] readFloats(InputStream in) throws IOException {
        DataInputStream d = (DataInputStream) in;
        int n = d.readInt();
        if (n < 0 || n > 1 << 28) {
            throw new OcularException("the SPQ model file is corrupted (bad array length)");
        }
        byte[] raw = d.readNBytes(n * 4);
        if (raw.length != n * 4) {
            throw new OcularException("the SPQ model file is truncated");
        }
        float[] a = new float[n];
        ByteBuffer.wrap(raw).asFloatBuffer().get(a);
        return a;
    }
}
