package io.ocular.search.local;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class AffineRansacTest {

    @Test
    void recoversKnownAffineDespiteOutliers() {
        double[] truth = {0.9, -0.25, 0.2, 1.1, 0.05, -0.1}; // a, b, c, d, tx, ty
        Random r = new Random(3);
        int n = 120;
        float[] sx = new float[n], sy = new float[n], dx = new float[n], dy = new float[n];
        boolean[] planted = new boolean[n];
        for (int i = 0; i < n; i++) {
            sx[i] = r.nextFloat();
            sy[i] = r.nextFloat();
            if (i % 5 < 2) { // 40% inliers with small noise
                planted[i] = true;
                dx[i] = (float) (truth[0] * sx[i] + truth[1] * sy[i] + truth[4] + r.nextGaussian() * 0.003);
                dy[i] = (float) (truth[2] * sx[i] + truth[3] * sy[i] + truth[5] + r.nextGaussian() * 0.003);
            } else {
                dx[i] = r.nextFloat();
                dy[i] = r.nextFloat();
            }
        }
        AffineRansac.Result res = new AffineRansac(AffineRansac.Config.defaults()).estimate(sx, sy, dx, dy);
        assertThat(res.affine()).isNotNull();
        for (int k = 0; k < 6; k++) {
            assertThat(res.affine()[k]).isCloseTo(truth[k], offset(0.01));
        }
        int plantedFound = 0;
        for (int i = 0; i < n; i++) {
            if (planted[i] && res.inliers()[i]) {
                plantedFound++;
            }
        }
        assertThat(plantedFound).isEqualTo(48);
        assertThat(res.inlierCount()).isBetween(48, 55); // a few random outliers may fall inside the tolerance
        assertThat(res.iterations()).isLessThan(1000); // adaptive stopping kicked in
    }

    @Test
    void isDeterministicForAFixedSeed() {
        Random r = new Random(9);
        int n = 60;
        float[] sx = new float[n], sy = new float[n], dx = new float[n], dy = new float[n];
        for (int i = 0; i < n; i++) {
            sx[i] = r.nextFloat();
            sy[i] = r.nextFloat();
            dx[i] = i % 2 == 0 ? sx[i] + 0.1f : r.nextFloat();
            dy[i] = i % 2 == 0 ? sy[i] : r.nextFloat();
        }
        AffineRansac ransac = new AffineRansac(AffineRansac.Config.defaults());
        AffineRansac.Result a = ransac.estimate(sx, sy, dx, dy);
        AffineRansac.Result b = ransac.estimate(sx, sy, dx, dy);
        assertThat(a.inliers()).isEqualTo(b.inliers());
        assertThat(a.affine()).isEqualTo(b.affine());
    }

    @Test
    void collinearAndTooFewMatchesDoNotCrash() {
        int n = 50;
        float[] sx = new float[n], sy = new float[n], dx = new float[n], dy = new float[n];
        for (int i = 0; i < n; i++) {
            sx[i] = i / 50f;
            sy[i] = 2 * i / 50f; // all on one line
            dx[i] = sx[i] + 0.1f;
            dy[i] = sy[i];
        }
        AffineRansac ransac = new AffineRansac(AffineRansac.Config.defaults());
        AffineRansac.Result res = ransac.estimate(sx, sy, dx, dy);
        assertThat(res.inlierCount()).isZero();
        assertThat(res.affine()).isNull();
        assertThat(ransac.estimate(new float[2], new float[2], new float[2], new float[2]).inlierCount()).isZero();
        float[] same = new float[10]; // all points coincide
        assertThat(ransac.estimate(same, same, same, same).inlierCount()).isZero();
    }

    @Test
    void rejectsReflectionsAndExtremeScales() {
        AffineRansac ransac = new AffineRansac(AffineRansac.Config.defaults());
        assertThat(ransac.plausible(new double[]{1, 0, 0, 1, 0, 0})).isTrue();
        assertThat(ransac.plausible(new double[]{-1, 0, 0, 1, 0, 0})).isFalse();
        assertThat(ransac.plausible(new double[]{20, 0, 0, 20, 0, 0})).isFalse();
        assertThat(ransac.plausible(new double[]{5, 0, 0, 0.5, 0, 0})).isFalse();
    }
}
