package io.ocular.search;

import java.util.Objects;

/**
 * Codes trained on the user's own photos that won their self-check against PQ (decision 0200, issue 13): the live
 * {@link AdaptiveIndex} codes the library with {@code model} instead of training PQ codebooks.
 *
 * @param model   the trained SPQ model (vector head)
 * @param tag     identifies this model's file (a checksum): saved codes made by another model are rebuilt
 * @param summary the self-check in a few words, for status lines ("self-check SPQ 0.612 vs PQ 0.574")
 */
public record TrainedCodes(SpqModel model, String tag, String summary) {
    public TrainedCodes {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(summary, "summary");
        if (model.headKind() != SpqModel.HeadKind.VECTOR) {
            throw new IllegalArgumentException("the live index codes stored vectors: a vector-head model is needed");
        }
    }
}
