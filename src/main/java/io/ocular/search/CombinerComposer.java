package io.ocular.search;

import io.ocular.model.OcularException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A learned composer: CLIP4Cir's Combiner ({@link CombinerModel}) for one image space. The text weight of the
 * query is not used between its ends (the model learned its own mixing coefficient λ per pair); the search
 * service still answers w = 0 with the image alone and w = 1 with the text alone.
 */
public final class CombinerComposer implements QueryComposer {
    private static final Logger LOG = LoggerFactory.getLogger(CombinerComposer.class);
    private final CombinerModel model;

    /** Where the data folder keeps the learned composer of an image space (one per model). */
    public static Path fileFor(Path dataDir, String modelId) {
        return dataDir.resolve("composers").resolve(modelId.replaceAll("[^A-Za-z0-9._-]", "_") + ".combiner");
    }

    /**
     * The composer a model's searches use: its learned Combiner when {@link #fileFor} holds one of the right
     * dimension, else the weighted sum (also when the file is damaged: logged, never fatal for search).
     */
    public static QueryComposer forModel(Path dataDir, String modelId, int dimension) {
        Path file = fileFor(dataDir, modelId);
        if (!Files.isRegularFile(file)) {
            return new WeightedSumComposer();
        }
        try {
            CombinerModel m = CombinerModel.load(file);
            if (m.dimension() == dimension) {
                LOG.info("composed queries of {} use the learned combiner {}", modelId, file);
                return new CombinerComposer(m);
            }
            LOG.warn("{} was trained for {}-d vectors, {} makes {}-d ones; the weighted sum is used", file,
                    m.dimension(), modelId, dimension);
        } catch (IOException | RuntimeException e) {
            LOG.warn("the learned combiner {} cannot be used ({}); the weighted sum is used", file, e.getMessage());
        }
        return new WeightedSumComposer();
    }

    public CombinerComposer(CombinerModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    public CombinerModel model() {
        return model;
    }

    @Override
    public float[] compose(float[] image, float[] text, double weight) {
        WeightedSumComposer.requireWeight(weight);
        if (image.length != model.dimension() || text.length != model.dimension()) {
            throw new OcularException("the learned composer was trained for " + model.dimension()
                    + "-dimensional vectors, but the query has " + image.length + "; reset it or train it again"
                    + " for this model");
        }
        return model.combine(image, text);
    }
}
