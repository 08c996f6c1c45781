package io.ocular.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared models and datasets beside the repository ({@code ../shared}, or the system property
 * {@code ocular.shared.dir}). Tests that need them call {@link #require} and are skipped when absent
 * (a user's fresh clone has none). The application itself never reads this folder.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path root() {
        String prop = System.getProperty("ocular.shared.dir");
        Path p = prop != null ? Path.of(prop) : Path.of("..", "shared");
        return p.toAbsolutePath().normalize();
    }

    /** Resolves a path under the shared folder, skipping the calling test when it is missing. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "shared data not present: " + p);
        return p;
    }

    public static Path mobileNetV2() {
        return require("models/mobilenetv2-int8/mobilenetv2-12-int8-features.onnx");
    }

    public static Path clipTokenizer() {
        return require("models/clip-vit-base-patch32-tokenizer/tokenizer.json");
    }

    /** The real WordPiece tokenizer.json of sentence-transformers/clip-ViT-B-32-multilingual-v1. */
    public static Path multilingualTokenizer() {
        return require("models/clip-multilingual-tokenizer/tokenizer.json");
    }

    public static Path dataset(String name) {
        return require("data/" + name);
    }
}
