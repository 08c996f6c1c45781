package io.ocular.search.train;

import io.ocular.model.OcularException;
import io.ocular.search.MapPooling;
import io.ocular.search.SpqModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SpqMapTrainerTest {
    private static final int CHANNELS = 24;
    private static final int CELLS = 4;

    /**
     * Photos of {@code clusters} kinds: a kind is a pattern of channel activity in ONE cell (the "object"), the
     * other cells are clutter shared by all kinds; views move the object to another cell and add noise. Average
     * pooling dilutes the object with clutter; learned pooling can find it.
     */
    static byte[][][] maps(int clusters, int perCluster, int views, long seed, int[] labels) {
        Random rnd = new Random(seed);
        float[][] objects = new float[clusters][CHANNELS];
        for (float[] o : objects) {
            for (int c = 0; c < CHANNELS; c++) {
                o[c] = rnd.nextFloat() < 0.4f ? 2f + 3f * rnd.nextFloat() : 0f;
            }
        }
        byte[][][] out = new byte[clusters * perCluster][views][];
        for (int k = 0; k < clusters; k++) {
            for (int p = 0; p < perCluster; p++) {
                int i = k * perCluster + p;
                labels[i] = k;
                for (int v = 0; v < views; v++) {
                    float[] m = new float[CHANNELS * CELLS];
                    int objectCell = rnd.nextInt(CELLS);
                    for (int c = 0; c < CHANNELS; c++) {
                        for (int n = 0; n < CELLS; n++) {
                            float clutter = rnd.nextFloat() < 0.5f ? rnd.nextFloat() * 2.5f : 0f;
                            m[c * CELLS + n] = n == objectCell ? objects[k][c] + 0.3f * rnd.nextFloat() : clutter;
                        }
                    }
                    out[i][v] = MapPooling.quantise(m);
                }
            }
        }
        return out;
    }

    static SpqTrainer.Config small(int epochs) {
        return new SpqTrainer.Config(4, 16, 8, 64, epochs, 64, 3e-3f, 0.2f, 0.5f, 0f, 7);
    }

    @Test
    void thePyTorchForwardAndThePlainJavaForwardAgree() {
        Random rnd = new Random(11);
        SpqTrainer.Config cfg = new SpqTrainer.Config(3, 8, 5, 16, 1, 8, 1e-3f, 0.2f, 0.5f, 0f, 1);
        float[] att = new float[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            att[c] = (float) rnd.nextGaussian() * 0.5f;
        }
        SpqModel model = new SpqModel(CHANNELS, 16, 3, 8, 5,
                SpqTrainer.gaussian(rnd, 16 * CHANNELS, 0.3), SpqTrainer.gaussian(rnd, 16, 0.1),
                SpqTrainer.gaussian(rnd, 15 * 16, 0.3), SpqTrainer.gaussian(rnd, 15, 0.1),
                SpqTrainer.gaussian(rnd, 3 * 8 * 5, 1), new MapPooling(CHANNELS, 2.7f, att));
        for (int trial = 0; trial < 5; trial++) {
            float[] map = new float[CHANNELS * CELLS];
            for (int i = 0; i < map.length; i++) {
                map[i] = rnd.nextFloat() < 0.3f ? 0f : rnd.nextFloat() * 6f;
            }
            float[] torch = SpqMapTrainer.torchForward(model, cfg, map, CELLS);
            float[] java = model.project(model.poolMap(map, CELLS));
            assertThat(java).hasSameSizeAs(torch);
            for (int i = 0; i < java.length; i++) {
                assertThat(java[i]).as("output %d of trial %d", i, trial).isCloseTo(torch[i], within(2e-4f));
            }
        }
    }

    @Test
    void lossFallsPoolingLearnsAndCodesKeepKindsTogether() {
        int[] labels = new int[640];
        MapTrainingSet data = new MapTrainingSet(maps(8, 80, 3, 1, labels), CHANNELS, CELLS, null);
        List<Double> losses = new ArrayList<>();
        SpqModel model = new SpqMapTrainer().train(data, small(10), null, (e, n, loss) -> losses.add(loss), null,
                () -> false);
        assertThat(losses).hasSize(10);
        assertThat(losses.get(9)).isLessThan(losses.get(0));
        assertThat(model.headKind()).isEqualTo(SpqModel.HeadKind.MAP);
        assertThat(model.pooling().p()).as("the exponent moved from its start").isNotEqualTo(SpqMapTrainer.INITIAL_P);

        byte[] codes = new byte[data.size() * model.subspaces()];
        float[][] pooled = new float[data.size()][];
        for (int i = 0; i < data.size(); i++) {
            pooled[i] = model.poolMap(MapPooling.dequantise(data.maps()[i][0]), CELLS);
            System.arraycopy(model.encode(pooled[i]), 0, codes, i * model.subspaces(), model.subspaces());
        }
        double precision = 0;
        int queries = 0;
        for (int q = 0; q < data.size(); q += 16) {
            float[] table = model.adcTable(model.poolMap(MapPooling.dequantise(data.maps()[q][1]), CELLS));
            Integer[] ids = new Integer[data.size()];
            float[] scores = new float[data.size()];
            for (int i = 0; i < data.size(); i++) {
                ids[i] = i;
                scores[i] = model.score(table, codes, i * model.subspaces());
            }
            Arrays.sort(ids, (a, b) -> Float.compare(scores[b], scores[a]));
            int hits = 0;
            for (int r = 0; r < 10; r++) {
                hits += labels[ids[r]] == labels[q] ? 1 : 0;
            }
            precision += hits / 10.0;
            queries++;
        }
        assertThat(precision / queries).as("P@10 of map-head codes on 8 kinds (chance = 0.125)").isGreaterThan(0.6);
    }

    @Test
    void resumesFromACheckpointAndCancels() {
        int[] labels = new int[256];
        MapTrainingSet data = new MapTrainingSet(maps(4, 64, 2, 2, labels), CHANNELS, CELLS, null);
        List<SpqTrainer.Checkpoint> saved = new ArrayList<>();
        new SpqMapTrainer().train(data, small(2), null, (e, n, l) -> { }, saved::add, () -> false);
        assertThat(saved).hasSize(2);
        assertThat(saved.get(1).model().pooling()).isNotNull();
        List<Integer> epochs = new ArrayList<>();
        SpqModel resumed = new SpqMapTrainer().train(data, small(3), saved.get(1), (e, n, l) -> epochs.add(e), null,
                () -> false);
        assertThat(epochs).containsExactly(3);
        assertThat(resumed.headKind()).isEqualTo(SpqModel.HeadKind.MAP);

        AtomicInteger polls = new AtomicInteger();
        assertThatThrownBy(() -> new SpqMapTrainer().train(data, small(5), null, (e, n, l) -> { }, null,
                () -> polls.incrementAndGet() > 3)).isInstanceOf(CancellationException.class);

        SpqModel vectorHead = new SpqModel(CHANNELS, 64, 4, 16, 8, new float[64 * CHANNELS], new float[64],
                new float[32 * 64], new float[32], new float[4 * 16 * 8]);
        assertThatThrownBy(() -> new SpqMapTrainer().train(data, small(3),
                new SpqTrainer.Checkpoint(1, vectorHead), (e, n, l) -> { }, null, () -> false))
                .isInstanceOf(OcularException.class).hasMessageContaining("does not match");
    }

    @Test
    void badTrainingSetsAreRefused() {
        assertThatThrownBy(() -> new MapTrainingSet(new byte[][][]{{new byte[5]}}, CHANNELS, CELLS, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 96");
        int[] labels = new int[20];
        MapTrainingSet tiny = new MapTrainingSet(maps(2, 10, 2, 3, labels), CHANNELS, CELLS, null);
        assertThatThrownBy(() -> new SpqMapTrainer().train(tiny, small(1), null, (e, n, l) -> { }, null, () -> false))
                .isInstanceOf(OcularException.class).hasMessageContaining("plain PQ is used instead");
    }
}
