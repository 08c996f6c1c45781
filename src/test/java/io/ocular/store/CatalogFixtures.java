package io.ocular.store;

import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;

/** Small builders shared by the catalog tests. */
final class CatalogFixtures {

    static final ModelInfo MODEL_A = new ModelInfo("model-a", "Model A", ModelKind.IMAGE, 8, "sha-a");
    static final ModelInfo MODEL_B = new ModelInfo("model-b", "Model B", ModelKind.IMAGE_TEXT, 5, "sha-b");

    private CatalogFixtures() {
    }

    static ImageRecord image(long folderId, Path path) {
        return new ImageRecord(0, folderId, path, 1234, 1_700_000_000_000L, null, 640, 480,
                Instant.parse("2021-06-01T10:15:30Z"), 1, ImageStatus.PENDING, null);
    }

    static ImageRecord image(long folderId, Path path, String hash, ImageStatus status) {
        return new ImageRecord(0, folderId, path, 1234, 1_700_000_000_000L, hash, 640, 480, null, 6, status,
                status == ImageStatus.SKIPPED ? "not an image" : null);
    }

    static float[] randomVector(Random random, int dimension) {
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
