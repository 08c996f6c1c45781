package io.ocular.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.ocular.model.OcularException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A BERT-style WordPiece tokenizer (e.g. the cased multilingual one of
 * {@code sentence-transformers/clip-ViT-B-32-multilingual-v1}), run by DJL's Hugging Face tokenizers
 * (Rust) on the model's own {@code tokenizer.json}. Every text becomes {@code [CLS]}, its pieces,
 * {@code [SEP]}, truncated to at most {@link #maxLength()} ids with {@code [SEP]} kept last (the Hugging
 * Face truncation cuts the text's pieces before adding the special tokens). A batch is padded to its
 * longest row with {@code [PAD]} and attention mask 0. Thread-safe: the native tokenizer is immutable.
 */
public final class WordPieceTokenizer implements AutoCloseable {

    /** sentence-transformers' {@code max_seq_length} for the multilingual CLIP text tower. */
    public static final int DEFAULT_MAX_LENGTH = 128;

    /**
     * Ids and attention masks of a batch; every row has the batch's longest length.
     *
     * @param ids           token ids, padded with the pad id
     * @param attentionMask 1 for real tokens (including [CLS]/[SEP]), 0 for padding
     */
    public record Batch(long[][] ids, long[][] attentionMask) {
        public int size() {
            return ids.length;
        }

        public int length() {
            return ids.length == 0 ? 0 : ids[0].length;
        }
    }

    private final HuggingFaceTokenizer tokenizer;
    private final Path source;
    private final int maxLength;
    private final long padId;

    /**
     * Loads a tokenizer.json and checks that it wraps text in [CLS] ... [SEP].
     *
     * @throws OcularException when the file is missing, unreadable or not a WordPiece/BERT tokenizer
     */
    public WordPieceTokenizer(Path tokenizerJson, int maxLength) {
        this.source = tokenizerJson;
        this.maxLength = maxLength;
        if (maxLength < 3) {
            throw new IllegalArgumentException("maxLength must leave room for [CLS] and [SEP]: " + maxLength);
        }
        this.tokenizer = TokenizerFiles.open(tokenizerJson, maxLength, "text model's tokenizer", "tokenizer");
        Encoding probe = tokenizer.encode("a");
        String[] tokens = probe.getTokens();
        if (tokens.length < 3 || !"[CLS]".equals(tokens[0]) || !"[SEP]".equals(tokens[tokens.length - 1])) {
            tokenizer.close();
            throw new OcularException("The tokenizer " + tokenizerJson + " is not a BERT WordPiece tokenizer (it"
                    + " does not wrap text in [CLS] ... [SEP]).");
        }
        Encoding pad = tokenizer.encode("[PAD]");
        this.padId = pad.getTokens().length == 3 && "[PAD]".equals(pad.getTokens()[1]) ? pad.getIds()[1] : 0L;
    }

    /** A tokenizer truncating at {@value #DEFAULT_MAX_LENGTH} ids. */
    public WordPieceTokenizer(Path tokenizerJson) {
        this(tokenizerJson, DEFAULT_MAX_LENGTH);
    }

    public int maxLength() {
        return maxLength;
    }

    /** Tokenizes one text. */
    public Batch encode(String text) {
        return encodeBatch(List.of(text));
    }

    /** The pieces of one text, [CLS] and [SEP] included (for diagnostics and tests). */
    public List<String> tokens(String text) {
        return List.of(tokenizer.encode(ClipTokenizer.cap(requireText(text))).getTokens());
    }

    /**
     * Tokenizes a batch in one native call, padded to the longest row.
     *
     * @throws OcularException when a text is null, empty or only whitespace
     */
    public Batch encodeBatch(List<String> texts) {
        List<String> prepared = new ArrayList<>(texts.size());
        for (String t : texts) {
            prepared.add(ClipTokenizer.cap(requireText(t)));
        }
        Encoding[] encodings = tokenizer.batchEncode(prepared);
        int longest = 0;
        for (Encoding e : encodings) {
            longest = Math.max(longest, Math.min(e.getIds().length, maxLength));
        }
        long[][] ids = new long[encodings.length][longest];
        long[][] mask = new long[encodings.length][longest];
        for (int i = 0; i < encodings.length; i++) {
            long[] raw = encodings[i].getIds();
            int n = Math.min(raw.length, maxLength);
            System.arraycopy(raw, 0, ids[i], 0, n);
            Arrays.fill(ids[i], n, longest, padId);
            Arrays.fill(mask[i], 0, n, 1L);
        }
        return new Batch(ids, mask);
    }

    private static String requireText(String t) {
        if (t == null || t.isBlank()) {
            throw new OcularException("Type some words to search for: an empty text cannot be searched.");
        }
        return t;
    }

    @Override
    public String toString() {
        return "WordPieceTokenizer[" + source + "]";
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
