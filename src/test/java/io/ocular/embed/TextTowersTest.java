package io.ocular.embed;

import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Choosing the reader of search words among an image model's text towers, with fake towers. */
class TextTowersTest {

    /** A fake tower whose vector says which tower made it. */
    private static final class Fake implements TextEncoder {
        final String id;
        final int dim;
        boolean closed;

        Fake(String id, int dim) {
            this.id = id;
            this.dim = dim;
        }

        @Override
        public String modelId() {
            return id;
        }

        @Override
        public int dimension() {
            return dim;
        }

        @Override
        public float[][] encodeText(List<String> texts) {
            float[][] out = new float[texts.size()][dim];
            for (float[] v : out) {
                v[id.length() % dim] = 1;
            }
            return out;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static ModelInfo info(String id, ModelKind kind) {
        return new ModelInfo(id, id, kind, 4, "x");
    }

    @Test
    void usesThePreferredTowerOpensOthersOnDemandAndClosesAllOnce() {
        List<Fake> opened = new ArrayList<>();
        List<ModelInfo> choices = List.of(info("clip", ModelKind.IMAGE_TEXT), info("multilingual", ModelKind.TEXT),
                info("bad-dim", ModelKind.TEXT));
        TextTowers towers = new TextTowers("clip", 4, choices, "multilingual", id -> {
            Fake f = new Fake(id, id.equals("bad-dim") ? 8 : 4);
            opened.add(f);
            return f;
        });
        assertThat(towers.current()).isEqualTo("multilingual");
        assertThat(towers.modelId()).isEqualTo("clip");
        assertThat(opened).extracting(f -> f.id).containsExactly("multilingual");
        assertThat(towers.encodeText(List.of("x"))[0][12 % 4]).isEqualTo(1f);

        towers.use("clip");
        assertThat(towers.encodeText(List.of("x"))[0][4 % 4]).isEqualTo(1f);
        towers.use("multilingual");
        assertThat(opened).hasSize(2); // reused, not opened again

        assertThatThrownBy(() -> towers.use("bad-dim")).isInstanceOf(OcularException.class).hasMessageContaining("8");
        assertThat(opened.get(2).closed).isTrue();
        assertThatThrownBy(() -> towers.use("other")).isInstanceOf(OcularException.class)
                .hasMessageContaining("another vector space").hasMessageContaining("clip, multilingual, bad-dim");
        assertThat(towers.current()).isEqualTo("multilingual");

        towers.close();
        towers.close();
        assertThat(opened).allMatch(f -> f.closed);
        assertThatThrownBy(() -> towers.use("clip")).isInstanceOf(OcularException.class).hasMessageContaining("closed");
    }

    @Test
    void aPreferenceThatIsNoLongerInstalledFallsBackToTheFirstChoice() {
        try (TextTowers towers = new TextTowers("clip", 4, List.of(info("clip", ModelKind.IMAGE_TEXT)), "removed",
                id -> new Fake(id, 4))) {
            assertThat(towers.current()).isEqualTo("clip");
            assertThat(towers.choices()).extracting(ModelInfo::id).containsExactly("clip");
        }
    }
}
