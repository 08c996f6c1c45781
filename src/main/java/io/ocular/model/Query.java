package io.ocular.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** What the user asked for. Values only; the search package turns them into vectors. */
public sealed interface Query {

    /** More like this catalogued image. */
    record ByImage(long imageId) implements Query {
    }

    /** More like this file (dropped, pasted or given on the command line; need not be in the catalog). */
    record ByFile(Path file) implements Query {
        public ByFile {
            Objects.requireNonNull(file, "file");
        }
    }

    /** Words (needs a model with a text tower, e.g. CLIP). */
    record ByText(String text) implements Query {
        public ByText {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A reference image plus how the wanted one differs ("same dress but blue").
     *
     * @param reference    a {@link ByImage} or {@link ByFile}
     * @param modification the change in words
     * @param weight       0 = image only, 1 = text only (zero-shot combination); a learned combiner may ignore it
     */
    record Composed(Query reference, String modification, double weight) implements Query {
        public Composed {
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(modification, "modification");
            if (!(reference instanceof ByImage || reference instanceof ByFile)) {
                throw new IllegalArgumentException("the reference of a composed query must be an image");
            }
        }
    }

    /** A base query refined by rounds of relevance feedback (Rocchio); dropping the last round undoes it. */
    record Refined(Query base, List<FeedbackRound> rounds) implements Query {
        public Refined {
            Objects.requireNonNull(base, "base");
            rounds = List.copyOf(rounds);
        }
    }

    /** One round of marks on results. */
    record FeedbackRound(Set<Long> relevant, Set<Long> irrelevant) {
        public FeedbackRound {
            relevant = Set.copyOf(relevant);
            irrelevant = Set.copyOf(irrelevant);
        }
    }
}
