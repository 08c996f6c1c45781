package io.ocular.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintWriter;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Writes one JSON value per line on the command's stdout. */
final class Json {
    private Json() {
    }

    static void print(PrintWriter out, Object value) {
        try {
            out.println(new ObjectMapper().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
        out.flush();
    }

    /**
     * A command's result: with {@code json}, {@code value} as one JSON line; otherwise what {@code text} writes.
     * Flushes either way.
     */
    static void print(PrintWriter out, boolean json, Supplier<?> value, Consumer<PrintWriter> text) {
        if (json) {
            print(out, value.get());
            return;
        }
        text.accept(out);
        out.flush();
    }
}
