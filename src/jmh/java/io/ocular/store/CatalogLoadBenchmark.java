package io.ocular.store;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Loading all vectors of a model from the catalog ({@link SqliteCatalog#loadEmbeddings}), the cost paid
 * when the search index is (re)built at start-up or after a model switch.
 *
 * <pre>
 * mvn -B -o -q -Pjmh package -DskipTests &amp;&amp; java -jar target/benchmarks.jar CatalogLoadBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx3g")
public class CatalogLoadBenchmark {

    @Param("100000")
    public int rows;

    @Param("1280")
    public int dimension;

    private Path dir;
    private SqliteCatalog catalog;
    private ModelInfo model;

    @Setup(Level.Trial)
    public void fill() throws IOException {
        dir = Files.createTempDirectory("ocular-bench");
        catalog = SqliteCatalog.open(dir.resolve("catalog.db"));
        model = new ModelInfo("bench", "bench", ModelKind.IMAGE, dimension, "bench");
        catalog.registerModel(model);
        FolderRecord folder = catalog.addFolder(dir.resolve("photos"));
        SplittableRandom random = new SplittableRandom(42);
        int batch = 500;
        for (int start = 0; start < rows; start += batch) {
            List<ImageRecord> images = new ArrayList<>(batch);
            List<float[]> vectors = new ArrayList<>(batch);
            for (int i = start; i < Math.min(rows, start + batch); i++) {
                images.add(new ImageRecord(0, folder.id(), dir.resolve("photos/" + (i / 1000) + "/" + i + ".jpg"),
                        1_000_000, 1_700_000_000_000L, Long.toHexString(random.nextLong()), 4000, 3000, null, 1,
                        ImageStatus.INDEXED, null));
                float[] v = new float[dimension];
                for (int d = 0; d < dimension; d++) {
                    v[d] = (float) random.nextDouble(-1, 1);
                }
                vectors.add(v);
            }
            catalog.commitBatch(images, model.id(), vectors);
        }
    }

    @Benchmark
    public EmbeddingMatrix loadEmbeddings() {
        return catalog.loadEmbeddings(model.id());
    }

    @TearDown(Level.Trial)
    public void clean() throws IOException {
        catalog.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
