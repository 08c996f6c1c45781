package io.ocular.embed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.ocular.model.OcularException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a model's {@code tokenizer.json} the way {@link ClipTokenizer} and {@link WordPieceTokenizer} both need
 * it: special tokens added, truncated to {@code maxLength} ids, no padding (the callers pad themselves).
 */
final class TokenizerFiles {
    private TokenizerFiles() {
    }

    /**
     * @param missingName what the file is called when it is missing ("The {missingName} file is missing: …")
     * @param readName    what it is called when it cannot be read ("Could not read the {readName} …")
     * @throws OcularException when the file is missing or unreadable
     */
    static HuggingFaceTokenizer open(Path tokenizerJson, int maxLength, String missingName, String readName) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new OcularException("The " + missingName + " file is missing: " + tokenizerJson
                    + ". Reinstall the model from the model catalogue.");
        }
        try {
            return HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tokenizerJson)
                    .optAddSpecialTokens(true)
                    .optTruncation(true)
                    .optMaxLength(maxLength)
                    .optPadding(false)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new OcularException("Could not read the " + readName + " " + tokenizerJson + ": " + e.getMessage()
                    + ". Reinstall the model from the model catalogue.", e);
        }
    }
}
