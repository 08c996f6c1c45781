package io.ocular.embed;

import io.ocular.model.OcularException;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The DJL/Rust tokenizer on the multilingual CLIP text tower's real tokenizer.json must give exactly
 * the ids of BERT's reference WordPiece algorithm (Google's tokenization.py BasicTokenizer +
 * WordpieceTokenizer, cased: no lower-casing, no accent stripping), re-implemented below from the
 * model's vocab.txt (line number = id), including truncation to 128 ids with [SEP] kept last.
 */
class WordPieceParityTest {

    private static final List<String> SENTENCES = List.of(
            "바닷가에서 뛰어노는 강아지",
            "a dog playing on the beach",
            "바닷가의 강아지",
            "東京の夜景はとても綺麗です。富士山も見えました！",
            "海边的小狗在玩耍，非常可爱！北京烤鸭",
            "كلب يلعب على الشاطئ عند غروب الشمس",
            "🐶🐱 party 🎉🎉 at the 🏖️ beach 👨‍👩‍👧 family",
            "Café crème brûlée à Noël, naïve résumé",
            "Cafe\u0301 decomposed accents and Ångström",
            "Seoul 서울 東京 Москва القاهرة München 2026!",
            "  tabs\tand\nnewlines\u00A0nbsp\u3000ideographic\u200Bzero\u200Dwidth\u0007bell ",
            "Hello, world! It's a dog's life... (yes) [no] {maybe} #tag @user ~tilde~ «guillemets» —dash",
            "3.14 and 1,000,000 bees in 2026년 11월 30일",
            "Straße über Ölfässer; ΑΒΓ αβγ; Ελληνικά; हिन्दी भाषा; ภาษาไทย",
            "x",
            "a".repeat(150) + " long word",
            "강아지와 고양이가 바닷가에서 신나게 뛰어논다. ".repeat(15),
            "The quick brown fox jumps over the lazy dog. ".repeat(20));

    private static WordPieceTokenizer tokenizer;
    private static ReferenceWordPiece reference;

    @BeforeAll
    static void load() throws IOException {
        Path json = SharedData.multilingualTokenizer();
        tokenizer = new WordPieceTokenizer(json);
        reference = new ReferenceWordPiece(json.resolveSibling("vocab.txt"));
    }

    @AfterAll
    static void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    @Test
    void idsEqualBertReferenceForVariedScriptsOneByOneAndInABatch() {
        WordPieceTokenizer.Batch batch = tokenizer.encodeBatch(SENTENCES);
        for (int i = 0; i < SENTENCES.size(); i++) {
            String s = SENTENCES.get(i);
            long[] want = reference.encode(s, 128);
            assertThat(tokenizer.encode(s).ids()[0]).as("ids of %s", s).containsExactly(want);
            long[] row = batch.ids()[i];
            long[] mask = batch.attentionMask()[i];
            assertThat(Arrays.copyOf(row, want.length)).as("batch ids of %s", s).containsExactly(want);
            for (int t = 0; t < row.length; t++) {
                assertThat(mask[t]).isEqualTo(t < want.length ? 1L : 0L);
                if (t >= want.length) {
                    assertThat(row[t]).isZero(); // [PAD]
                }
            }
        }
    }

    @Test
    void knownIdsFromTheModelCard() {
        assertThat(tokenizer.encode("바닷가에서 뛰어노는 강아지").ids()[0]).containsExactly(
                101, 9318, 118776, 11287, 11489, 9150, 12965, 28981, 11018, 8853, 16985, 12508, 102);
        assertThat(tokenizer.encode("a dog playing on the beach").ids()[0]).containsExactly(
                101, 169, 17835, 14879, 10135, 10105, 45405, 102);
    }

    @Test
    void longTextIsTruncatedTo128KeepingSep() {
        long[] ids = tokenizer.encode("강아지와 고양이가 바닷가에서 뛰어논다. ".repeat(40)).ids()[0];
        assertThat(ids).hasSize(128);
        assertThat(ids[0]).isEqualTo(101);
        assertThat(ids[127]).isEqualTo(102);
        assertThat(ids[126]).isNotEqualTo(102);
        // the reference pieces are longer than 126: truncation, not a short text
        assertThat(reference.pieces("강아지와 고양이가 바닷가에서 뛰어논다. ".repeat(40)).size()).isGreaterThan(126);
    }

    @Test
    void hugeTextIsCappedCheaplyAndStillExact() {
        String huge = "grass ".repeat(200_000);
        assertThat(tokenizer.encode(huge).ids()[0]).containsExactly(reference.encode("grass ".repeat(200), 128));
    }

    @Test
    void blankTextIsRejectedAndAClipTokenizerIsRefused() {
        assertThatThrownBy(() -> tokenizer.encode(" \t")).isInstanceOf(OcularException.class)
                .hasMessageContaining("empty");
        Path clip = SharedData.clipTokenizer();
        assertThatThrownBy(() -> new WordPieceTokenizer(clip)).isInstanceOf(OcularException.class)
                .hasMessageContaining("WordPiece");
    }

    /**
     * BERT's reference algorithm, written from the published description (Devlin et al.,
     * google-research/bert tokenization.py) without looking at the Rust code: clean text (drop NUL,
     * U+FFFD and control/format/unassigned/private-use characters, map white space to ' '), space around
     * CJK ideographs, split on white space, split off every punctuation character, then greedy
     * longest-match-first WordPiece with "##" continuations ([UNK] for a word with no match or over 100
     * characters).
     */
    static final class ReferenceWordPiece {
        private final Map<String, Integer> vocab = new HashMap<>();

        ReferenceWordPiece(Path vocabTxt) throws IOException {
            List<String> lines = Files.readAllLines(vocabTxt, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                vocab.putIfAbsent(lines.get(i), i);
            }
        }

        long[] encode(String text, int maxLength) {
            List<String> pieces = pieces(text);
            int n = Math.min(pieces.size(), maxLength - 2);
            long[] ids = new long[n + 2];
            ids[0] = vocab.get("[CLS]");
            for (int i = 0; i < n; i++) {
                ids[i + 1] = vocab.get(pieces.get(i));
            }
            ids[n + 1] = vocab.get("[SEP]");
            return ids;
        }

        List<String> pieces(String text) {
            List<String> out = new ArrayList<>();
            for (String word : basicTokens(text)) {
                out.addAll(wordPiece(word));
            }
            return out;
        }

        private List<String> wordPiece(String word) {
            int[] cps = word.codePoints().toArray();
            if (cps.length > 100) {
                return List.of("[UNK]");
            }
            List<String> out = new ArrayList<>();
            int start = 0;
            while (start < cps.length) {
                int end = cps.length;
                String found = null;
                while (start < end) {
                    String sub = new String(cps, start, end - start);
                    if (start > 0) {
                        sub = "##" + sub;
                    }
                    if (vocab.containsKey(sub)) {
                        found = sub;
                        break;
                    }
                    end--;
                }
                if (found == null) {
                    return List.of("[UNK]");
                }
                out.add(found);
                start = end;
            }
            return out;
        }

        private static List<String> basicTokens(String text) {
            StringBuilder cleaned = new StringBuilder();
            text.codePoints().forEach(cp -> {
                if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                    return;
                }
                if (isWhiteSpace(cp)) {
                    cleaned.append(' ');
                } else if (isCjk(cp)) {
                    cleaned.append(' ').appendCodePoint(cp).append(' ');
                } else {
                    cleaned.appendCodePoint(cp);
                }
            });
            List<String> out = new ArrayList<>();
            for (String w : cleaned.toString().split(" ")) {
                StringBuilder cur = new StringBuilder();
                w.codePoints().forEach(cp -> {
                    if (isPunctuation(cp)) {
                        if (cur.length() > 0) {
                            out.add(cur.toString());
                            cur.setLength(0);
                        }
                        out.add(new String(Character.toChars(cp)));
                    } else {
                        cur.appendCodePoint(cp);
                    }
                });
                if (cur.length() > 0) {
                    out.add(cur.toString());
                }
            }
            return out;
        }

        /** Unicode White_Space. */
        private static boolean isWhiteSpace(int cp) {
            return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                    || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                    || cp == 0x205F || cp == 0x3000;
        }

        /** Control, format, private-use and unassigned characters, except tab, newline and carriage return. */
        private static boolean isControl(int cp) {
            if (cp == '\t' || cp == '\n' || cp == '\r') {
                return false;
            }
            int t = Character.getType(cp);
            return t == Character.CONTROL || t == Character.FORMAT || t == Character.PRIVATE_USE
                    || t == Character.UNASSIGNED || t == Character.SURROGATE;
        }

        private static boolean isCjk(int cp) {
            return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                    || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                    || (cp >= 0x2B820 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                    || (cp >= 0x2F800 && cp <= 0x2FA1F);
        }

        /** ASCII symbols and punctuation (BERT treats $, +, ^ ... as punctuation too) and Unicode P*. */
        private static boolean isPunctuation(int cp) {
            if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
                return true;
            }
            int t = Character.getType(cp);
            return t == Character.CONNECTOR_PUNCTUATION || t == Character.DASH_PUNCTUATION
                    || t == Character.START_PUNCTUATION || t == Character.END_PUNCTUATION
                    || t == Character.INITIAL_QUOTE_PUNCTUATION || t == Character.FINAL_QUOTE_PUNCTUATION
                    || t == Character.OTHER_PUNCTUATION;
        }
    }
}
