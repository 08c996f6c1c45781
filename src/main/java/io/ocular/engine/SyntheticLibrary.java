package io.ocular.engine;

import io.ocular.embed.BuiltinDescriptor;
import io.ocular.embed.EncoderRegistry;
import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;
import io.ocular.search.SyntheticVectors;
import io.ocular.store.SqliteCatalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongConsumer;

/**
 * Writes a data folder whose catalog holds {@code rows} synthetic photos with vectors of an installed model, for
 * the library-scale benchmark of the app path ({@code ocular bench catalog} / {@code bench library}, issue 13):
 * rows spread over {@value #FOLDERS} folders and twenty years of capture dates (so folder and date filters have
 * something to select), vectors from {@link SyntheticVectors.Mixture} (a skewed Gaussian mixture on the unit
 * sphere, about one theme per thousand photos). The photo files do not exist; searching by an indexed photo
 * uses its stored vector, so no file is read.
 */
public final class SyntheticLibrary {
    static final int FOLDERS = 100;
    private static final int BATCH = 2_000;
    private static final long START = Instant.parse("2005-01-01T00:00:00Z").getEpochSecond();
    private static final long SPAN = 20L * 365 * 24 * 3600;

    private SyntheticLibrary() {
    }

    /**
     * Generates the library into {@code paths}' catalog (which must not exist yet), makes {@code modelId} (null:
     * the built-in descriptor) the active model, and reports progress (rows written) every batch.
     *
     * @return the model whose vectors were written
     * @throws OcularException when the folder already has a catalog or the model is not installed
     */
    public static ModelInfo generate(AppPaths paths, String modelId, int rows, long seed, LongConsumer progress) {
        if (rows < 1) {
            throw new OcularException("Need at least one row.");
        }
        if (Files.exists(paths.catalogFile())) {
            throw new OcularException(paths.catalogFile() + " already exists; generate into an empty folder.");
        }
        paths.createDirectories();
        EncoderRegistry registry = new EncoderRegistry(ModelService.storeOf(paths));
        String id = modelId != null ? modelId : BuiltinDescriptor.MODEL_ID;
        ModelInfo model = Engine.chooseModel(registry, id);
        SyntheticVectors.Mixture mixture = new SyntheticVectors.Mixture(model.dimension(),
                Math.max(20, Math.min(5000, rows / 1000)), 0.8, seed);
        Random r = new Random(seed + 1);
        try (SqliteCatalog catalog = SqliteCatalog.open(paths.catalogFile())) {
            catalog.registerModel(model);
            catalog.setActiveModelId(model.id());
            Path root = paths.dataDir().resolve("synthetic-photos");
            List<FolderRecord> folders = new ArrayList<>();
            for (int f = 0; f < FOLDERS; f++) {
                folders.add(catalog.addFolder(root.resolve(String.format("album-%03d", f))));
            }
            List<ImageRecord> images = new ArrayList<>(BATCH);
            List<float[]> vectors = new ArrayList<>(BATCH);
            for (int i = 0; i < rows; i++) {
                FolderRecord folder = folders.get(i % FOLDERS);
                Instant taken = Instant.ofEpochSecond(START + (long) (r.nextDouble() * SPAN));
                images.add(new ImageRecord(0, folder.id(), folder.path().resolve("IMG_" + i + ".jpg"),
                        2_000_000 + r.nextInt(3_000_000), taken.toEpochMilli(), null, 4032, 3024, taken, 1,
                        ImageStatus.INDEXED, null));
                float[] v = new float[model.dimension()];
                mixture.next(v);
                vectors.add(v);
                if (images.size() == BATCH || i == rows - 1) {
                    catalog.commitBatch(images, model.id(), vectors);
                    images.clear();
                    vectors.clear();
                    progress.accept(i + 1L);
                }
            }
        }
        return model;
    }
}
