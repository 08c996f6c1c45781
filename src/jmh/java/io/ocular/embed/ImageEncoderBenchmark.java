package io.ocular.embed;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Encoding throughput in images per second, one batch of 16 decoded corel1k images (256x256, so the
 * network sees 320x320) per operation: MobileNetV2 INT8 via ONNX Runtime, and the built-in descriptor.
 * Decoding is not included. Needs the shared model and data (system property {@code ocular.shared.dir},
 * default {@code ../shared}):
 *
 * <pre>
 * mvn -B -o -q -Pjmh package -DskipTests &amp;&amp; java -Docular.shared.dir=../shared -jar target/benchmarks.jar ImageEncoderBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dai.djl.offline=true", "-Dai.djl.onnx.disable_alternative=true"})
public class ImageEncoderBenchmark {
    private static final int BATCH = 16;

    /** ONNX Runtime intra-op threads (the target machine has 2 cores). */
    @Param("2")
    public int threads;

    private Path dataDir;
    private OnnxImageEncoder mobileNet;
    private BuiltinDescriptor builtin;
    private List<BufferedImage> images;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path shared = Path.of(System.getProperty("ocular.shared.dir", "../shared")).toAbsolutePath();
        Path onnx = shared.resolve("models/mobilenetv2-int8/mobilenetv2-12-int8-features.onnx");
        Path corel = shared.resolve("data/corel1k/images");
        if (!Files.isRegularFile(onnx) || !Files.isDirectory(corel)) {
            throw new IllegalStateException("shared model/data not found under " + shared
                    + " (set -Docular.shared.dir)");
        }
        dataDir = Files.createTempDirectory("ocular-encoder-bench");
        InstalledModel m = new ModelStore(dataDir).importFile(onnx, Optional.empty());
        mobileNet = new OnnxImageEncoder(m, threads, BATCH);
        builtin = new BuiltinDescriptor();
        images = new ArrayList<>();
        String[] classes = {"africans", "beaches", "buildings", "buses", "dinosaurs", "elephants", "flowers",
                "horses", "mountains", "food"};
        for (int i = 0; images.size() < BATCH; i++) {
            int cls = i % classes.length;
            images.add(ImageIO.read(corel.resolve(classes[cls] + "/" + (cls * 100 + i / classes.length) + ".jpg")
                    .toFile()));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        mobileNet.close();
        ModelStore.deleteTreeQuietly(dataDir);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[][] mobileNetV2Batch16() {
        return mobileNet.encode(images);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[][] builtinBatch16() {
        return builtin.encode(images);
    }
}
