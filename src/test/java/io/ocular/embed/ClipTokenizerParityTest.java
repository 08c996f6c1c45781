package io.ocular.embed;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocular.model.OcularException;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The DJL/Rust tokenizer on CLIP's real tokenizer.json must give exactly the ids of CLIP's reference
 * algorithm (openai/CLIP simple_tokenizer.py), re-implemented below from vocab.json and merges.txt.
 * The reference's ftfy step is replaced by NFC (what ftfy does to text that is not mojibake); its
 * html.unescape step is left out, as the Hugging Face tokenizer (and so the app) does not unescape.
 */
class ClipTokenizerParityTest {

    private static final List<String> SENTENCES = List.of(
            "a photo of a dog",
            "Hello, world! It's a dog's life... isn't it?? (yes) [no] {maybe} #tag @user",
            "🐶🐱 party 🎉🎉 at the 🏖️ beach",
            "Café crème brûlée à Noël, naïve résumé",
            "Cafe\u0301 decomposed accents",
            "강아지가 공원에서 뛰어요",
            "東京の夜景 and 北京烤鸭",
            "مرحبا بالعالم",
            "There are 12345 apples and 3.14 pies, 1,000,000 bees in 2026",
            "  lots   of \t whitespace \n\n between   words  ",
            "A RED CAR ON THE STREET",
            "don't you're we've I'm they'll he'd SHE'S",
            "“curly quotes” and ‘single’ — em-dash – en-dash … ellipsis",
            "x",
            "!!!???...",
            "supercalifragilisticexpialidocious antidisestablishmentarianism",
            "a ".repeat(100) + "end",
            "The quick brown fox jumps over the lazy dog. ".repeat(12));

    private static ClipTokenizer tokenizer;
    private static ReferenceBpe reference;

    @BeforeAll
    static void load() throws IOException {
        Path json = SharedData.clipTokenizer();
        tokenizer = new ClipTokenizer(json);
        reference = new ReferenceBpe(json.resolveSibling("vocab.json"), json.resolveSibling("merges.txt"));
    }

    @AfterAll
    static void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    @Test
    void idsEqualClipReferenceForVariedSentences() {
        ClipTokenizer.Batch batch = tokenizer.encodeBatch(SENTENCES);
        for (int i = 0; i < SENTENCES.size(); i++) {
            long[] want = reference.tokenize(SENTENCES.get(i));
            assertThat(batch.ids()[i]).as("ids of %s", SENTENCES.get(i)).containsExactly(want);
            int real = 0;
            while (real < want.length && !(want[real] == ClipTokenizer.END_OF_TEXT)) {
                real++;
            }
            long[] mask = new long[77];
            Arrays.fill(mask, 0, real + 1, 1L);
            assertThat(batch.attentionMask()[i]).as("mask of %s", SENTENCES.get(i)).containsExactly(mask);
        }
    }

    @Test
    void knownIdsOfASimpleSentence() {
        long[] ids = tokenizer.encode("a photo of a dog").ids()[0];
        assertThat(Arrays.copyOf(ids, 7)).containsExactly(49406, 320, 1125, 539, 320, 1929, 49407);
        assertThat(ids[76]).isEqualTo(49407);
    }

    @Test
    void longTextIsTruncatedKeepingTheEndToken() {
        long[] ids = tokenizer.encode("The quick brown fox jumps over the lazy dog. ".repeat(12)).ids()[0];
        assertThat(ids).hasSize(77);
        assertThat(ids[0]).isEqualTo(49406);
        assertThat(ids[76]).isEqualTo(49407);
        assertThat(ids[75]).isNotEqualTo(49407);
    }

    @Test
    void hugeTextIsCappedCheaplyAndStillExact() {
        String huge = "grass ".repeat(200_000);
        long[] ids = tokenizer.encode(huge).ids()[0];
        assertThat(ids).containsExactly(reference.tokenize("grass ".repeat(200)));
    }

    @Test
    void blankTextIsRejectedClearly() {
        for (String blank : new String[]{"", "   ", "\t\n"}) {
            assertThatThrownBy(() -> tokenizer.encode(blank)).isInstanceOf(OcularException.class)
                    .hasMessageContaining("empty");
        }
    }

    /** CLIP's simple_tokenizer, from its published description; no code shared with the app. */
    static final class ReferenceBpe {
        private static final Pattern PAT = Pattern.compile(
                "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);
        private final Map<String, Integer> encoder;
        private final Map<String, Integer> ranks = new HashMap<>();
        private final String[] byteEncoder = new String[256];
        private final Map<String, String> cache = new HashMap<>();

        ReferenceBpe(Path vocabJson, Path mergesTxt) throws IOException {
            encoder = new ObjectMapper().readValue(vocabJson.toFile(), new TypeReference<LinkedHashMap<String, Integer>>() {
            });
            List<String> lines = Files.readAllLines(mergesTxt, StandardCharsets.UTF_8);
            // simple_tokenizer: merges[1 : 49152 - 256 - 2 + 1]
            int end = Math.min(lines.size(), 49152 - 256 - 2 + 1);
            for (int i = 1; i < end; i++) {
                if (!lines.get(i).isEmpty()) {
                    ranks.put(lines.get(i), i - 1);
                }
            }
            List<Integer> bs = new ArrayList<>();
            for (int b = '!'; b <= '~'; b++) {
                bs.add(b);
            }
            for (int b = 0xA1; b <= 0xAC; b++) {
                bs.add(b);
            }
            for (int b = 0xAE; b <= 0xFF; b++) {
                bs.add(b);
            }
            List<Integer> cs = new ArrayList<>(bs);
            int n = 0;
            for (int b = 0; b < 256; b++) {
                if (!bs.contains(b)) {
                    bs.add(b);
                    cs.add(256 + n++);
                }
            }
            for (int i = 0; i < bs.size(); i++) {
                byteEncoder[bs.get(i)] = new String(Character.toChars(cs.get(i)));
            }
        }

        long[] tokenize(String text) {
            String clean = Normalizer.normalize(text, Normalizer.Form.NFC).strip();
            clean = clean.replaceAll("(?U)\\s+", " ").strip().toLowerCase(Locale.ROOT);
            List<Long> out = new ArrayList<>();
            out.add(49406L);
            Matcher m = PAT.matcher(clean);
            while (m.find()) {
                StringBuilder sb = new StringBuilder();
                for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) {
                    sb.append(byteEncoder[b & 0xff]);
                }
                for (String piece : bpe(sb.toString()).split(" ")) {
                    out.add((long) encoder.get(piece));
                }
            }
            out.add(49407L);
            long[] ids = new long[77];
            Arrays.fill(ids, 49407L); // padding as the app pads (the reference pads with 0; masked anyway)
            if (out.size() > 77) {
                out = new ArrayList<>(out.subList(0, 77));
                out.set(76, 49407L);
            }
            for (int i = 0; i < out.size(); i++) {
                ids[i] = out.get(i);
            }
            return ids;
        }

        private String bpe(String token) {
            String cached = cache.get(token);
            if (cached != null) {
                return cached;
            }
            List<String> word = new ArrayList<>();
            int[] cps = token.codePoints().toArray();
            for (int i = 0; i < cps.length; i++) {
                String s = new String(Character.toChars(cps[i]));
                word.add(i == cps.length - 1 ? s + "</w>" : s);
            }
            while (word.size() > 1) {
                String best = null;
                int bestRank = Integer.MAX_VALUE;
                for (int i = 0; i + 1 < word.size(); i++) {
                    Integer r = ranks.get(word.get(i) + " " + word.get(i + 1));
                    if (r != null && r < bestRank) {
                        bestRank = r;
                        best = word.get(i) + " " + word.get(i + 1);
                    }
                }
                if (best == null) {
                    break;
                }
                String first = best.substring(0, best.indexOf(' '));
                String second = best.substring(best.indexOf(' ') + 1);
                List<String> merged = new ArrayList<>();
                int i = 0;
                while (i < word.size()) {
                    if (i + 1 < word.size() && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
                        merged.add(first + second);
                        i += 2;
                    } else {
                        merged.add(word.get(i));
                        i++;
                    }
                }
                word = merged;
            }
            String result = String.join(" ", word);
            cache.put(token, result);
            return result;
        }
    }
}
