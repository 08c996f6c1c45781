package io.ocular.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A user's verdict on one result of a composed search ("this photo, but at night"): the result {@code targetId}
 * is (or is not) what {@code modification} of the library photo {@code referenceId} should give, in the image
 * space of {@code modelId}. A relevant mark is a training triplet of the personal Combiner (decision 0160); a
 * not-relevant mark is a negative for the triplets of the same reference and words. Kept in the catalog, never
 * sent anywhere; one mark per (model, reference, words, result): marking again replaces it.
 *
 * @param weight   the slider's text weight when the result was shown (0 = image only .. 1 = words only)
 * @param markedAt when the user marked it
 */
public record ComposeMark(String modelId, long referenceId, String modification, long targetId, boolean relevant,
                          double weight, Instant markedAt) {

    /** Longest modification kept (characters); longer words are refused. */
    public static final int MAX_MODIFICATION = 1000;

    public ComposeMark {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(modification, "modification");
        Objects.requireNonNull(markedAt, "markedAt");
        modification = modification.strip();
        if (modification.isEmpty()) {
            throw new IllegalArgumentException("a compose mark needs the words of the search");
        }
        if (modification.length() > MAX_MODIFICATION) {
            throw new IllegalArgumentException("the words of a compose mark are longer than " + MAX_MODIFICATION
                    + " characters");
        }
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("the text weight of a compose mark must lie in [0, 1]: " + weight);
        }
    }
}
