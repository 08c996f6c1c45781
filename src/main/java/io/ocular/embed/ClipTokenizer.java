package io.ocular.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.ocular.model.OcularException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CLIP's byte-level BPE tokenizer, run by DJL's Hugging Face tokenizers (Rust) on a {@code tokenizer.json}.
 * Every text becomes exactly {@value #CONTEXT_LENGTH} ids: {@code <|startoftext|>} (49406), the text's
 * tokens, {@code <|endoftext|>} (49407), then padding with {@code <|endoftext|>} and attention mask 0.
 * Longer texts are truncated so that the end token is always kept (CLIP pools at that position).
 * Thread-safe: the native tokenizer is immutable once built.
 */
public final class ClipTokenizer implements AutoCloseable {

    public static final int CONTEXT_LENGTH = 77;
    public static final long START_OF_TEXT = 49406;
    public static final long END_OF_TEXT = 49407;
    /**
     * Characters looked at, at most. 76 tokens never need more than a few hundred characters of normal
     * text; capping (at a whitespace boundary) keeps a pasted novel from costing seconds.
     */
    static final int MAX_CHARS = 4096;

    /** Ids and attention masks of a batch, each row {@value #CONTEXT_LENGTH} long. */
    public record Batch(long[][] ids, long[][] attentionMask) {
        public int size() {
            return ids.length;
        }
    }

    private final HuggingFaceTokenizer tokenizer;
    private final Path source;

    /**
     * Loads a tokenizer.json.
     *
     * @throws OcularException when the file is missing, unreadable, or not a CLIP tokenizer
     */
    public ClipTokenizer(Path tokenizerJson) {
        this.source = tokenizerJson;
        this.tokenizer = TokenizerFiles.open(tokenizerJson, CONTEXT_LENGTH, "CLIP tokenizer", "CLIP tokenizer");
        long[] probe = tokenizer.encode("a").getIds();
        if (probe.length < 3 || probe[0] != START_OF_TEXT || probe[probe.length - 1] != END_OF_TEXT) {
            tokenizer.close();
            throw new OcularException("The tokenizer " + tokenizerJson + " is not a CLIP tokenizer (it does not"
                    + " wrap text in <|startoftext|> 49406 ... <|endoftext|> 49407).");
        }
    }

    /** Tokenizes one text. */
    public Batch encode(String text) {
        return encodeBatch(List.of(text));
    }

    /**
     * Tokenizes a batch in one native call.
     *
     * @throws OcularException when a text is null, empty or only whitespace
     */
    public Batch encodeBatch(List<String> texts) {
        List<String> prepared = new ArrayList<>(texts.size());
        for (String t : texts) {
            if (t == null || t.isBlank()) {
                throw new OcularException("Type some words to search for: an empty text cannot be searched.");
            }
            prepared.add(cap(t));
        }
        Encoding[] encodings = tokenizer.batchEncode(prepared);
        long[][] ids = new long[encodings.length][];
        long[][] mask = new long[encodings.length][];
        for (int i = 0; i < encodings.length; i++) {
            long[] raw = encodings[i].getIds();
            long[] row = new long[CONTEXT_LENGTH];
            long[] m = new long[CONTEXT_LENGTH];
            Arrays.fill(row, END_OF_TEXT);
            int n = Math.min(raw.length, CONTEXT_LENGTH);
            System.arraycopy(raw, 0, row, 0, n);
            // The tokenizer truncates before adding the end token; keep it last whatever happens.
            row[n - 1] = END_OF_TEXT;
            Arrays.fill(m, 0, n, 1L);
            ids[i] = row;
            mask[i] = m;
        }
        return new Batch(ids, mask);
    }

    /** Cuts very long text at a whitespace boundary so that the kept words tokenize exactly as before. */
    static String cap(String text) {
        if (text.length() <= MAX_CHARS) {
            return text;
        }
        int cut = MAX_CHARS;
        while (cut > MAX_CHARS / 2 && !Character.isWhitespace(text.charAt(cut))) {
            cut--;
        }
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut);
    }

    @Override
    public String toString() {
        return "ClipTokenizer[" + source + "]";
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
