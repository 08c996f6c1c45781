package io.ocular.embed;

import java.nio.file.Path;

/**
 * Looks inside model files before the {@link ModelStore} installs them, so that a damaged or unknown
 * file is refused with a clear message instead of failing later during indexing.
 */
public interface ModelInspector {

    /**
     * Recognises what a single ONNX file is.
     *
     * @param onnxFile    the file (a copy inside the store's staging area)
     * @param displayName how to name it in messages (the user's original file name)
     * @throws io.ocular.model.OcularException when the file is damaged, truncated, not ONNX, or not a
     *                                         kind of model Ocular can use; the message says which
     */
    RecognisedModel recognise(Path onnxFile, String displayName);

    /**
     * Checks that installed-to-be files (in {@code directory}) really are what {@code manifest} says,
     * as far as this inspector knows the manifest's encoder type; unknown encoder types pass.
     *
     * @throws io.ocular.model.OcularException when they are not
     */
    void check(ModelManifest manifest, Path directory);
}
