package io.ocular.search.local;

import io.ocular.model.DenseLocalFeatures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalFeatureModelTest {

    /** Random dense features; class {@code c} images carry a class-specific direction in half their cells. */
    private static DenseLocalFeatures dense(Random r, int cls, int n) {
        int dim = 96;
        float[] x = new float[n];
        float[] y = new float[n];
        float[] s = new float[n];
        float[] norm = new float[n];
        float[] d = new float[n * dim];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextInt(300);
            y[i] = r.nextInt(200);
            s[i] = 1;
            double sq = 0;
            for (int k = 0; k < dim; k++) {
                float v = (float) Math.abs(r.nextGaussian());
                if (i % 2 == 0 && k == 10 + cls) {
                    v += 6;
                }
                d[i * dim + k] = v;
                sq += v * v;
            }
            norm[i] = (float) Math.sqrt(sq);
        }
        return new DenseLocalFeatures(300, 200, dim, x, y, s, norm, d, new float[0]);
    }

    @Test
    void fitsPcaAndAttentionWithTwoLabelledFoldersAndSurvivesTheSettingsRoundTrip() {
        Random r = new Random(3);
        List<DenseLocalFeatures> sample = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sample.add(dense(r, i % 2, 150));
            labels.add(i % 2 == 0 ? "/photos/cats" : "/photos/boats");
        }
        LocalFeatureModel m = LocalFeatureModel.fit(sample, labels, 1);
        assertThat(m.selector().name()).isEqualTo("attention");
        assertThat(m.pca().outputDimension()).isEqualTo(LocalFeatureModel.PCA_DIM);
        assertThat(m.sampleImages()).isEqualTo(8);

        Map<String, String> settings = new HashMap<>(m.toSettings());
        settings.values().removeIf(v -> v == null);
        LocalFeatureModel back = LocalFeatureModel.fromSettings(k -> Optional.ofNullable(settings.get(k))).orElseThrow();
        assertThat(back.pca().id()).isEqualTo(m.pca().id());
        DenseLocalFeatures probe = dense(r, 0, 50);
        assertThat(back.selector().scores(probe)).containsExactly(m.selector().scores(probe));

        settings.put(LocalFeatureModel.PCA_SETTING, "bm90IGEgcGNh"); // base64 of junk
        assertThat(LocalFeatureModel.fromSettings(k -> Optional.ofNullable(settings.get(k)))).isEmpty();
        assertThat(LocalFeatureModel.fromSettings(k -> Optional.empty())).isEmpty();
    }

    @Test
    void oneFolderGivesNormKeypointsAndNoFeaturesCannotBeFitted() {
        Random r = new Random(4);
        List<DenseLocalFeatures> sample = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sample.add(dense(r, 0, 100));
            labels.add("/photos");
        }
        LocalFeatureModel m = LocalFeatureModel.fit(sample, labels, 1);
        assertThat(m.selector().name()).isEqualTo("norm");
        assertThat(m.toSettings().get(LocalFeatureModel.ATTENTION_SETTING)).isNull();

        DenseLocalFeatures empty = DenseLocalFeatures.empty(10, 10, 96, new float[0]);
        assertThatThrownBy(() -> LocalFeatureModel.fit(List.of(empty), java.util.Collections.singletonList(null), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
