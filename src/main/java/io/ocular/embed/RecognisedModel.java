package io.ocular.embed;

import io.ocular.model.ModelKind;

/**
 * What a {@link ModelInspector} found an imported model file to be.
 *
 * @param kind          which inputs it embeds
 * @param dimension     vector length (measured with a test run, not taken from shape annotations)
 * @param encoder       encoder type for the manifest, e.g. {@link ModelManifest#ENCODER_CNN_AVGPOOL}
 * @param preprocessing how images are fed to it
 * @param description   one line for logs, e.g. the graph's inputs and outputs
 */
public record RecognisedModel(ModelKind kind, int dimension, String encoder,
                              ModelManifest.Preprocessing preprocessing, String description) {
}
