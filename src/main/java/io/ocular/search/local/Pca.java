package io.ocular.search.local;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * PCA projection {@code y = P (x - mean)} to the leading {@code outDim} principal axes, fitted with EJML's
 * symmetric eigen-decomposition of the sample covariance. Persisted with {@link #toBytes()}; {@link #id()} is a
 * checksum of the parameters so that blobs made with another projection are recognised as stale.
 */
public final class Pca {
    private static final int MAGIC = 0x4F504341; // "OPCA"

    private final int inDim;
    private final int outDim;
    private final float[] mean;
    private final float[] components; // [outDim][inDim]
    private final int id;

    Pca(int inDim, int outDim, float[] mean, float[] components) {
        this.inDim = inDim;
        this.outDim = outDim;
        this.mean = mean;
        this.components = components;
        CRC32 crc = new CRC32();
        crc.update(paramsBytes());
        this.id = (int) crc.getValue();
    }

    /** Fits on {@code n} samples of dimension {@code inDim} stored row-major in {@code data}. */
    public static Pca fit(float[] data, int n, int inDim, int outDim) {
        if (n < 2 || outDim < 1 || outDim > inDim || data.length < n * inDim) {
            throw new IllegalArgumentException("PCA needs at least 2 samples and 1 <= outDim <= inDim");
        }
        double[] mu = new double[inDim];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < inDim; k++) {
                mu[k] += data[i * inDim + k];
            }
        }
        for (int k = 0; k < inDim; k++) {
            mu[k] /= n;
        }
        DMatrixRMaj cov = new DMatrixRMaj(inDim, inDim);
        double[] c = cov.data;
        double[] row = new double[inDim];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < inDim; k++) {
                row[k] = data[i * inDim + k] - mu[k];
            }
            for (int a = 0; a < inDim; a++) {
                double ra = row[a];
                int base = a * inDim;
                for (int b = a; b < inDim; b++) {
                    c[base + b] += ra * row[b];
                }
            }
        }
        for (int a = 0; a < inDim; a++) {
            for (int b = a; b < inDim; b++) {
                double v = c[a * inDim + b] / (n - 1);
                c[a * inDim + b] = v;
                c[b * inDim + a] = v;
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(inDim, true, true);
        if (!eig.decompose(cov)) {
            throw new IllegalStateException("PCA eigen-decomposition failed");
        }
        Integer[] order = new Integer[inDim];
        for (int i = 0; i < inDim; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> Double.compare(eig.getEigenvalue(q).getReal(), eig.getEigenvalue(p).getReal()));
        float[] comp = new float[outDim * inDim];
        for (int o = 0; o < outDim; o++) {
            DMatrixRMaj v = eig.getEigenVector(order[o]);
            // fix the sign so that fitting is deterministic: largest-magnitude entry positive
            int arg = 0;
            for (int k = 1; k < inDim; k++) {
                if (Math.abs(v.get(k)) > Math.abs(v.get(arg))) {
                    arg = k;
                }
            }
            double sign = v.get(arg) < 0 ? -1 : 1;
            for (int k = 0; k < inDim; k++) {
                comp[o * inDim + k] = (float) (sign * v.get(k));
            }
        }
        float[] meanF = new float[inDim];
        for (int k = 0; k < inDim; k++) {
            meanF[k] = (float) mu[k];
        }
        return new Pca(inDim, outDim, meanF, comp);
    }

    public int inputDimension() {
        return inDim;
    }

    public int outputDimension() {
        return outDim;
    }

    /** Checksum of the parameters, stored in each feature blob to detect a changed projection. */
    public int id() {
        return id;
    }

    /** Projects {@code x[off .. off + inDim)} into {@code out[outOff .. outOff + outDim)}. */
    public void project(float[] x, int off, float[] out, int outOff) {
        for (int o = 0; o < outDim; o++) {
            float s = 0;
            int row = o * inDim;
            for (int k = 0; k < inDim; k++) {
                s += components[row + k] * (x[off + k] - mean[k]);
            }
            out[outOff + o] = s;
        }
    }

    /** Back-projection {@code x = P^T y + mean} (exact for vectors in the retained subspace). */
    public float[] reconstruct(float[] y) {
        float[] x = mean.clone();
        for (int o = 0; o < outDim; o++) {
            for (int k = 0; k < inDim; k++) {
                x[k] += components[o * inDim + k] * y[o];
            }
        }
        return x;
    }

    private byte[] paramsBytes() {
        ByteBuffer b = ByteBuffer.allocate(4 * (mean.length + components.length)).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : mean) {
            b.putFloat(v);
        }
        for (float v : components) {
            b.putFloat(v);
        }
        return b.array();
    }

    public byte[] toBytes() {
        byte[] p = paramsBytes();
        return ByteBuffer.allocate(12 + p.length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(MAGIC).putInt(inDim).putInt(outDim).put(p).array();
    }

    public static Pca fromBytes(byte[] data) {
        try {
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            if (b.getInt() != MAGIC) {
                throw new IllegalArgumentException("not a PCA projection");
            }
            int in = b.getInt();
            int out = b.getInt();
            if (in <= 0 || out <= 0 || out > in || in > 4096) {
                throw new IllegalArgumentException("bad PCA shape " + in + "->" + out);
            }
            float[] mean = new float[in];
            float[] comp = new float[in * out];
            for (int i = 0; i < in; i++) {
                mean[i] = b.getFloat();
            }
            for (int i = 0; i < comp.length; i++) {
                comp[i] = b.getFloat();
            }
            return new Pca(in, out, mean, comp);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated PCA projection", e);
        }
    }
}
