package io.ocular.embed;

import io.ocular.model.OcularException;

import java.nio.file.Path;

/**
 * A model as installed in the {@link ModelStore}: its manifest and the folder holding its files.
 *
 * @param manifest  what the model is
 * @param directory {@code <dataDir>/models/<id>}
 */
public record InstalledModel(ModelManifest manifest, Path directory) {

    /** Path of one of the model's listed files. */
    public Path file(String name) {
        if (manifest.file(name).isEmpty()) {
            throw new OcularException("Model '" + manifest.id() + "' has no file named " + name + ".");
        }
        return directory.resolve(name);
    }

    /** Path of the model's (first) ONNX file. */
    public Path onnxFile() {
        return manifest.firstOnnxFile().map(f -> directory.resolve(f.name()))
                .orElseThrow(() -> new OcularException("Model '" + manifest.id() + "' has no ONNX file."));
    }
}
