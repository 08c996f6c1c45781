package io.ocular.cli;

import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.eval.FeatureCache;
import io.ocular.index.FolderScanner;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;
import io.ocular.store.EmbeddingMatrix;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;

/**
 * The real vectors behind {@code bench search --vectors-from}: every photo under the folders indexed with the
 * user's model in a throwaway data folder — the app's own scan, decode and embedding, as {@code eval} indexes a
 * dataset — and kept in the eval's feature cache, so a second run over the same photos and model embeds nothing.
 */
final class BenchVectors {
    private BenchVectors() {
    }

    /** The vectors of the photos under {@code folders} (in path order; photos the indexer skipped left out). */
    static EmbeddingMatrix of(OcularCli root, List<Path> folders, String model, FeatureCache cache, PrintWriter err)
            throws IOException, InterruptedException {
        List<Path> dirs = new ArrayList<>();
        List<Path> photos = new ArrayList<>();
        for (Path f : folders) {
            Path dir = f.toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new OcularException("Folder not found: " + f);
            }
            dirs.add(dir);
            photos.addAll(photosUnder(dir));
        }
        if (photos.isEmpty()) {
            throw new OcularException("No photos under " + folders + ".");
        }
        AppPaths user = root.paths();
        Path tmp = Files.createTempDirectory("ocular-bench-vectors-");
        try (CtrlC ctrlC = new CtrlC();
             Engine ocular = root.opener().open(AppPaths.under(tmp).withModelsDir(user.modelsDir()).createDirectories(),
                     model != null ? model : Engine.activeModelId(user).orElse(null))) {
            ModelInfo active = ocular.activeModel();
            String key = FeatureCache.key("bench-vectors", active.id(), active.sha256(), photos, "indexer");
            float[][] rows = cache == null ? null : cache.load(key).map(FeatureCache::firstViews)
                    .filter(v -> v.length == photos.size()).orElse(null);
            if (rows == null) {
                err.printf("Embedding %,d photos with %s (cached for the next run)...%n", photos.size(), active.id());
                err.flush();
                IndexRun.runToCompletion(ocular.indexer(), () -> dirs.forEach(d -> ocular.indexer().addFolder(d)), err,
                        ctrlC);
                if (ctrlC.interrupted()) {
                    throw new CancellationException("cancelled");
                }
                rows = EvalCommand.features(ocular.catalog(), active.id(), photos);
                if (cache != null) {
                    cache.save(key, FeatureCache.single(rows));
                }
            }
            return matrix(active.id(), rows);
        } finally {
            TempDirs.deleteRecursively(tmp);
        }
    }

    /** The photos under {@code dir} (any depth) that the indexer would take, in path order. */
    static List<Path> photosUnder(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> FolderScanner.isImageName(p.getFileName().toString()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new OcularException("Cannot read " + dir + ": " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new OcularException("Cannot read " + dir + ": " + e.getCause().getMessage());
        }
    }

    /** The non-null rows as one matrix, ids 1.. in order. */
    private static EmbeddingMatrix matrix(String modelId, float[][] rows) {
        float[][] kept = Arrays.stream(rows).filter(r -> r != null).toArray(float[][]::new);
        if (kept.length == 0) {
            throw new OcularException("None of the photos could be embedded.");
        }
        int dim = kept[0].length;
        long[] ids = new long[kept.length];
        float[] data = new float[kept.length * dim];
        for (int i = 0; i < kept.length; i++) {
            ids[i] = i + 1L;
            System.arraycopy(kept[i], 0, data, i * dim, dim);
        }
        return new EmbeddingMatrix(modelId, dim, ids, data);
    }
}
