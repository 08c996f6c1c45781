package io.ocular.search;

import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ProductQuantizerTest {

    static double meanSquaredError(ProductQuantizer pq, float[] data, int n, int dim) {
        byte[] code = new byte[pq.codeBytes()];
        float[] rec = new float[dim];
        double err = 0;
        for (int i = 0; i < n; i++) {
            pq.encode(data, i * dim, code, 0);
            pq.decode(code, 0, rec);
            for (int d = 0; d < dim; d++) {
                double e = rec[d] - data[i * dim + d];
                err += e * e;
            }
        }
        return err / n;
    }

    @Test
    void trainsDeterministicallyAndQuantisesFarBetterThanChance() {
        EmbeddingMatrix m = SyntheticVectors.clustered(3000, 30, 20, 0.6, 1);
        ProductQuantizer a = ProductQuantizer.train(m.data(), 3000, 30, 7, 10, 5, null);
        ProductQuantizer b = ProductQuantizer.train(m.data(), 3000, 30, 7, 10, 5, null);
        assertThat(a.codebooks()).containsExactly(b.codebooks());
        assertThat(a.codeBytes()).isEqualTo(7); // 30 = 4+4+4+5+4+4+5 (uneven subspaces)
        double err = meanSquaredError(a, m.data(), 3000, 30);
        // Unit vectors: distance to the origin is 1; a useful quantiser is far closer than that.
        assertThat(err).isLessThan(0.15);
        // More bytes, smaller error.
        ProductQuantizer fine = ProductQuantizer.train(m.data(), 3000, 30, 15, 10, 5, null);
        assertThat(meanSquaredError(fine, m.data(), 3000, 30)).isLessThan(err);
    }

    @Test
    void lookupTableSumsEqualTheInnerProductWithTheReconstruction() {
        EmbeddingMatrix m = SyntheticVectors.clustered(1000, 24, 10, 0.8, 2);
        ProductQuantizer pq = ProductQuantizer.train(m.data(), 1000, 24, 6, 5, 1, null);
        // Plugging the same codebooks in from outside gives the same quantiser.
        ProductQuantizer external = ProductQuantizer.fromCodebooks(24, 6, pq.codebooks());
        float[] lut = new float[6 * 256];
        float[] q = m.row(3);
        pq.innerProductTable(q, lut);
        float[] rec = new float[24];
        byte[] code = new byte[6];
        for (int i = 0; i < 50; i++) {
            pq.encode(m.data(), i * 24, code, 0);
            byte[] code2 = new byte[6];
            external.encode(m.data(), i * 24, code2, 0);
            assertThat(code2).containsExactly(code);
            pq.decode(code, 0, rec);
            assertThat(AdcScanner.adc(code, 0, 6, lut)).isCloseTo(VectorMath.dotReference(q, 0, rec, 0, 24), within(1e-5f));
        }
        assertThatThrownBy(() -> ProductQuantizer.fromCodebooks(24, 6, new float[10])).hasMessageContaining("256");
    }

    @Test
    void copesWithFewerPointsThanCentroids() {
        float[] data = new float[10 * 4];
        Random r = new Random(1);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        ProductQuantizer pq = ProductQuantizer.train(data, 10, 4, 2, 5, 1, null);
        // Every training point is a centroid: reconstruction is exact.
        assertThat(meanSquaredError(pq, data, 10, 4)).isLessThan(1e-10);
    }

    @Test
    void opqRotationIsOrthogonalAndDoesNotQuantiseWorse() {
        // Correlated data: a few strong directions, hidden by a random rotation, so plain PQ splits them badly.
        int n = 2000, dim = 16, m = 4;
        Random r = new Random(3);
        float[] data = new float[n * dim];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) {
                data[i * dim + d] = (float) (r.nextGaussian() * (d < 4 ? 1.0 : 0.05));
            }
        }
        org.ejml.data.DMatrixRMaj g = org.ejml.dense.row.RandomMatrices_DDRM.orthogonal(dim, dim, new Random(4));
        float[] mixed = new float[n * dim];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < dim; a++) {
                double s = 0;
                for (int b = 0; b < dim; b++) {
                    s += g.get(a, b) * data[i * dim + b];
                }
                mixed[i * dim + a] = (float) s;
            }
        }
        OpqRotation.Trained opq = OpqRotation.train(mixed, n, dim, m, 5, 5, 7, null);
        float[] rm = opq.rotation().matrix();
        for (int a = 0; a < dim; a++) {
            for (int b = 0; b < dim; b++) {
                float dotAB = VectorMath.dotReference(rm, a * dim, rm, b * dim, dim);
                assertThat(dotAB).isCloseTo(a == b ? 1f : 0f, within(1e-4f));
            }
        }
        float[] rotated = new float[n * dim];
        float[] tmp = new float[dim];
        for (int i = 0; i < n; i++) {
            opq.rotation().apply(mixed, i * dim, tmp);
            System.arraycopy(tmp, 0, rotated, i * dim, dim);
        }
        double plain = meanSquaredError(ProductQuantizer.train(mixed, n, dim, m, 5, 7, null), mixed, n, dim);
        double withOpq = meanSquaredError(opq.quantizer(), rotated, n, dim);
        assertThat(withOpq).isLessThan(plain);
    }
}
