package io.ocular.search.local;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class PcaTest {

    @Test
    void projectsOntoTheDataSubspaceAndReconstructsExactly() {
        Random r = new Random(1);
        int n = 500, in = 12, rank = 4;
        float[][] basis = new float[rank][in];
        for (float[] b : basis) {
            for (int k = 0; k < in; k++) {
                b[k] = (float) r.nextGaussian();
            }
        }
        float[] offsetVec = new float[in];
        for (int k = 0; k < in; k++) {
            offsetVec[k] = 3 + k;
        }
        float[] data = new float[n * in];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < rank; j++) {
                float c = (float) r.nextGaussian() * (j + 1);
                for (int k = 0; k < in; k++) {
                    data[i * in + k] += c * basis[j][k];
                }
            }
            for (int k = 0; k < in; k++) {
                data[i * in + k] += offsetVec[k];
            }
        }
        Pca pca = Pca.fit(data, n, in, rank);
        float[] y = new float[rank];
        for (int i = 0; i < 20; i++) {
            pca.project(data, i * in, y, 0);
            float[] back = pca.reconstruct(y);
            for (int k = 0; k < in; k++) {
                assertThat(back[k]).isCloseTo(data[i * in + k], offset(1e-3f));
            }
        }
        Pca copy = Pca.fromBytes(pca.toBytes());
        assertThat(copy.id()).isEqualTo(pca.id());
        float[] y2 = new float[rank];
        copy.project(data, 0, y2, 0);
        pca.project(data, 0, y, 0);
        assertThat(y2).containsExactly(y);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> Pca.fit(new float[10], 1, 10, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pca.fromBytes(new byte[]{1, 2, 3})).isInstanceOf(IllegalArgumentException.class);
    }
}
