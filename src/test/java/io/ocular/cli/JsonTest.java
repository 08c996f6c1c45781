package io.ocular.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTest {

    @Test
    void printsTheJsonValueOrTheTextAndFlushesEither() {
        StringWriter jsonSink = new StringWriter();
        // Not auto-flushing and with a large buffer: only an explicit flush makes the output visible.
        PrintWriter jsonOut = new PrintWriter(new java.io.BufferedWriter(jsonSink, 1 << 16));
        Json.print(jsonOut, true, () -> Map.of("removed", "m1"), w -> w.println("text"));
        assertThat(jsonSink.toString()).isEqualTo("{\"removed\":\"m1\"}" + System.lineSeparator());

        StringWriter textSink = new StringWriter();
        PrintWriter textOut = new PrintWriter(new java.io.BufferedWriter(textSink, 1 << 16));
        Json.print(textOut, false, () -> {
            throw new AssertionError("the JSON value is not built for text output");
        }, w -> w.println("Removed model 'm1'."));
        assertThat(textSink.toString()).isEqualTo("Removed model 'm1'." + System.lineSeparator());
    }
}
