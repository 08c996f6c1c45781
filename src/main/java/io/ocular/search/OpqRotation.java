package io.ocular.search;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Optimised product quantisation, non-parametric variant (Ge et al., CVPR 2013): an orthogonal rotation
 * {@code R} applied before PQ so that the subspaces carry balanced, decorrelated information. Training
 * alternates (1) PQ training on the rotated data {@code Y = X R^T} and (2) the orthogonal Procrustes step
 * {@code R = U V^T} from the SVD of {@code Ŷ^T X} (Ŷ = PQ reconstruction), which minimises
 * {@code ||R x - ŷ||} over orthogonal R. Linear algebra by EJML. Immutable.
 */
public final class OpqRotation {
    private static final Logger LOG = LoggerFactory.getLogger(OpqRotation.class);

    private final int dimension;
    private final float[] matrix; // row-major dim x dim; y = R x

    private OpqRotation(int dimension, float[] matrix) {
        this.dimension = dimension;
        this.matrix = matrix;
    }

    /** Wraps a stored rotation (row-major {@code dimension x dimension}). */
    public static OpqRotation of(int dimension, float[] matrix) {
        if (matrix.length != dimension * dimension) {
            throw new IllegalArgumentException("a rotation needs " + dimension + "^2 floats, got " + matrix.length);
        }
        VectorMath.requireFinite(matrix, "the rotation");
        return new OpqRotation(dimension, matrix.clone());
    }

    public int dimension() {
        return dimension;
    }

    /** A copy of the matrix, row-major. */
    public float[] matrix() {
        return matrix.clone();
    }

    /** {@code out = R x}. */
    public void apply(float[] x, int xOff, float[] out) {
        float[] tmp = new float[dimension];
        System.arraycopy(x, xOff, tmp, 0, dimension);
        for (int i = 0; i < dimension; i++) {
            out[i] = VectorMath.dot(matrix, i * dimension, tmp, 0, dimension);
        }
    }

    /** The rotation and the PQ trained in its space during the last alternation. */
    public record Trained(OpqRotation rotation, ProductQuantizer quantizer) {
    }

    /**
     * @param data           {@code n} training rows
     * @param outerIterations alternations of PQ training and Procrustes
     * @param kmeansIterations k-means iterations inside each alternation
     */
    public static Trained train(float[] data, int n, int dim, int m, int outerIterations, int kmeansIterations,
                                long seed, ScanPool pool) {
        DMatrixRMaj x = new DMatrixRMaj(n, dim);
        for (int i = 0; i < n * dim; i++) {
            x.data[i] = data[i];
        }
        DMatrixRMaj r = CommonOps_DDRM.identity(dim);
        DMatrixRMaj y = new DMatrixRMaj(n, dim);
        DMatrixRMaj yHat = new DMatrixRMaj(n, dim);
        DMatrixRMaj a = new DMatrixRMaj(dim, dim);
        float[] yf = new float[n * dim];
        ProductQuantizer pq = null;
        for (int it = 0; it < outerIterations; it++) {
            CommonOps_DDRM.multTransB(x, r, y);
            for (int i = 0; i < n * dim; i++) {
                yf[i] = (float) y.data[i];
            }
            pq = ProductQuantizer.train(yf, n, dim, m, kmeansIterations, seed + it, pool);
            byte[] code = new byte[m];
            float[] rec = new float[dim];
            double err = 0;
            for (int i = 0; i < n; i++) {
                pq.encode(yf, i * dim, code, 0);
                pq.decode(code, 0, rec);
                for (int d = 0; d < dim; d++) {
                    yHat.data[i * dim + d] = rec[d];
                    double e = rec[d] - yf[i * dim + d];
                    err += e * e;
                }
            }
            LOG.debug("OPQ iteration {}: mean squared quantisation error {}", it, err / n);
            CommonOps_DDRM.multTransA(yHat, x, a);
            SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(dim, dim, true, true, false);
            if (!svd.decompose(a)) {
                throw new IllegalStateException("SVD failed while training the OPQ rotation");
            }
            DMatrixRMaj u = svd.getU(null, false);
            DMatrixRMaj v = svd.getV(null, false);
            CommonOps_DDRM.multTransB(u, v, r);
        }
        float[] rf = new float[dim * dim];
        for (int i = 0; i < rf.length; i++) {
            rf[i] = (float) r.data[i];
        }
        return new Trained(new OpqRotation(dim, rf), pq);
    }
}
