package io.ocular.embed;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.Tag;

import java.net.URISyntaxException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the CLIP tokenizer with any text a person can type or paste (any UTF-16, very long, control
 * characters, lone surrogates): the result is always {@value ClipTokenizer#CONTEXT_LENGTH} ids framed by
 * the start and end tokens, or an {@link OcularException} for blank text. Uses the stand-in tokenizer.json
 * in the test resources (the same byte-level BPE pipeline as CLIP's, with a small vocabulary).
 */
@Tag("fuzz")
class ClipTokenizerFuzzTest {
    private static final ClipTokenizer TOKENIZER = new ClipTokenizer(standIn());

    @FuzzTest(maxDuration = "2m")
    void encode(FuzzedDataProvider in) {
        String text = in.consumeRemainingAsString();
        ClipTokenizer.Batch b;
        try {
            b = TOKENIZER.encode(text);
        } catch (OcularException e) {
            assertThat(text).isBlank();
            return;
        }
        long[] ids = b.ids()[0];
        assertThat(ids).hasSize(ClipTokenizer.CONTEXT_LENGTH);
        assertThat(ids[0]).isEqualTo(ClipTokenizer.START_OF_TEXT);
        int n = 0;
        for (long m : b.attentionMask()[0]) {
            n += (int) m;
        }
        assertThat(n).isBetween(2, ClipTokenizer.CONTEXT_LENGTH);
        assertThat(ids[n - 1]).isEqualTo(ClipTokenizer.END_OF_TEXT);
    }

    private static Path standIn() {
        try {
            return Path.of(ClipTokenizerFuzzTest.class.getResource("/models/clip-standin/tokenizer.json").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
