package io.ocular.embed;

import java.util.List;

/** Turns text into L2-normalised vectors in the same space as an {@link ImageEncoder} of the same model. */
public interface TextEncoder extends AutoCloseable {

    String modelId();

    int dimension();

    /**
     * Embeds a batch of texts. Blank text is rejected with an {@link io.ocular.model.OcularException}
     * whose message can be shown to the user.
     */
    float[][] encodeText(List<String> texts);

    @Override
    void close();
}
