package io.ocular.search.train;

import io.ocular.model.OcularException;
import io.ocular.search.SpqModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpqTrainerTest {

    /** Clustered features on the unit sphere; each photo's views are noisy copies of it. */
    static float[][][] clustered(int clusters, int perCluster, int dim, int views, long seed, int[] labels) {
        Random rnd = new Random(seed);
        float[][] centres = new float[clusters][dim];
        for (float[] c : centres) {
            for (int d = 0; d < dim; d++) {
                c[d] = (float) rnd.nextGaussian();
            }
        }
        float[][][] out = new float[clusters * perCluster][views][];
        for (int c = 0; c < clusters; c++) {
            for (int p = 0; p < perCluster; p++) {
                int i = c * perCluster + p;
                labels[i] = c;
                float[] base = new float[dim];
                for (int d = 0; d < dim; d++) {
                    base[d] = centres[c][d] + (float) rnd.nextGaussian() * 0.9f;
                }
                for (int v = 0; v < views; v++) {
                    float[] x = new float[dim];
                    for (int d = 0; d < dim; d++) {
                        x[d] = base[d] + (float) rnd.nextGaussian() * 0.3f;
                    }
                    out[i][v] = normalise(x);
                }
            }
        }
        return out;
    }

    static float[] normalise(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v * v;
        }
        float inv = (float) (1 / Math.sqrt(s));
        for (int i = 0; i < x.length; i++) {
            x[i] *= inv;
        }
        return x;
    }

    static SpqTrainer.Config small(int epochs) {
        return new SpqTrainer.Config(4, 16, 8, 64, epochs, 64, 3e-3f, 0.2f, 0.5f, 0f, 7);
    }

    @Test
    void lossFallsAndCodesKeepNeighboursTogether() {
        int[] labels = new int[800];
        TrainingSet data = TrainingSet.withoutCycles(clustered(8, 100, 48, 3, 1, labels));
        List<Double> losses = new ArrayList<>();
        SpqModel model = new SpqTrainer().train(data, small(12), null, (e, n, loss) -> losses.add(loss), null, () -> false);

        assertThat(losses).hasSize(12);
        assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0));
        assertThat(model.bits()).isEqualTo(16);

        // retrieval by ADC over the codes: same-cluster photos should dominate the top 10
        byte[] codes = new byte[data.size() * model.subspaces()];
        for (int i = 0; i < data.size(); i++) {
            System.arraycopy(model.encode(data.view(i, 0)), 0, codes, i * model.subspaces(), model.subspaces());
        }
        double precision = 0;
        int queries = 0;
        for (int q = 0; q < data.size(); q += 20) {
            float[] table = model.adcTable(data.view(q, 1));
            Integer[] ids = new Integer[data.size()];
            float[] scores = new float[data.size()];
            for (int i = 0; i < data.size(); i++) {
                ids[i] = i;
                scores[i] = model.score(table, codes, i * model.subspaces());
            }
            java.util.Arrays.sort(ids, (a, b) -> Float.compare(scores[b], scores[a]));
            int hits = 0;
            for (int r = 0; r < 10; r++) {
                hits += labels[ids[r]] == labels[q] ? 1 : 0;
            }
            precision += hits / 10.0;
            queries++;
        }
        assertThat(precision / queries).as("P@10 of SPQ codes on 8 clusters (chance = 0.125)").isGreaterThan(0.6);
    }

    @Test
    void tooSmallACollectionIsRefusedWithAReason() {
        int[] labels = new int[20];
        TrainingSet data = TrainingSet.withoutCycles(clustered(2, 10, 16, 2, 3, labels));
        assertThatThrownBy(() -> new SpqTrainer().train(data, small(1), null, (e, n, l) -> { }, null, () -> false))
                .isInstanceOf(OcularException.class)
                .hasMessageContaining("plain PQ is used instead");
    }

    @Test
    void cancelStopsAndTheLastCheckpointResumes() {
        int[] labels = new int[400];
        TrainingSet data = TrainingSet.withoutCycles(clustered(4, 100, 32, 2, 5, labels));
        AtomicInteger epochs = new AtomicInteger();
        SpqTrainer.Checkpoint[] last = new SpqTrainer.Checkpoint[1];
        assertThatThrownBy(() -> new SpqTrainer().train(data, small(10), null, (e, n, l) -> epochs.set(e),
                c -> last[0] = c, () -> epochs.get() >= 2))
                .isInstanceOf(CancellationException.class);
        assertThat(last[0].epochsDone()).isEqualTo(2);

        List<Integer> resumedEpochs = new ArrayList<>();
        SpqModel done = new SpqTrainer().train(data, small(4), last[0], (e, n, l) -> resumedEpochs.add(e), null, () -> false);
        assertThat(resumedEpochs).containsExactly(3, 4);
        assertThat(done.inputDim()).isEqualTo(32);
    }

    @Test
    void cyclePartnersAddAWeightedPositiveWithoutBreakingTraining() {
        int[] labels = new int[400];
        float[][][] f = clustered(4, 100, 32, 2, 9, labels);
        float[][] first = new float[f.length][];
        int[] folders = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            first[i] = f[i][0];
            folders[i] = i % 5; // folders cut across the clusters
        }
        int[] partners = CyclePositives.find(first, folders);
        assertThat(java.util.Arrays.stream(partners).filter(p -> p >= 0).count()).isGreaterThan(0);
        TrainingSet data = TrainingSet.withoutCycles(f).withCyclePartners(partners);
        List<Double> losses = new ArrayList<>();
        new SpqTrainer().train(data, small(3).withCycleWeight(0.1f), null, (e, n, l) -> losses.add(l), null, () -> false);
        assertThat(losses).allMatch(Double::isFinite);
    }

    @Test
    void savedModelRoundTripsAndCorruptionIsDetected(@TempDir Path dir) throws Exception {
        int[] labels = new int[400];
        TrainingSet data = TrainingSet.withoutCycles(clustered(4, 100, 32, 2, 11, labels));
        SpqModel model = new SpqTrainer().train(data, small(1), null, (e, n, l) -> { }, null, () -> false);
        Path file = dir.resolve("spq.bin");
        model.save(file);
        SpqModel loaded = SpqModel.load(file);
        assertThat(loaded.encode(data.view(3, 0))).isEqualTo(model.encode(data.view(3, 0)));
        assertThat(loaded.adcTable(data.view(5, 1))).containsExactly(model.adcTable(data.view(5, 1)));

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(file, bytes);
        assertThatThrownBy(() -> SpqModel.load(file)).isInstanceOf(OcularException.class).hasMessageContaining("corrupted");
        Files.write(file, java.util.Arrays.copyOf(bytes, 20));
        assertThatThrownBy(() -> SpqModel.load(file)).isInstanceOf(OcularException.class).hasMessageContaining("truncated");
    }
}
