package io.ocular.search.local;

import io.ocular.model.DenseLocalFeatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * What a collection's local features are compressed with: the PCA projection and, when the collection's
 * folders gave at least two usable labels, the learned attention keypoint scorer (else keypoints by feature
 * norm). Fitted once on a sample of the collection ({@link #fit}), persisted as catalog settings
 * ({@link #toSettings}/{@link #fromSettings}); blobs carry the projection id, so a new fit invalidates them.
 *
 * @param attention the learned keypoint scorer, or null for norm keypoints
 * @param sampleImages how many images it was fitted on
 */
public record LocalFeatureModel(Pca pca, AttentionMlp attention, int sampleImages) {
    private static final Logger LOG = LoggerFactory.getLogger(LocalFeatureModel.class);

    /** Catalog settings (base64 blobs of {@link Pca#toBytes()} / {@link AttentionMlp#toBytes()}). */
    public static final String PCA_SETTING = "instance.pca";
    public static final String ATTENTION_SETTING = "instance.attention";
    public static final String SAMPLE_SETTING = "instance.sample_images";

    /** PCA output dimension (decision record 0070). */
    public static final int PCA_DIM = 40;
    private static final int PCA_ROWS_PER_IMAGE = 200;
    private static final int ATTENTION_ROWS_PER_IMAGE = 300;
    /** Fewest sample images per label for it to count as a class for attention training. */
    private static final int MIN_PER_CLASS = 3;

    public KeypointSelector selector() {
        return attention == null ? new NormKeypointSelector() : new AttentionKeypointSelector(attention);
    }

    /** Suppression across pyramid levels used by {@link #compressor(int)} (decision record 0070). */
    public static final float DEFAULT_NMS_RADIUS = 1f;

    public LocalFeatureCompressor compressor(int maxFeatures) {
        return compressor(maxFeatures, DEFAULT_NMS_RADIUS);
    }

    public LocalFeatureCompressor compressor(int maxFeatures, float nmsRadius) {
        return new LocalFeatureCompressor(selector(), pca, maxFeatures, nmsRadius);
    }

    public Map<String, String> toSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(PCA_SETTING, Base64.getEncoder().encodeToString(pca.toBytes()));
        s.put(ATTENTION_SETTING, attention == null ? null : Base64.getEncoder().encodeToString(attention.toBytes()));
        s.put(SAMPLE_SETTING, Integer.toString(sampleImages));
        return s;
    }

    /** The persisted model; empty when none is stored or it is unreadable (then it is fitted again). */
    public static Optional<LocalFeatureModel> fromSettings(Function<String, Optional<String>> settings) {
        Optional<String> pca = settings.apply(PCA_SETTING);
        if (pca.isEmpty()) {
            return Optional.empty();
        }
        try {
            Pca p = Pca.fromBytes(Base64.getDecoder().decode(pca.get()));
            Optional<String> att = settings.apply(ATTENTION_SETTING);
            AttentionMlp a = att.isEmpty() ? null : AttentionMlp.fromBytes(Base64.getDecoder().decode(att.get()));
            int n = settings.apply(SAMPLE_SETTING).map(LocalFeatureModel::parseIntOrZero).orElse(0);
            return Optional.of(new LocalFeatureModel(p, a, n));
        } catch (IllegalArgumentException e) {
            LOG.warn("The stored local feature model is unreadable ({}); it will be fitted again", e.getMessage());
            return Optional.empty();
        }
    }

    private static int parseIntOrZero(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Fits the PCA on up to {@value #PCA_ROWS_PER_IMAGE} L2-normalised random features per sample image, and
     * the attention scorer (weak supervision, DELF-style) when at least two labels have
     * {@value #MIN_PER_CLASS}+ images.
     *
     * @param labels one label per sample image (e.g. its folder); null entries are unlabelled
     */
    public static LocalFeatureModel fit(List<DenseLocalFeatures> sample, List<String> labels, long seed) {
        if (sample.size() != labels.size()) {
            throw new IllegalArgumentException("one label per sample image");
        }
        int dim = -1;
        for (DenseLocalFeatures d : sample) {
            if (d.count() > 0) {
                dim = d.dim();
                break;
            }
        }
        if (dim < PCA_DIM) {
            throw new IllegalArgumentException("the sample has no local features to fit a projection on");
        }
        Random r = new Random(seed);
        float[] rows = new float[sample.size() * PCA_ROWS_PER_IMAGE * dim];
        int n = 0;
        Map<String, Integer> perLabel = new LinkedHashMap<>();
        for (int i = 0; i < sample.size(); i++) {
            if (sample.get(i).count() > 0 && labels.get(i) != null) {
                perLabel.merge(labels.get(i), 1, Integer::sum);
            }
        }
        List<String> classes = perLabel.entrySet().stream().filter(e -> e.getValue() >= MIN_PER_CLASS)
                .map(Map.Entry::getKey).sorted().toList();
        List<AttentionTrainer.Example> examples = new ArrayList<>();
        for (int i = 0; i < sample.size(); i++) {
            DenseLocalFeatures d = sample.get(i);
            int count = d.count();
            if (count == 0) {
                continue;
            }
            int take = Math.min(count, ATTENTION_ROWS_PER_IMAGE);
            float[] ex = new float[take * dim];
            for (int j = 0; j < take; j++) {
                int src = r.nextInt(count);
                System.arraycopy(d.descriptors(), src * dim, ex, j * dim, dim);
                if (j < PCA_ROWS_PER_IMAGE) {
                    System.arraycopy(d.descriptors(), src * dim, rows, n * dim, dim);
                    if (LocalFeatureCompressor.normalise(rows, n * dim, dim)) {
                        n++;
                    }
                }
            }
            int label = labels.get(i) == null ? -1 : classes.indexOf(labels.get(i));
            if (label >= 0) {
                examples.add(new AttentionTrainer.Example(ex, take, label));
            }
        }
        if (n < PCA_DIM) {
            throw new IllegalArgumentException("too few local features to fit a projection (" + n + ")");
        }
        Pca pca = Pca.fit(rows, n, dim, PCA_DIM);
        AttentionMlp attention = null;
        if (classes.size() >= 2) {
            attention = new AttentionTrainer(AttentionTrainer.Config.defaults()).train(examples, dim, classes.size());
        }
        LOG.info("Fitted local feature model on {} images ({} features, {} labels: {} keypoints)", sample.size(), n,
                classes.size(), attention == null ? "norm" : "attention");
        return new LocalFeatureModel(pca, attention, sample.size());
    }
}
