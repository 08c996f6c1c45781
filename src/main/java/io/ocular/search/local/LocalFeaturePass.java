package io.ocular.search.local;

import io.ocular.index.FollowUpPass;
import io.ocular.model.DenseLocalFeatures;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.OcularException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The indexing daemon's follow-up pass for instance search: once enough images are indexed, fits the
 * collection's {@link LocalFeatureModel} on a sample of them (persisted as settings by the daemon's writer;
 * older blobs are dropped since they were made with another projection), then computes each image's
 * compressed local features ({@code local-features-v1}). An image that cannot be read gets an empty blob (it
 * falls back to its global score) rather than being retried by every run.
 */
public final class LocalFeaturePass implements FollowUpPass {
    private static final Logger LOG = LoggerFactory.getLogger(LocalFeaturePass.class);
    private static final long SAMPLE_SEED = 20261127L;

    private final InstanceSearch instance;
    /** Blobs of the sample images computed while fitting, so they are not extracted twice. */
    private final Map<Long, byte[]> fromFit = new ConcurrentHashMap<>();
    private volatile LocalFeatureModel model;
    /** Time spent fitting the model in the last {@link #prepare} (its sample's features included). */
    private volatile long fitNanos;
    private volatile int fitImages;

    LocalFeaturePass(InstanceSearch instance) {
        this.instance = instance;
    }

    @Override
    public String kind() {
        return CatalogLocalFeatureStore.KIND;
    }

    @Override
    public boolean enabled() {
        return instance.enabled();
    }

    @Override
    public Optional<Preparation> prepare(List<ImageRecord> pending) {
        fromFit.clear();
        fitNanos = 0;
        fitImages = 0;
        instance.requireModel();
        Optional<LocalFeatureModel> stored = instance.model();
        if (stored.isPresent()) {
            model = stored.get();
            return Optional.of(Preparation.ready());
        }
        long indexed = instance.catalog().countImages(ImageStatus.INDEXED);
        InstanceSearch.Config cfg = instance.config();
        if (indexed < cfg.minImages() || pending.size() < cfg.minImages()) {
            LOG.info("Instance search waits for {} indexed images before fitting its model ({} so far)",
                    cfg.minImages(), pending.size());
            return Optional.empty();
        }
        long start = System.nanoTime();
        List<ImageRecord> shuffled = new ArrayList<>(pending);
        Collections.shuffle(shuffled, new Random(SAMPLE_SEED));
        List<ImageRecord> sample = shuffled.subList(0, Math.min(cfg.sampleImages(), shuffled.size()));
        List<DenseLocalFeatures> dense = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<ImageRecord> used = new ArrayList<>();
        for (ImageRecord r : sample) {
            try {
                dense.add(instance.extractor().extract(instance.load(r.path())));
                Path parent = r.path().getParent();
                labels.add(parent == null ? null : parent.toString());
                used.add(r);
            } catch (InstanceSearch.ModelMissingException e) {
                throw e;
            } catch (OcularException e) {
                LOG.warn("{}: left out of the local feature sample: {}", r.path(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("{}: left out of the local feature sample: {}", r.path(), e.toString());
            }
        }
        LocalFeatureModel fitted;
        try {
            fitted = LocalFeatureModel.fit(dense, labels, SAMPLE_SEED);
        } catch (IllegalArgumentException e) {
            LOG.info("Instance search cannot fit its model yet: {}", e.getMessage());
            return Optional.empty();
        }
        model = fitted;
        LocalFeatureCompressor compressor = fitted.compressor(cfg.maxFeatures());
        for (int i = 0; i < used.size(); i++) {
            fromFit.put(used.get(i).id(), LocalFeatureCodec.encode(compressor.compress(dense.get(i)), fitted.pca().id()));
        }
        fitNanos = System.nanoTime() - start;
        fitImages = used.size();
        LOG.info("Fitted the instance search model ({} keypoints) on {} images in {} ms", fitted.selector().name(),
                used.size(), (System.nanoTime() - start) / 1_000_000);
        boolean stale = instance.catalog().countImageData(kind()) > 0;
        return Optional.of(new Preparation(fitted.toSettings(), stale));
    }

    @Override
    public byte[] compute(ImageRecord image) {
        LocalFeatureModel m = model;
        if (m == null) {
            throw new IllegalStateException("prepare() first");
        }
        byte[] cached = fromFit.remove(image.id());
        if (cached != null) {
            return cached;
        }
        LocalFeatureCompressor compressor = m.compressor(instance.config().maxFeatures());
        BufferedImage img;
        try {
            img = instance.load(image.path());
        } catch (RuntimeException e) {
            // unreadable now (changed, unplugged...): an empty blob falls back to the global score; a change
            // of the file drops it (Catalog#upsertImage) so it is computed again then
            LOG.info("{}: no local features ({})", image.path(), e.getMessage());
            return LocalFeatureCodec.encode(LocalFeatures.empty(Math.max(1, image.width()),
                    Math.max(1, image.height()), m.pca().outputDimension()), m.pca().id());
        }
        // a model failure propagates: the image is retried by the next run
        LocalFeatures features = compressor.compress(instance.extractor().extract(img));
        return LocalFeatureCodec.encode(features, m.pca().id());
    }

    @Override
    public Map<String, String> summary(int images, long bytes, Duration took) {
        fromFit.clear();
        // the sample's features were extracted while fitting: that time belongs to the per-image cost
        double ms = (took.toNanos() + fitNanos) / 1e6 / images;
        String fit = fitImages == 0 ? "" : String.format(Locale.ROOT, " (incl. fitting the model on %d images)",
                fitImages);
        return Map.of(InstanceSearch.LAST_PASS_SETTING, String.format(Locale.ROOT,
                "%d images, %.0f ms/image%s, %.0f bytes/image", images, ms, fit, bytes / (double) images));
    }
}
