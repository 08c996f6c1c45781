package io.ocular.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Style rules Checkstyle cannot express (the others are in config/checkstyle.xml, run by {@code mvn verify}):
 * a main source file stays under {@value #MAX_LINES} lines, or says at its top why it is longer.
 */
class SourceStyleTest {
    static final int MAX_LINES = 600;
    /** Written in a comment within the first lines of a longer file, followed by the reason. */
    static final String REASON_MARK = "Longer than 600 lines:";

    @Test
    void longFilesSayWhyAtTheTop() throws IOException {
        Path main = Path.of("src/main/java");
        assertThat(main).isDirectory();
        List<String> unexplained = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(f);
                boolean explained = lines.stream().limit(40).anyMatch(l -> {
                    int at = l.indexOf(REASON_MARK);
                    return at >= 0 && l.substring(at + REASON_MARK.length()).strip().length() > 10;
                });
                if (lines.size() > MAX_LINES && !explained) {
                    unexplained.add(main.relativize(f) + " (" + lines.size() + " lines)");
                }
            }
        }
        assertThat(unexplained).as("files over %d lines without '%s <reason>' near the top", MAX_LINES, REASON_MARK)
                .isEmpty();
    }
}
