package io.ocular.search;

import java.util.Locale;

/**
 * Which index searches use, as the user chooses it in Settings: {@link #AUTO} lets {@link IndexPolicy} decide by
 * the collection's size (exact below its threshold, IVF-PQ compact codes above), {@link #EXACT} always scans every
 * vector (slower on big libraries, exact answers), {@link #COMPACT} uses compact codes as soon as there are enough
 * photos to train them ({@link IndexFactory#MIN_TRAINING_VECTORS}; less memory, approximate first pass, exact
 * re-rank).
 */
public enum IndexChoice {
    AUTO, EXACT, COMPACT;

    /** The catalog setting that keeps the choice. */
    public static final String SETTING = "search.index";

    /** The stored value ("auto", "exact", "compact"). */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A stored value back; anything unknown or missing is {@link #AUTO}. */
    public static IndexChoice parse(String value) {
        if (value != null) {
            for (IndexChoice c : values()) {
                if (c.value().equals(value.strip().toLowerCase(Locale.ROOT))) {
                    return c;
                }
            }
        }
        return AUTO;
    }

    /** Whether compact codes are wanted for {@code n} vectors of {@code dim} floats under this choice. */
    public boolean wantsCodes(long n, int dim, long exactMaxFloats) {
        return switch (this) {
            case EXACT -> false;
            case COMPACT -> n >= IndexFactory.MIN_TRAINING_VECTORS;
            case AUTO -> n * dim > exactMaxFloats && n >= IndexFactory.MIN_TRAINING_VECTORS;
        };
    }
}
