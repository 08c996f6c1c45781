package io.ocular.search;

import io.ocular.model.OcularException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CombinerModelTest {

    /** Random weights of a small Combiner (uniform in ±0.3). */
    public static CombinerModel random(int dim, int projection, int hidden, long seed) {
        Random rnd = new Random(seed);
        int[] sizes = CombinerModel.sizes(dim, projection, hidden);
        float[][] w = new float[sizes.length][];
        for (int k = 0; k < sizes.length; k++) {
            w[k] = new float[sizes[k]];
            for (int i = 0; i < sizes[k]; i++) {
                w[k][i] = (float) ((rnd.nextDouble() * 2 - 1) * 0.3);
            }
        }
        return new CombinerModel(dim, projection, hidden, w);
    }

    static float[] unit(Random rnd, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return VectorMath.normalise(v);
    }

    @Test
    void outputIsUnitLengthAndLambdaIsAProbability() {
        CombinerModel m = random(16, 8, 12, 1);
        Random rnd = new Random(2);
        float[] image = unit(rnd, 16);
        float[] text = unit(rnd, 16);
        float[] out = new CombinerComposer(m).compose(image, text, 0.5);
        assertThat((double) VectorMath.l2normReference(out)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        float lambda = m.lambda(image, text);
        assertThat(lambda).isBetween(0f, 1f);
    }

    @Test
    void aZeroNetworkIsTheLambdaMixOfItsInputs() {
        // all weights zero: λ = sigmoid(0) = 0.5 and the MLP adds nothing, so the output is the normalised mean
        int[] sizes = CombinerModel.sizes(4, 3, 5);
        float[][] w = new float[sizes.length][];
        for (int k = 0; k < sizes.length; k++) {
            w[k] = new float[sizes[k]];
        }
        CombinerModel m = new CombinerModel(4, 3, 5, w);
        float[] out = m.combine(new float[]{1, 0, 0, 0}, new float[]{0, 1, 0, 0});
        assertThat(out).containsExactly(new float[]{0.70710677f, 0.70710677f, 0, 0}, org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void savesAndLoadsBitIdentically(@TempDir Path dir) throws Exception {
        CombinerModel m = random(16, 8, 12, 3);
        Path f = dir.resolve("c.combiner");
        m.save(f);
        CombinerModel back = CombinerModel.load(f);
        assertThat(back.dimension()).isEqualTo(16);
        assertThat(back.projection()).isEqualTo(8);
        assertThat(back.hidden()).isEqualTo(12);
        float[][] a = m.weights();
        float[][] b = back.weights();
        for (int k = 0; k < a.length; k++) {
            assertThat(b[k]).containsExactly(a[k]);
        }
    }

    @Test
    void aDamagedOrForeignFileIsRejectedWithAMessage(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.combiner");
        random(16, 8, 12, 3).save(f);
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length - 5] ^= 0x40;
        Files.write(f, bytes);
        assertThatThrownBy(() -> CombinerModel.load(f)).isInstanceOf(ChecksummedFile.CorruptIndexException.class)
                .hasMessageContaining("checksum");
        Files.write(f, new byte[]{1, 2, 3});
        assertThatThrownBy(() -> CombinerModel.load(f)).isInstanceOf(ChecksummedFile.CorruptIndexException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> CombinerModel.load(dir.resolve("none")))
                .isInstanceOf(ChecksummedFile.CorruptIndexException.class).hasMessageContaining("missing");
    }

    @Test
    void wrongSizesAndNonFiniteWeightsAreRefused() {
        float[][] w = random(4, 3, 5, 1).weights();
        w[6][0] = Float.NaN;
        assertThatThrownBy(() -> new CombinerModel(4, 3, 5, w)).isInstanceOf(OcularException.class)
                .hasMessageContaining("non-finite weight in wo");
        assertThatThrownBy(() -> new CombinerModel(4, 3, 6, random(4, 3, 5, 1).weights()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected");
    }

    @Test
    void aQueryOfAnotherSpaceGetsAClearMessage() {
        CombinerComposer c = new CombinerComposer(random(16, 8, 12, 1));
        assertThatThrownBy(() -> c.compose(new float[8], new float[8], 0.5)).isInstanceOf(OcularException.class)
                .hasMessageContaining("trained for 16-dimensional vectors");
        assertThatThrownBy(() -> c.compose(new float[16], new float[16], 1.5)).isInstanceOf(OcularException.class)
                .hasMessageContaining("between 0");
    }
}
