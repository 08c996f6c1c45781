package io.ocular.cli;

import io.ocular.embed.ClipPreprocessor;
import io.ocular.embed.ImageEncoder;
import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.index.DecodedImage;
import io.ocular.index.ImageDecodeException;
import io.ocular.index.ImageDecoder;
import io.ocular.index.ImageFormats;
import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.IndexProgress;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;
import io.ocular.store.Catalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code ocular bench pipeline}: where first-run indexing time goes (issue 13 part 6, decision 0230). Each stage
 * alone on the same photos — decode at the model's working size, CLIP's resize and normalisation, inference on
 * ready 224×224 images in batches (the model's own rate, every core given to ONNX Runtime), catalog writes —
 * then the real indexing pipeline (scan, hash, decode, embed, commit) over copies of those photos, and its rate
 * as a share of the model's own. Stage times are one thread's; inference uses all of ONNX Runtime's threads.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = {"Where indexing time goes, per photo: decode, resize (CLIP's 224 bicubic and normalisation),"
                + " inference (the model's own rate on ready 224x224 images, batched), catalog writes; then the"
                + " whole indexing pipeline on copies of the same photos, as a share of the model's own rate.",
                "Runs in a throwaway catalog; nothing is added to your library."})
final class BenchPipelineCommand implements Callable<Integer> {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @ParentCommand
    BenchCommand bench;
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "Folder of photos (searched recursively).")
    Path folder;

    @Option(names = "--model", paramLabel = "ID", description = "Model from your model store (default: the active model of your data folder).")
    String model;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "64",
            description = "Photos to use (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "16",
            description = "Images per model call when measuring the model's own rate (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (limit < 1 || batch < 1) {
            throw new OcularException("--limit and --batch must be at least 1.");
        }
        if (!Files.isDirectory(folder)) {
            throw new OcularException("Folder not found: " + folder);
        }
        List<Path> photos;
        try (Stream<Path> s = Files.walk(folder)) {
            photos = s.filter(Files::isRegularFile)
                    .filter(p -> ImageFormats.isSupportedName(String.valueOf(p.getFileName())))
                    .sorted().limit(limit).toList();
        }
        if (photos.isEmpty()) {
            throw new OcularException("No photos in " + folder + ".");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppPaths user = bench.root.paths();
        Path tmp = Files.createTempDirectory("ocular-bench-");
        try (CtrlC ctrlC = new CtrlC();
             Engine ocular = bench.root.opener().open(
                     AppPaths.under(tmp.resolve("data")).withModelsDir(user.modelsDir()).createDirectories(),
                     model != null ? model : Engine.activeModelId(user).orElse(null))) {
            ImageEncoder encoder = ocular.imageEncoder();
            List<BufferedImage> ready = noiseImages(Math.min(batch, photos.size()));
            encoder.encode(ready.subList(0, Math.min(2, ready.size()))); // warm-up: ONNX Runtime's first run

            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", ocular.activeModel().id());
            o.put("photos", photos.size());
            o.put("cores", Runtime.getRuntime().availableProcessors());
            o.put("load_average", loadAverage());

            List<BufferedImage> decoded = new ArrayList<>();
            long decodeCpu0 = THREADS.getCurrentThreadCpuTime();
            double decodeMs = timeEach(photos, p -> decoded.add(decode(p, encoder.preferredShortSide())));
            double decodeCpuMs = (THREADS.getCurrentThreadCpuTime() - decodeCpu0) / 1e6 / photos.size();
            double resizeMs = timeEach(decoded, ClipPreprocessor::toTensor);
            double inferMs = inferenceMsPerImage(encoder, ready, photos.size());
            double writeMs = writeMsPerImage(tmp.resolve("writes"), photos, ocular.activeModel());
            o.put("decode_ms", round(decodeMs));
            o.put("decode_cpu_ms", round(decodeCpuMs));   // this thread's CPU time: independent of the load
            o.put("resize_ms", round(resizeMs));
            o.put("inference_ms", round(inferMs));
            o.put("write_ms", round(writeMs));
            o.put("model_images_per_s", round(1000 / inferMs));
            o.put("serial_images_per_s", round(1000 / (decodeMs + resizeMs + inferMs + writeMs)));
            // The most any overlap can reach when inference already uses every core: its CPU time per photo over
            // the CPU time of all stages (decode, resize and writes add work that must share the same cores).
            int cores = Runtime.getRuntime().availableProcessors();
            o.put("cpu_bound_share_of_model", round(inferMs * cores / (inferMs * cores + decodeMs + resizeMs + writeMs)));

            Path copies = Files.createDirectories(tmp.resolve("photos"));
            for (int i = 0; i < photos.size(); i++) {
                Path p = photos.get(i);
                Files.copy(p, copies.resolve(i + "-" + p.getFileName()));
            }
            long start = System.nanoTime();
            IndexProgress last = IndexRun.runToCompletion(ocular.indexer(), () -> ocular.indexer().addFolder(copies),
                    err, ctrlC);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (ctrlC.interrupted()) {
                err.println("Cancelled.");
                return 130;
            }
            long indexed = ocular.catalog().countImages(ImageStatus.INDEXED);
            double pipeline = indexed / seconds;
            o.put("pipeline_images", indexed);
            o.put("pipeline_skipped", last.skipped());
            o.put("pipeline_images_per_s", round(pipeline));
            o.put("pipeline_share_of_model", round(pipeline * inferMs / 1000));
            o.put("load_average_after", loadAverage());
            BenchCommand.print(out, o, json);
            return 0;
        } finally {
            TempDirs.deleteRecursively(tmp);
        }
    }

    private static BufferedImage decode(Path p, int shortSide) {
        try {
            DecodedImage d = new ImageDecoder().decode(p, shortSide);
            return d.image();
        } catch (ImageDecodeException e) {
            throw new OcularException("Cannot decode " + p + ": " + e.reason() + ". Use a folder of readable photos.");
        }
    }

    /** Milliseconds per item of {@code action} over {@code items}, on this thread. */
    private static <T> double timeEach(List<T> items, Consumer<T> action) {
        long start = System.nanoTime();
        items.forEach(action);
        return (System.nanoTime() - start) / 1e6 / items.size();
    }

    /** The model alone: {@code n} images in calls of {@code ready.size()}, ready at 224×224. */
    private static double inferenceMsPerImage(ImageEncoder encoder, List<BufferedImage> ready, int n) {
        long start = System.nanoTime();
        int done = 0;
        while (done < n) {
            int k = Math.min(ready.size(), n - done);
            encoder.encode(ready.subList(0, k));
            done += k;
        }
        return (System.nanoTime() - start) / 1e6 / n;
    }

    /** One transaction per 16 photos with their vectors, as the indexing writer commits them. */
    private static double writeMsPerImage(Path dir, List<Path> photos, ModelInfo model) {
        int dimension = model.dimension();
        Random random = new Random(7);
        try (Catalog catalog = Engine.openCatalog(AppPaths.under(dir).createDirectories())) {
            catalog.registerModel(model);
            FolderRecord f = catalog.addFolder(dir);
            long start = System.nanoTime();
            for (int from = 0; from < photos.size(); from += 16) {
                List<ImageRecord> records = new ArrayList<>();
                List<float[]> vectors = new ArrayList<>();
                for (int i = from; i < Math.min(photos.size(), from + 16); i++) {
                    records.add(new ImageRecord(0, f.id(), dir.resolve(i + ".jpg"), 1000 + i, 1000L * i,
                            Long.toHexString(random.nextLong()) + i, 4000, 3000, Instant.EPOCH, 1,
                            ImageStatus.INDEXED, null));
                    float[] v = new float[dimension];
                    for (int j = 0; j < dimension; j++) {
                        v[j] = (float) random.nextGaussian();
                    }
                    vectors.add(v);
                }
                catalog.commitBatch(records, model.id(), vectors);
            }
            return (System.nanoTime() - start) / 1e6 / photos.size();
        } catch (Exception e) {
            throw new OcularException("Could not measure catalog writes in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<BufferedImage> noiseImages(int n) {
        Random random = new Random(3);
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage b = new BufferedImage(ClipPreprocessor.SIZE, ClipPreprocessor.SIZE, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < b.getHeight(); y++) {
                for (int x = 0; x < b.getWidth(); x++) {
                    b.setRGB(x, y, random.nextInt(1 << 24));
                }
            }
            images.add(b);
        }
        return images;
    }

    static double loadAverage() {
        return round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
