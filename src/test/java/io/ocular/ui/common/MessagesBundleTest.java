package io.ocular.ui.common;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two bundles say the same things: the same keys, the same MessageFormat arguments, valid patterns, every
 * key the code and the FXML ask for present, and the formats (plurals, numbers, dates) done the locale's way.
 */
class MessagesBundleTest {
    private static final Pattern ARGUMENT = Pattern.compile("\\{(\\d+)");
    /** msg.get("key"), messages().format("key", ...), ctx.messages().get("key") in the window's code. */
    private static final Pattern CODE_KEY = Pattern.compile(
            "(?:msg|messages\\(\\)|messages)\\.(?:get|format)\\(\\s*\"([A-Za-z0-9_.]+)\"\\s*[,)]");
    private static final Pattern FXML_KEY = Pattern.compile("=\"%([A-Za-z0-9_.]+)\"");

    static Properties load(String name) {
        try (InputStream in = MessagesBundleTest.class.getResourceAsStream("/io/ocular/ui/" + name)) {
            assertThat(in).as(name).isNotNull();
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<String> arguments(String pattern) {
        Set<String> out = new TreeSet<>();
        Matcher m = ARGUMENT.matcher(pattern);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void bothBundlesHaveExactlyTheSameKeysAndArguments() {
        Properties en = load("messages.properties");
        Properties ko = load("messages_ko.properties");
        assertThat(ko.stringPropertyNames()).as("keys of messages_ko.properties")
                .containsExactlyInAnyOrderElementsOf(en.stringPropertyNames());
        var mismatched = new TreeMap<String, String>();
        for (String key : en.stringPropertyNames()) {
            Set<String> a = arguments(en.getProperty(key));
            Set<String> b = arguments(ko.getProperty(key));
            if (!a.equals(b)) {
                mismatched.put(key, a + " vs " + b);
            }
        }
        assertThat(mismatched).as("MessageFormat argument indexes, English vs Korean").isEmpty();
        assertThat(en.size()).isGreaterThan(200);
    }

    @Test
    void everyValueIsAValidPatternWithItsApostrophesDoubled() {
        for (String bundle : new String[] {"messages.properties", "messages_ko.properties"}) {
            Properties p = load(bundle);
            for (String key : p.stringPropertyNames()) {
                String v = p.getProperty(key);
                assertThat(v).as("%s %s", bundle, key).isNotBlank();
                new MessageFormat(v, Locale.ROOT); // throws on a broken pattern
                assertThat(v.replace("''", "")).as("%s %s: a lone apostrophe would vanish", bundle, key)
                        .doesNotContain("'");
            }
        }
    }

    @Test
    void everyKeyTheCodeAndTheFxmlAskForExistsAndFxmlTextsNeedNoFormatting() throws IOException {
        Properties en = load("messages.properties");
        Set<String> wanted = new TreeSet<>();
        Set<String> fxml = new TreeSet<>();
        try (Stream<Path> files = Stream.concat(Files.walk(Path.of("src/main/java/io/ocular/ui")),
                Files.walk(Path.of("src/main/java/io/ocular/app")))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = CODE_KEY.matcher(Files.readString(f));
                while (m.find()) {
                    wanted.add(m.group(1));
                }
            }
        }
        try (Stream<Path> files = Files.walk(Path.of("src/main/resources/io/ocular/ui"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".fxml")).toList()) {
                Matcher m = FXML_KEY.matcher(Files.readString(f));
                while (m.find()) {
                    fxml.add(m.group(1));
                }
            }
        }
        for (UiLanguage l : UiLanguage.values()) {
            wanted.add("settings.language." + l.name());
        }
        for (String order : new String[] {"RELEVANCE", "NEWEST", "OLDEST"}) {
            wanted.add("order." + order);
        }
        assertThat(wanted).as("keys found in the code").hasSizeGreaterThan(150);
        assertThat(fxml).as("keys found in the FXML").hasSizeGreaterThan(40);
        assertThat(en.stringPropertyNames()).containsAll(wanted).containsAll(fxml);
        for (String key : fxml) {
            assertThat(en.getProperty(key) + load("messages_ko.properties").getProperty(key))
                    .as("FXML shows %s as written", key).doesNotContain("'").doesNotContain("{");
        }
    }

    @Test
    void pluralsNumbersAndDatesFollowTheLanguage() {
        Messages en = Messages.of(Locale.US);
        Messages ko = Messages.of(Locale.KOREA);
        assertThat(en.format("search.count", 1)).isEqualTo("1 result");
        assertThat(en.format("search.count", 12_345)).isEqualTo("12,345 results");
        assertThat(ko.format("search.count", 12_345)).isEqualTo("결과 12,345개");
        assertThat(en.format("folder.images", 1)).isEqualTo("1 image");
        assertThat(ko.format("folder.images", 3)).isEqualTo("사진 3장");
        assertThat(en.format("library.ignored", "a.txt", 0)).isEqualTo("Ignored a.txt.");
        assertThat(en.format("library.ignored", "a.txt", 2)).isEqualTo("Ignored a.txt and 2 more.");
        assertThat(ko.format("library.ignored", "a.txt", 2)).isEqualTo("a.txt 외 2개을(를) 무시했습니다.");
        Instant t = Instant.parse("2024-03-15T14:05:00Z");
        assertThat(en.date(t, ZoneOffset.UTC)).isEqualTo("Mar 15, 2024");
        assertThat(ko.date(t, ZoneOffset.UTC)).isEqualTo("2024. 3. 15.");
        assertThat(ko.dateTime(t, ZoneOffset.UTC)).isEqualTo("2024. 3. 15. 오후 2:05");
        assertThat(ko.bytes(2_500_000)).isEqualTo("2.5MB");
        assertThat(en.get("library.removeText")).contains("Ocular's index");
    }

    @Test
    void otherLanguagesGetEnglishEvenOnAKoreanSystemAndAMissingKeyShowsItself() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.KOREA);
            assertThat(Messages.of(Locale.ENGLISH).get("tab.search")).isEqualTo("Search");
            assertThat(Messages.of(Locale.GERMAN).get("tab.search")).isEqualTo("Search");
            assertThat(Messages.of(Locale.GERMAN).locale()).isEqualTo(Locale.ENGLISH);
            assertThat(Messages.of(Locale.KOREA).get("tab.search")).isEqualTo("검색");
        } finally {
            Locale.setDefault(before);
        }
        assertThat(Messages.english().get("no.such.key")).isEqualTo("!no.such.key!");
    }
}
