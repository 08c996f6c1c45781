package io.ocular.search.train;

import io.ocular.embed.ImageEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Builds an SPQ {@link TrainingSet} from the user's photos: each photo is decoded once, {@code views}
 * augmented views are made from it ({@link ViewAugmenter}) and embedded in batches by the frozen encoder.
 * Photos that fail to decode are left out (they are already recorded as skipped by the indexer).
 */
public final class TrainingSetBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingSetBuilder.class);

    private final ImageEncoder encoder;
    private final Function<Path, BufferedImage> decoder;
    private final ViewAugmenter augmenter;
    private final int views;
    private final int batchSize;

    public TrainingSetBuilder(ImageEncoder encoder, Function<Path, BufferedImage> decoder, int viewSize, int views,
                              int batchSize) {
        if (views < 2) {
            throw new IllegalArgumentException("contrastive training needs at least two views per photo");
        }
        this.encoder = encoder;
        this.decoder = decoder;
        this.augmenter = new ViewAugmenter(viewSize);
        this.views = views;
        this.batchSize = batchSize;
    }

    /** Progress in photos; return quickly. */
    @FunctionalInterface
    public interface Progress {
        void onPhotos(int done, int total);
    }

    /**
     * @return the training set and, in {@code keptIndices}, which of {@code photos} made it in (in order)
     */
    public Result build(List<Path> photos, long seed, Progress progress, BooleanSupplier cancelled) {
        Random rnd = new Random(seed);
        List<float[][]> features = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        List<BufferedImage> pending = new ArrayList<>();
        List<Integer> pendingIdx = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("cancelled while preparing SPQ training views");
            }
            BufferedImage img;
            try {
                img = decoder.apply(photos.get(i));
            } catch (RuntimeException e) {
                LOG.debug("left out of SPQ training: {} ({})", photos.get(i), e.getMessage());
                continue;
            }
            if (img == null) {
                continue;
            }
            for (int v = 0; v < views; v++) {
                pending.add(augmenter.augment(img, rnd));
            }
            pendingIdx.add(i);
            if (pending.size() >= batchSize) {
                flush(pending, pendingIdx, features, kept);
            }
            progress.onPhotos(i + 1, photos.size());
        }
        flush(pending, pendingIdx, features, kept);
        return new Result(TrainingSet.withoutCycles(features.toArray(new float[0][][])),
                kept.stream().mapToInt(Integer::intValue).toArray());
    }

    private void flush(List<BufferedImage> pending, List<Integer> idx, List<float[][]> features, List<Integer> kept) {
        if (pending.isEmpty()) {
            return;
        }
        float[][] vecs = encoder.encode(pending);
        for (int p = 0; p < idx.size(); p++) {
            float[][] photoViews = new float[views][];
            System.arraycopy(vecs, p * views, photoViews, 0, views);
            features.add(photoViews);
            kept.add(idx.get(p));
        }
        pending.clear();
        idx.clear();
    }

    public record Result(TrainingSet set, int[] keptIndices) {
    }
}
