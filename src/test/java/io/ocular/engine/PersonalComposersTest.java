package io.ocular.engine;

import io.ocular.embed.TextEncoder;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.search.CombinerComposer;
import io.ocular.search.CombinerModel;
import io.ocular.search.ExactIndex;
import io.ocular.search.QueryComposer;
import io.ocular.search.SwitchableComposer;
import io.ocular.search.VectorIndex;
import io.ocular.search.VectorMath;
import io.ocular.search.WeightedSumComposer;
import io.ocular.search.train.CombinerTrainer;
import io.ocular.testing.InMemoryCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which composer each model uses, when the personal Combiner is trained, and what Reset does. */
class PersonalComposersTest {
    private static final int DIM = 8;
    private static final ModelInfo MODEL = new ModelInfo("m", "M", ModelKind.IMAGE_TEXT, DIM, "sha");

    @TempDir
    Path data;

    final InMemoryCatalog catalog = new InMemoryCatalog();
    final ExactIndex index = new ExactIndex(DIM, null);
    final List<Long> ids = new ArrayList<>();
    PersonalComposers composers;

    @BeforeEach
    void library() {
        catalog.registerModel(MODEL);
        long folder = catalog.addFolder(data.resolve("photos")).id();
        Random rnd = new Random(1);
        List<ImageRecord> images = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            images.add(new ImageRecord(0, folder, data.resolve("photos/" + i + ".jpg"), 1, 1, "h" + i, 4, 4, null, 1,
                    ImageStatus.INDEXED, null));
            float[] v = new float[DIM];
            for (int j = 0; j < DIM; j++) {
                v[j] = (float) rnd.nextGaussian();
            }
            vectors.add(VectorMath.normalise(v));
        }
        for (ImageRecord r : catalog.commitBatch(images, MODEL.id(), vectors)) {
            ids.add(r.id());
            index.add(r.id(), catalog.embedding(r.id(), MODEL.id()).orElseThrow());
        }
        composers = open(3);
    }

    private PersonalComposers open(int epochs) {
        PersonalComposers c = new PersonalComposers(catalog, data, new PersonalComposers.Options(12,
                d -> CombinerTrainer.Config.defaults(d).withEpochs(epochs)));
        c.attach(target());
        return c;
    }

    private PersonalComposers.Target target() {
        return new PersonalComposers.Target() {
            @Override
            public ModelInfo model() {
                return MODEL;
            }

            @Override
            public Optional<TextEncoder> textEncoder() {
                return Optional.of(new TextEncoder() {
                    @Override
                    public String modelId() {
                        return MODEL.id();
                    }

                    @Override
                    public int dimension() {
                        return DIM;
                    }

                    @Override
                    public float[][] encodeText(List<String> texts) {
                        float[][] out = new float[texts.size()][DIM];
                        for (int i = 0; i < out.length; i++) {
                            out[i][Math.floorMod(texts.get(i).hashCode(), DIM)] = 1;
                        }
                        return out;
                    }

                    @Override
                    public void close() {
                    }
                });
            }

            @Override
            public VectorIndex index() {
                return index;
            }
        };
    }

    @AfterEach
    void close() {
        composers.close();
    }

    private static CombinerModel model(long seed) {
        Random rnd = new Random(seed);
        int[] sizes = CombinerModel.sizes(DIM, 4, 6);
        float[][] w = new float[sizes.length][];
        for (int k = 0; k < sizes.length; k++) {
            w[k] = new float[sizes[k]];
            for (int i = 0; i < w[k].length; i++) {
                w[k][i] = (float) rnd.nextGaussian() * 0.1f;
            }
        }
        return new CombinerModel(DIM, 4, 6, w);
    }

    private QueryComposer current(String model) {
        return ((SwitchableComposer) composers.composerFor(model, DIM)).current();
    }

    @Test
    void aPersonalCombinerComesBeforeAnImportedOneWhichComesBeforeTheSumAndADamagedFileIsSkipped() throws Exception {
        assertThat(current("none")).isInstanceOf(WeightedSumComposer.class);
        model(1).save(CombinerComposer.fileFor(data, "both"));
        model(2).save(PersonalComposers.personalFile(data, "both"));
        assertThat(((CombinerComposer) current("both")).model().weights()[0]).isEqualTo(model(2).weights()[0]);
        model(1).save(CombinerComposer.fileFor(data, "damaged"));
        Files.write(PersonalComposers.personalFile(data, "damaged"), new byte[]{1, 2, 3});
        assertThat(((CombinerComposer) current("damaged")).model().weights()[0]).isEqualTo(model(1).weights()[0]);
        assertThat(composers.composerFor("both", DIM)).isSameAs(composers.composerFor("both", DIM));
    }

    private void markGood(int n, int from) {
        for (int i = 0; i < n; i++) {
            int k = from + i;
            composers.mark(ids.get(k % 4), "word" + (k / 4), 0.5, ids.get(4 + k % 8), true);
        }
    }

    @Test
    void trainingStartsAtTheMinimumAndAgainOnlyWhenTheMarksGrewByHalf() throws Exception {
        markGood(11, 0);
        assertThat(composers.status().training()).isFalse();
        assertThat(catalog.setting(PersonalComposers.ATTEMPT_KEY + "m")).isEmpty();
        markGood(1, 11); // the twelfth good match starts a job
        composers.await(120);
        ComposeLearning.Status s = composers.status();
        assertThat(s.relevantMarks()).as(s.lastOutcome()).isEqualTo(12);
        assertThat(s.heldOut()).as(s.lastOutcome()).isPositive();
        assertThat(s.personalRecall()).isBetween(0.0, 1.0);
        assertThat(s.lastOutcome()).contains("trained on");
        assertThat(catalog.setting(PersonalComposers.ATTEMPT_KEY + "m")).contains("12");
        assertThat(s.active()).isEqualTo(s.personalWon() ? ComposeLearning.Active.PERSONAL : ComposeLearning.Active.SUM);
        assertThat(Files.exists(PersonalComposers.personalFile(data, "m"))).isEqualTo(s.personalWon());

        markGood(5, 12); // 17 < 12 + 6: no new job
        assertThat(composers.status().training()).isFalse();
        assertThat(composers.status().lastOutcome()).isEqualTo(s.lastOutcome());
        // not-a-match marks are kept but never start training
        composers.mark(ids.get(0), "word0", 0.5, ids.get(11), false);
        assertThat(composers.status().otherMarks()).isEqualTo(1);
        assertThat(composers.marks(ids.get(0), "word0")).containsEntry(ids.get(11), false).containsEntry(ids.get(4), true);
    }

    @Test
    void resetGoesBackToTheSumSettingAsideAnImportedCombinerAndKeepsOrForgetsTheMarks() throws Exception {
        model(1).save(CombinerComposer.fileFor(data, "m"));
        model(2).save(PersonalComposers.personalFile(data, "m"));
        QueryComposer searches = composers.composerFor("m", DIM);
        assertThat(composers.status().active()).isEqualTo(ComposeLearning.Active.PERSONAL);
        markGood(3, 0);

        composers.reset(false);
        assertThat(composers.status().active()).isEqualTo(ComposeLearning.Active.SUM);
        assertThat(((SwitchableComposer) searches).current()).isInstanceOf(WeightedSumComposer.class);
        assertThat(PersonalComposers.personalFile(data, "m")).doesNotExist();
        assertThat(CombinerComposer.fileFor(data, "m")).doesNotExist();
        assertThat(CombinerComposer.fileFor(data, "m").resolveSibling("m.combiner.reset")).exists();
        assertThat(composers.status().relevantMarks()).isEqualTo(3);
        assertThat(catalog.setting(PersonalComposers.ATTEMPT_KEY + "m")).contains("3");

        composers.reset(true);
        assertThat(composers.status().relevantMarks()).isZero();
        assertThat(catalog.composeMarks("m")).isEmpty();
        assertThat(catalog.setting(PersonalComposers.ATTEMPT_KEY + "m")).isEmpty();
    }

    @Test
    void aStoppedJobKeepsItsLastEpochAndResumesWhenTheEngineOpensAgain() throws Exception {
        composers.close();
        composers = open(3000);
        markGood(12, 0);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (composers.status().epoch() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        composers.stopTraining();
        composers.await(60);
        assertThat(composers.status().lastOutcome()).startsWith("stopped");
        Path epochs = CombinerComposer.fileFor(data, "m").resolveSibling("m.personal.epochs");
        assertThat(epochs).exists();
        int done = Integer.parseInt(Files.readString(epochs).split(" ")[0]);
        assertThat(done).isBetween(1, 2999);
        composers.close();

        composers = open(done + 2); // opening again resumes: two more epochs finish the job
        composers.await(60);
        ComposeLearning.Status s = composers.status();
        assertThat(s.lastOutcome()).contains("trained on");
        assertThat(s.heldOut()).isPositive();
        assertThat(epochs).doesNotExist();
    }

    @Test
    void aMarkThatCannotBeKeptSaysWhy() {
        assertThatThrownBy(() -> composers.mark(ids.get(0), "   ", 0.5, ids.get(1), true))
                .hasMessageContaining("not kept").hasMessageContaining("words");
        assertThatThrownBy(() -> composers.mark(ids.get(0), "x", 0.5, 999_999L, true))
                .hasMessageContaining("no longer in the library");
        assertThat(catalog.composeMarks("m")).isEmpty();
    }

    @Test
    void withoutAnEngineNothingIsKept() {
        assertThat(ComposeLearning.unavailable().status().available()).isFalse();
        assertThatThrownBy(() -> ComposeLearning.unavailable().mark(1, "x", 0.5, 2, true))
                .hasMessageContaining("not kept");
    }
}
