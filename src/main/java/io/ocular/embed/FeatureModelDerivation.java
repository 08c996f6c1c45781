package io.ocular.embed;

import io.ocular.model.OcularException;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Derives the feature model Ocular searches with from a public classifier file, on the user's machine,
 * when the catalogue entry is installed or the original file is imported. Today one recipe:
 * {@value #MOBILENETV2_FEATURES}, for the ONNX Model Zoo's {@code mobilenetv2-12-int8.onnx}
 * (opset 12, Apache-2.0), which only outputs ImageNet logits for a fixed 224×224 input. The edit:
 * <ul>
 *   <li>input {@code input} dims 2 and 3 (224, 224) become the symbolic {@code height}, {@code width};
 *       intermediate shape annotations pinning spatial sizes are dropped (the zoo file has none);</li>
 *   <li>{@code DequantizeLinear(426_quantized, 426_scale, 426_zero_point) → local_features}: block 13's
 *       quantised output, 96 channels at stride 16 ({@code [N,96,H/16,W/16]});</li>
 *   <li>{@code Identity(627) → global_features}: the float output of the last 1×1 conv + ReLU6 before the
 *       global average pool, 1280 channels at stride 32 ({@code [N,1280,H/32,W/32]});</li>
 *   <li>both appended as graph outputs after {@code output}. No weight changes.</li>
 * </ul>
 * The edit is deterministic: the zoo file always gives the same bytes ({@link #MOBILENETV2_DERIVED_SHA256},
 * the same file as the project's reference copy), which the installer checks.
 */
public final class FeatureModelDerivation {

    /** The recipe name catalogue entries use. */
    public static final String MOBILENETV2_FEATURES = "mobilenetv2-features";
    /** SHA-256 of the ONNX Model Zoo file {@code mobilenetv2-12-int8.onnx} (3,655,033 bytes). */
    public static final String MOBILENETV2_ORIGINAL_SHA256 =
            "cc028fe6cae7bc11a4ff53cfc9b79c920e8be65ce33a904ec3e2a8f66d77f95f";
    /** SHA-256 of what the recipe makes of it (3,655,321 bytes). */
    public static final String MOBILENETV2_DERIVED_SHA256 =
            "a7bb54a137785902a4e7349ba8ddeb38ee8fbd3fd87644ec5339023c6ca68fb4";

    private FeatureModelDerivation() {
    }

    /** Whether {@code recipe} names a derivation this version of Ocular can apply. */
    public static boolean isKnownRecipe(String recipe) {
        return MOBILENETV2_FEATURES.equals(recipe);
    }

    /** The recipe that applies to a file with this SHA-256, if Ocular knows it as a derivation source. */
    public static Optional<String> recipeForOriginal(String sha256) {
        return MOBILENETV2_ORIGINAL_SHA256.equals(sha256) ? Optional.of(MOBILENETV2_FEATURES) : Optional.empty();
    }

    /**
     * Applies {@code recipe} to the model bytes.
     *
     * @throws OcularException when the recipe is unknown or the graph is not the network it expects
     */
    public static byte[] derive(String recipe, byte[] original, String displayName) {
        if (!MOBILENETV2_FEATURES.equals(recipe)) {
            throw new OcularException("Ocular does not know how to prepare '" + displayName + "' (recipe '"
                    + recipe + "'); a newer version of Ocular may.");
        }
        OnnxGraphEdit edit = OnnxGraphEdit.of(original, displayName)
                .dynamicSpatialInput("input", "height", "width")
                .dropSpatialShapeAnnotations();
        Object batch = edit.batchDimension("input");
        return edit
                .addNode("DequantizeLinear", List.of("426_quantized", "426_scale", "426_zero_point"),
                        "local_features", "local_features_Dequantize")
                .addNode("Identity", List.of("627"), "global_features", "global_features_Identity")
                .addFloatOutput("global_features", List.of(batch, 1280L, "gh", "gw"))
                .addFloatOutput("local_features", List.of(batch, 96L, "lh", "lw"))
                .toByteArray();
    }

    /**
     * Applies {@code recipe} to the file {@code original} and writes the result to {@code target}
     * atomically (a temporary file beside it, then a rename), so an interrupted derivation leaves no
     * half-written model.
     */
    public static void derive(String recipe, Path original, Path target) {
        byte[] derived;
        try {
            derived = derive(recipe, Files.readAllBytes(original), original.getFileName().toString());
        } catch (IOException e) {
            throw new OcularException("Cannot read " + original + ": " + e.getMessage(), e);
        }
        Path tmp = target.resolveSibling(target.getFileName() + ".deriving");
        try {
            Files.write(tmp, derived);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new OcularException("Cannot write the prepared model " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort: a leftover temporary file is overwritten by the next try
            }
        }
    }
}
