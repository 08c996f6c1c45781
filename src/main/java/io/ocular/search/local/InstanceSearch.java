package io.ocular.search.local;

import io.ocular.embed.DenseFeatureExtractor;
import io.ocular.model.ImageStatus;
import io.ocular.model.OcularException;
import io.ocular.search.QueryImageLoader;
import io.ocular.search.ScanPool;
import io.ocular.store.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Instance search of one data folder: the user setting ({@value #ENABLED_SETTING}), the MobileNetV2 feature
 * model from the model store (opened lazily, once), the collection's fitted {@link LocalFeatureModel} and the
 * {@link LocalVerifier} over the catalog's {@code local-features-v1} blobs. The indexing daemon fills the blobs
 * through {@link #pass()}; the search service verifies through {@link #verifier()}. Thread-safe.
 */
public final class InstanceSearch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceSearch.class);

    /** Catalog setting: "on" turns instance search on (off by default). */
    public static final String ENABLED_SETTING = "instance.search";
    /** Catalog setting: the cost of the last follow-up pass, for status displays. */
    public static final String LAST_PASS_SETTING = "instance.last_pass";
    /** Shown whenever instance search is asked for without the feature model installed. */
    public static final String MODEL_MISSING = "Instance search needs the photo model (MobileNetV2):"
            + " download it with 'ocular models download mobilenetv2-int8' (Settings → Models in the app), or import"
            + " the ONNX Model Zoo file with 'ocular models import mobilenetv2-12-int8.onnx'.";

    /** The feature model is not installed (the message says how to install it). */
    public static final class ModelMissingException extends OcularException {
        private static final long serialVersionUID = 1L;

        public ModelMissingException() {
            super(MODEL_MISSING);
        }
    }

    /**
     * @param maxFeatures    keypoints kept per image
     * @param minImages      indexed images needed before the model is fitted
     * @param sampleImages   images the model is fitted on (at most)
     * @param decodeLongSide images are decoded to fit this longer side (the extractor's pyramid tops out here)
     */
    public record Config(int maxFeatures, int minImages, int sampleImages, int decodeLongSide,
                         LocalVerifier.Config verifier) {
        public Config {
            if (maxFeatures < 1 || minImages < 1 || sampleImages < minImages || decodeLongSide < 32) {
                throw new IllegalArgumentException("bad instance search config");
            }
        }

        /** N = 300 keypoints, fit once 8 images are indexed on up to 60, 724 px (512 × √2, the top level). */
        public static Config defaults() {
            return new Config(300, 8, 60, 724, LocalVerifier.Config.defaults());
        }
    }

    /** What status displays show. */
    public record Status(boolean enabled, Optional<Path> modelFile, Optional<String> keypoints, int sampleImages,
                         long imagesWithFeatures, long indexedImages, Optional<String> lastPass) {
    }

    private final Catalog catalog;
    private final Supplier<Optional<Path>> modelFile;
    private final Function<Path, DenseFeatureExtractor> opener;
    private final QueryImageLoader loader;
    private final Config config;
    private final ScanPool pool;
    private final Object lock = new Object();
    private DenseFeatureExtractor extractor; // guarded by lock
    private boolean closed; // guarded by lock
    private volatile Cached cached;

    private record Cached(String pcaSetting, String attentionSetting, LocalFeatureModel model) {
    }

    /**
     * @param modelFile where the installed feature model is (looked up on each use: it may be imported later)
     * @param opener    opens the extractor on that file
     * @param loader    decodes an image to fit {@link Config#decodeLongSide()} (the same for index and query)
     * @param pool      threads a query's candidates are verified on (null: the calling thread)
     */
    public InstanceSearch(Catalog catalog, Supplier<Optional<Path>> modelFile,
                          Function<Path, DenseFeatureExtractor> opener, QueryImageLoader loader, Config config,
                          ScanPool pool) {
        this.pool = pool;
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.modelFile = Objects.requireNonNull(modelFile, "modelFile");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.config = Objects.requireNonNull(config, "config");
    }

    public Config config() {
        return config;
    }

    public Catalog catalog() {
        return catalog;
    }

    public boolean enabled() {
        return catalog.setting(ENABLED_SETTING).map("on"::equals).orElse(false);
    }

    public Optional<Path> modelFile() {
        return modelFile.get();
    }

    /** @throws ModelMissingException when the feature model is not installed */
    public Path requireModel() {
        return modelFile.get().orElseThrow(ModelMissingException::new);
    }

    /** The dense feature extractor, opened on first use. */
    public DenseFeatureExtractor extractor() {
        synchronized (lock) {
            if (closed) {
                throw new OcularException("Instance search is shut down.");
            }
            if (extractor == null) {
                Path file = requireModel();
                extractor = opener.apply(file);
                LOG.info("Opened the local feature model {}", file);
            }
            return extractor;
        }
    }

    /** An image decoded the way its stored features were computed (coordinates match them). */
    public BufferedImage load(Path file) {
        BufferedImage img = loader.load(file);
        if (img == null) {
            throw new OcularException("could not read " + file + " as an image");
        }
        return img;
    }

    /** The collection's fitted model, if it has been fitted. */
    public Optional<LocalFeatureModel> model() {
        String pca = catalog.setting(LocalFeatureModel.PCA_SETTING).orElse(null);
        if (pca == null) {
            return Optional.empty();
        }
        String att = catalog.setting(LocalFeatureModel.ATTENTION_SETTING).orElse(null);
        Cached c = cached;
        if (c != null && c.pcaSetting().equals(pca) && Objects.equals(c.attentionSetting(), att)) {
            return Optional.of(c.model());
        }
        Optional<LocalFeatureModel> m = LocalFeatureModel.fromSettings(catalog::setting);
        m.ifPresent(model -> cached = new Cached(pca, att, model));
        return m;
    }

    /**
     * A verifier over the catalog's blobs; empty until the model has been fitted (features are computed
     * after indexing). Opens the feature model.
     */
    public Optional<LocalVerifier> verifier() {
        return model().map(m -> new LocalVerifier(extractor(), m.compressor(config.maxFeatures()),
                new CatalogLocalFeatureStore(catalog), config.verifier(), pool));
    }

    /** The follow-up pass the indexing daemon runs to fill the blobs (while {@link #enabled()}). */
    public LocalFeaturePass pass() {
        return new LocalFeaturePass(this);
    }

    public Status status() {
        Optional<LocalFeatureModel> m = model();
        return new Status(enabled(), modelFile.get(), m.map(x -> x.selector().name()),
                m.map(LocalFeatureModel::sampleImages).orElse(0), catalog.countImageData(CatalogLocalFeatureStore.KIND),
                catalog.countImages(ImageStatus.INDEXED), catalog.setting(LAST_PASS_SETTING));
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (extractor != null) {
                extractor.close();
                extractor = null;
            }
        }
    }
}
