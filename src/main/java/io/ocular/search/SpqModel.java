package io.ocular.search;

import io.ocular.model.OcularException;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;

/**
 * A trained self-supervised product quantiser (SPQ, Jang &amp; Cho, ICCV 2021) in plain Java, for search:
 * a small head (linear → ReLU → linear) maps a frozen encoder feature to {@code M} sub-vectors, and each
 * sub-vector is coded by the nearest (cosine) of {@code K} codewords in its own codebook.
 *
 * <p>Training lives in {@code search.train} (DJL PyTorch); this class only holds the weights, so searching
 * never needs PyTorch. Scoring is asymmetric: the query's projected, per-subspace-normalised sub-vectors
 * against the normalised codewords, summed over subspaces ({@link #adcTable}).
 */
public final class SpqModel {
    private static final int MAGIC = 0x4F535051; // "OSPQ"
    private static final int VERSION = 1;

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

    public SpqModel(int inputDim, int hiddenDim, int subspaces, int codewords, int subDim,
                    float[] w1, float[] b1, float[] w2, float[] b2, float[] codebooks) {
        if (codewords < 2 || codewords > 256) {
            throw new IllegalArgumentException("codewords must be in 2..256 (one byte per subspace)");
        }
        check(w1, hiddenDim * inputDim, "w1");
        check(b1, hiddenDim, "b1");
        check(w2, subspaces * subDim * hiddenDim, "w2");
        check(b2, subspaces * subDim, "b2");
        check(codebooks, subspaces * codewords * subDim, "codebooks");
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

    // ---- persistence: header, arrays, CRC32 of everything before it ---------------------------------

    public void save(Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            for (int v : new int[]{inputDim, hiddenDim, subspaces, codewords, subDim}) {
                out.writeInt(v);
            }
            for (float[] a : new float[][]{w1, b1, w2, b2, rawCodebooks}) {
                writeFloats(out, a);
            }
        }
        byte[] body = bytes.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(body);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(body);
            out.write(ByteBuffer.allocate(8).putLong(crc.getValue()).array());
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Loads a saved model; a truncated or corrupted file is reported as such (the caller retrains). */
    public static SpqModel load(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 8 + 28) {
            throw new OcularException("the SPQ model file " + file.getFileName() + " is truncated");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        if (crc.getValue() != ByteBuffer.wrap(all, all.length - 8, 8).getLong()) {
            throw new OcularException("the SPQ model file " + file.getFileName() + " is corrupted (checksum mismatch)");
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all, 0, all.length - 8))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new OcularException("the file " + file.getFileName() + " is not an SPQ model of this version");
            }
            int inputDim = in.readInt();
            int hidden = in.readInt();
            int m = in.readInt();
            int k = in.readInt();
            int sub = in.readInt();
            return new SpqModel(inputDim, hidden, m, k, sub, readFloats(in), readFloats(in), readFloats(in),
                    readFloats(in), readFloats(in));
        }
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
