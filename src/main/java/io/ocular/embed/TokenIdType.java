package io.ocular.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.ocular.model.OcularException;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The integer type a text tower's {@code input_ids}/{@code attention_mask} inputs take. Public exports
 * use int64 by convention, some (e.g. for mobile runtimes) int32; a tower declares its type in its
 * manifest ({@link #PROPERTY}) and, when it does not, the type is found by the load-time probe: int64
 * first, then int32.
 */
public enum TokenIdType {
    INT64, INT32;

    /** {@link ModelManifest#properties()} key naming a text tower's id type ("int64" or "int32"). */
    public static final String PROPERTY = "text.idType";

    /** The declared type, or null when {@code value} is null (unknown: probe). */
    public static TokenIdType parse(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "int64", "long" -> INT64;
            case "int32", "int" -> INT32;
            default -> throw new OcularException("Unknown token id type '" + value + "' (int64 or int32).");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** One [rows, cols] tensor of this type named {@code name}. */
    NDArray tensor(NDManager manager, long[] flat, int rows, int cols, String name) {
        Shape shape = new Shape(rows, cols);
        NDArray a;
        if (this == INT64) {
            a = manager.create(flat, shape);
        } else {
            int[] ints = new int[flat.length];
            for (int i = 0; i < flat.length; i++) {
                ints[i] = Math.toIntExact(flat[i]);
            }
            a = manager.create(ints, shape);
        }
        a.setName(name);
        return a;
    }

    /**
     * Runs {@code probe} with the declared type, or (when none is declared) with int64 and then int32,
     * and returns the type that worked.
     *
     * @param current set to each type before it is tried (the encoder reads it when building inputs)
     */
    static TokenIdType probe(TokenIdType declared, Consumer<TokenIdType> current,
                             Supplier<float[]> probe) {
        if (declared != null) {
            current.accept(declared);
            probe.get();
            return declared;
        }
        current.accept(INT64);
        try {
            probe.get();
            return INT64;
        } catch (OcularException first) {
            current.accept(INT32);
            try {
                probe.get();
                return INT32;
            } catch (OcularException second) {
                first.addSuppressed(second);
                throw first;
            }
        }
    }
}
