package io.ocular.embed;

import io.ocular.model.OcularException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An installed CLIP model: an image tower and a text tower that embed into the same space, and the
 * tokenizer of the text tower. Text search needs both towers (text vectors are only comparable with
 * image vectors of the same model), so opening a pair refuses a directory that lacks either.
 */
public final class ClipModel implements AutoCloseable {

    /** File names inside an installed CLIP model directory. */
    public static final String VISION_FILE = "vision_model.onnx";
    public static final String TEXT_FILE = "text_model.onnx";
    public static final String TOKENIZER_FILE = "tokenizer.json";

    private final ClipImageEncoder image;
    private final ClipTextEncoder text;

    private ClipModel(ClipImageEncoder image, ClipTextEncoder text) {
        this.image = image;
        this.text = text;
    }

    /** The three files of a CLIP model. */
    public record Files3(Path vision, Path text, Path tokenizer) {
        public static Files3 in(Path modelDir) {
            return new Files3(modelDir.resolve(VISION_FILE), modelDir.resolve(TEXT_FILE),
                    modelDir.resolve(TOKENIZER_FILE));
        }
    }

    /**
     * Opens both towers.
     *
     * @throws OcularException when the image or the text tower (or the tokenizer) is missing or broken
     */
    public static ClipModel open(String modelId, Files3 files, int dimension) {
        boolean hasVision = Files.isRegularFile(files.vision());
        boolean hasText = Files.isRegularFile(files.text());
        if (hasText && !hasVision) {
            throw new OcularException("The CLIP model '" + modelId + "' has its text model but not its image"
                    + " model (" + files.vision() + " is missing). Text search compares text with images embedded"
                    + " by the same model, so it needs both: reinstall the model from the model catalogue.");
        }
        if (hasVision && !hasText) {
            throw new OcularException("The CLIP model '" + modelId + "' has its image model but not its text"
                    + " model (" + files.text() + " is missing). Reinstall the model from the model catalogue.");
        }
        if (!hasVision) {
            throw new OcularException("The CLIP model '" + modelId + "' is not installed (no " + VISION_FILE
                    + " or " + TEXT_FILE + " in " + files.vision().getParent() + ").");
        }
        ClipImageEncoder image = new ClipImageEncoder(modelId, files.vision(), dimension);
        try {
            return new ClipModel(image, new ClipTextEncoder(modelId, files.text(), files.tokenizer(), dimension));
        } catch (RuntimeException e) {
            image.close();
            throw e;
        }
    }

    public ClipImageEncoder imageEncoder() {
        return image;
    }

    public ClipTextEncoder textEncoder() {
        return text;
    }

    @Override
    public void close() {
        try {
            text.close();
        } finally {
            image.close();
        }
    }
}
