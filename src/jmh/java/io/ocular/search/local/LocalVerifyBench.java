package io.ocular.search.local;

import io.ocular.embed.DenseFeatureExtractor;
import io.ocular.model.DenseLocalFeatures;
import io.ocular.model.ScoredId;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Re-ranking cost for one query against K=100 stored candidates (decode + mutual-NN + RANSAC), on synthetic
 * features: 10 candidates share 80 transformed features with the query, the rest are unrelated.
 * {@code mvn -B -o -Pjmh package -DskipTests && java -jar target/benchmarks.jar LocalVerifyBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LocalVerifyBench {

    @Param({"300", "500"})
    public int features;

    private LocalVerifier verifier;
    private LocalFeatures query;
    private List<ScoredId> candidates;

    @Setup
    public void setUp() {
        Random r = new Random(1);
        float[] pcaData = new float[500 * 96];
        for (int i = 0; i < pcaData.length; i++) {
            pcaData[i] = (float) r.nextGaussian();
        }
        Pca pca = Pca.fit(pcaData, 500, 96, 40);
        DenseFeatureExtractor none = new DenseFeatureExtractor() {
            public int dimension() {
                return 96;
            }

            public DenseLocalFeatures extract(BufferedImage image) {
                throw new UnsupportedOperationException();
            }

            public void close() {
            }
        };
        verifier = new LocalVerifier(none, new LocalFeatureCompressor(new NormKeypointSelector(), pca, features),
                new InMemoryLocalFeatureStore(), LocalVerifier.Config.defaults());
        query = random(r, features);
        candidates = new ArrayList<>();
        for (int c = 0; c < 100; c++) {
            LocalFeatures f = random(r, features);
            if (c % 10 == 0) {
                for (int i = 0; i < 80; i++) {
                    f.x()[i] = query.x()[i] * 0.9f + 5;
                    f.y()[i] = query.y()[i] * 0.9f + 3;
                    for (int k = 0; k < 40; k++) {
                        f.descriptors()[i * 40 + k] = query.descriptors()[i * 40 + k] + (float) r.nextGaussian() * 0.03f;
                    }
                    LocalFeatureCompressor.normalise(f.descriptors(), i * 40, 40);
                }
            }
            verifier.index(c, f);
            candidates.add(new ScoredId(c, 0.5f));
        }
    }

    private static LocalFeatures random(Random r, int n) {
        float[] x = new float[n], y = new float[n], s = new float[n], d = new float[n * 40];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat() * 640;
            y[i] = r.nextFloat() * 480;
            s[i] = 1;
            for (int k = 0; k < 40; k++) {
                d[i * 40 + k] = (float) r.nextGaussian();
            }
            LocalFeatureCompressor.normalise(d, i * 40, 40);
        }
        return new LocalFeatures(640, 480, 40, x, y, s, d);
    }

    @Benchmark
    public VerificationResult verify100() {
        return verifier.verify(query, candidates);
    }
}
