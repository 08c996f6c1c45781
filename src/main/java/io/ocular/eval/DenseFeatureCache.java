package io.ocular.eval;

import io.ocular.embed.DenseFeatureExtractor;
import io.ocular.model.DenseLocalFeatures;
import io.ocular.search.QuarterTurns;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Dense local features of evaluation photos (optionally turned by quarter turns) kept in the
 * {@link FeatureCache} between runs, so that trying another keypoint count, threshold or geometric model does
 * not run the network again. One entry per photo and turn: a header row {@code [width, height]} then one row
 * per cell {@code [x, y, scale, norm, descriptor...]}.
 */
public final class DenseFeatureCache {
    private final DenseFeatureExtractor extractor;
    private final String modelKey;
    private final String params;
    private final Function<Path, BufferedImage> loader;
    private final FeatureCache cache;

    /**
     * @param modelKey identifies the extractor's model (e.g. its SHA-256)
     * @param params   what else the features depend on (decode size, pyramid)
     * @param loader   decodes a photo the way the library does
     * @param cache    where entries are kept, or null for none
     */
    public DenseFeatureCache(DenseFeatureExtractor extractor, String modelKey, String params,
                             Function<Path, BufferedImage> loader, FeatureCache cache) {
        this.extractor = extractor;
        this.modelKey = modelKey;
        this.params = params;
        this.loader = loader;
        this.cache = cache;
    }

    /** The photo's dense features, turned {@code turns} × 90° clockwise before extraction. */
    public DenseLocalFeatures get(Path photo, int turns) {
        String key = FeatureCache.key("dense", "local", modelKey, List.of(photo), params + ";turns=" + turns);
        if (cache != null) {
            var hit = cache.load(key);
            if (hit.isPresent()) {
                return fromRows(hit.get()[0], extractor.dimension());
            }
        }
        DenseLocalFeatures d = extractor.extract(QuarterTurns.rotate(loader.apply(photo), turns));
        if (cache != null) {
            cache.save(key, new float[][][]{toRows(d)});
        }
        return d;
    }

    static float[][] toRows(DenseLocalFeatures d) {
        int dim = d.dim();
        float[][] rows = new float[d.count() + 1][4 + dim];
        rows[0][0] = d.width();
        rows[0][1] = d.height();
        for (int i = 0; i < d.count(); i++) {
            float[] r = rows[i + 1];
            r[0] = d.x()[i];
            r[1] = d.y()[i];
            r[2] = d.scale()[i];
            r[3] = d.norm()[i];
            System.arraycopy(d.descriptors(), i * dim, r, 4, dim);
        }
        return rows;
    }

    static DenseLocalFeatures fromRows(float[][] rows, int dim) {
        int n = rows.length - 1;
        float[] x = new float[n];
        float[] y = new float[n];
        float[] s = new float[n];
        float[] nm = new float[n];
        float[] d = new float[n * dim];
        for (int i = 0; i < n; i++) {
            float[] r = rows[i + 1];
            x[i] = r[0];
            y[i] = r[1];
            s[i] = r[2];
            nm[i] = r[3];
            System.arraycopy(r, 4, d, i * dim, dim);
        }
        return new DenseLocalFeatures((int) rows[0][0], (int) rows[0][1], dim, x, y, s, nm, d, new float[0]);
    }
}
