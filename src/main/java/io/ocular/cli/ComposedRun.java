package io.ocular.cli;

import io.ocular.embed.ImageEncoder;
import io.ocular.embed.TextEncoder;
import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.eval.ComposedBenchmark;
import io.ocular.eval.ComposedEval;
import io.ocular.eval.FeatureCache;
import io.ocular.index.ImageDecoder;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * The shared part of {@code ocular eval --protocol cirr|fashioniq} and {@code ocular train combiner}: opens a
 * throwaway engine with a model of the user's store, and embeds a benchmark's images (through the feature cache)
 * and texts with it. The images are decoded and encoded directly rather than indexed: a benchmark split is a
 * list of files, not a folder to watch.
 */
final class ComposedRun implements AutoCloseable {
    private static final int BATCH = 16;

    private final Path tmp;
    private final Engine engine;
    private final TextEncoder text;
    private final FeatureCache cache;

    ComposedRun(OcularCli root, String modelId, FeatureCache cache) throws IOException {
        AppPaths user = root.paths();
        this.tmp = Files.createTempDirectory("ocular-composed-");
        this.cache = cache;
        Engine opened = null;
        try {
            AppPaths paths = AppPaths.under(tmp).withModelsDir(user.modelsDir()).createDirectories();
            String id = modelId != null ? modelId : Engine.activeModelId(user).orElse(null);
            opened = root.opener().open(paths, id);
            ModelInfo m = opened.activeModel();
            this.text = opened.textEncoder().orElseThrow(() -> new OcularException("the model " + m.id()
                    + " has no text tower; composed retrieval needs a CLIP model (import one with 'ocular models"
                    + " import' and pass --model ID)"));
            this.engine = opened;
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            TempDirs.deleteRecursively(tmp);
            throw e;
        }
    }

    ModelInfo model() {
        return engine.activeModel();
    }

    /** The benchmark with its image and text vectors, ready to score or train on. */
    ComposedEval embed(ComposedBenchmark b, PrintWriter err, BooleanSupplier cancelled) {
        List<Path> files = new ArrayList<>(b.images().values());
        ModelInfo m = model();
        String key = FeatureCache.key("composed", m.id(), m.sha256(), files, "direct");
        float[][] images = cache == null ? null
                : cache.load(key).map(FeatureCache::firstViews).filter(f -> f.length == files.size()).orElse(null);
        if (images == null) {
            images = encodeImages(files, err, cancelled, b.name());
            if (cache != null) {
                cache.save(key, FeatureCache.single(images));
            }
        }
        List<String> texts = b.triplets().stream().map(ComposedBenchmark.Triplet::text).toList();
        float[][] textVectors = new float[texts.size()][];
        for (int start = 0; start < texts.size(); start += 64) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException();
            }
            List<String> part = texts.subList(start, Math.min(texts.size(), start + 64));
            List<Integer> rows = new ArrayList<>();
            List<String> nonBlank = new ArrayList<>();
            for (int i = 0; i < part.size(); i++) {
                if (!part.get(i).isBlank()) {
                    rows.add(start + i);
                    nonBlank.add(part.get(i));
                }
            }
            if (!nonBlank.isEmpty()) {
                float[][] v = text.encodeText(nonBlank);
                for (int i = 0; i < v.length; i++) {
                    textVectors[rows.get(i)] = v[i];
                }
            }
        }
        return new ComposedEval(b, images, textVectors);
    }

    private float[][] encodeImages(List<Path> files, PrintWriter err, BooleanSupplier cancelled, String name) {
        ImageEncoder encoder = engine.imageEncoder();
        ImageDecoder decoder = new ImageDecoder();
        float[][] out = new float[files.size()][];
        int skipped = 0;
        for (int start = 0; start < files.size(); start += BATCH) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException();
            }
            List<BufferedImage> batch = new ArrayList<>();
            List<Integer> rows = new ArrayList<>();
            for (int i = start; i < Math.min(files.size(), start + BATCH); i++) {
                try {
                    batch.add(decoder.decode(files.get(i), encoder.preferredShortSide()).image());
                    rows.add(i);
                } catch (RuntimeException e) {
                    skipped++;
                }
            }
            if (!batch.isEmpty()) {
                float[][] v = encoder.encode(batch);
                for (int i = 0; i < v.length; i++) {
                    out[rows.get(i)] = v[i];
                }
            }
            if ((start / BATCH) % 50 == 49) {
                err.printf("%s: %d of %d images embedded%n", name, start + BATCH, files.size());
                err.flush();
            }
        }
        if (skipped > 0) {
            err.printf("%s: %d of %d images could not be read and are left out%n", name, skipped, files.size());
            err.flush();
        }
        return out;
    }

    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            TempDirs.deleteRecursively(tmp);
        }
    }
}
