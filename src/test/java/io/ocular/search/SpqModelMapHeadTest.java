package io.ocular.search;

import io.ocular.model.OcularException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The map head in {@link SpqModel}: head kind, pooling, and the versioned file (old files still load). */
class SpqModelMapHeadTest {
    @TempDir
    Path tmp;

    static float[] random(Random rnd, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian() * scale;
        }
        return a;
    }

    static SpqModel model(long seed, MapPooling pooling) {
        Random rnd = new Random(seed);
        int in = 12;
        int hidden = 8;
        int m = 2;
        int k = 4;
        int d = 3;
        return new SpqModel(in, hidden, m, k, d, random(rnd, hidden * in, 0.3f), random(rnd, hidden, 0.1f),
                random(rnd, m * d * hidden, 0.3f), random(rnd, m * d, 0.1f), random(rnd, m * k * d, 1f), pooling);
    }

    @Test
    void aMapHeadSavesAndLoadsWithItsPoolingAndCodesTheSame() throws Exception {
        MapPooling pooling = new MapPooling(12, 2.5f, random(new Random(5), 12, 0.2f));
        SpqModel a = model(1, pooling);
        assertThat(a.headKind()).isEqualTo(SpqModel.HeadKind.MAP);
        Path f = tmp.resolve("spq.bin");
        a.save(f);
        SpqModel b = SpqModel.load(f);
        assertThat(b.headKind()).isEqualTo(SpqModel.HeadKind.MAP);
        assertThat(b.pooling().p()).isEqualTo(2.5f);
        assertThat(b.pooling().attention()).containsExactly(pooling.attention());
        float[] map = new float[12 * 6];
        Random rnd = new Random(9);
        for (int i = 0; i < map.length; i++) {
            map[i] = rnd.nextFloat() * 6;
        }
        float[] va = a.poolMap(map, 6);
        assertThat(b.poolMap(map, 6)).containsExactly(va);
        assertThat(b.encode(va)).containsExactly(a.encode(va));
    }

    @Test
    void aVectorHeadFileOfTheFormerVersionStillLoads() throws Exception {
        SpqModel v = model(2, null);
        Path f = tmp.resolve("old.bin");
        ChecksummedFile.write(f, "OCSPQMDL", 2, v.toBytes());   // exactly what version 2 wrote
        SpqModel back = SpqModel.load(f);
        assertThat(back.headKind()).isEqualTo(SpqModel.HeadKind.VECTOR);
        assertThat(back.pooling()).isNull();
        float[] x = random(new Random(3), 12, 1f);
        assertThat(back.encode(x)).containsExactly(v.encode(x));
        assertThatThrownBy(() -> back.poolMap(new float[24], 2)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUnknownTrailingSectionOrAForeignVersionIsReportedNotGuessed() throws Exception {
        SpqModel v = model(3, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(v.toBytes());
            out.writeInt(0x12345678);
        }
        Path f = tmp.resolve("tail.bin");
        ChecksummedFile.write(f, "OCSPQMDL", 3, bytes.toByteArray());
        assertThatThrownBy(() -> SpqModel.load(f)).isInstanceOf(OcularException.class)
                .hasMessageContaining("unknown trailing section");
        Path g = tmp.resolve("future.bin");
        ChecksummedFile.write(g, "OCSPQMDL", 9, v.toBytes());
        assertThatThrownBy(() -> SpqModel.load(g)).isInstanceOf(OcularException.class)
                .hasMessageContaining("format version 9");
        byte[] damaged = Files.readAllBytes(tmp.resolve("tail.bin"));
        damaged[damaged.length - 9] ^= 1;
        Files.write(f, damaged);
        assertThatThrownBy(() -> SpqModel.load(f)).isInstanceOf(OcularException.class).hasMessageContaining("checksum");
    }

    @Test
    void poolingWidthMustMatchTheHeadAndHeadKindsParse() {
        assertThatThrownBy(() -> model(4, new MapPooling(5, 3f, new float[5])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gives 5");
        assertThat(SpqModel.HeadKind.parse("MAP")).isEqualTo(SpqModel.HeadKind.MAP);
        assertThat(SpqModel.HeadKind.parse("vector")).isEqualTo(SpqModel.HeadKind.VECTOR);
        assertThatThrownBy(() -> SpqModel.HeadKind.parse("pooled")).isInstanceOf(OcularException.class)
                .hasMessageContaining("use vector or map");
        assertThat(Arrays.asList(SpqModel.HeadKind.values())).hasSize(2);
    }
}
