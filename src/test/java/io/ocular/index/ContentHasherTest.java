package io.ocular.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ContentHasherTest {

    @TempDir
    Path dir;

    private final ContentHasher hasher = new ContentHasher();

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void sameContentSameHashWhateverTheName() throws Exception {
        byte[] data = random(1_000_000, 1);
        Path a = Files.write(dir.resolve("a.jpg"), data);
        Path b = Files.write(dir.resolve("renamed.jpg"), data);
        assertThat(hasher.hash(a)).isEqualTo(hasher.hash(b)).hasSize(64);
    }

    @Test
    void smallFilesAreHashedCompletely() throws Exception {
        byte[] data = random(100_000, 2);
        Path a = Files.write(dir.resolve("a.png"), data);
        byte[] changed = data.clone();
        changed[70_000] ^= 1; // a byte no window of a large file would see
        Path b = Files.write(dir.resolve("b.png"), changed);
        assertThat(hasher.hash(a)).isNotEqualTo(hasher.hash(b));
    }

    @Test
    void largeFilesDifferInHeadMiddleTailOrSize() throws Exception {
        byte[] data = random(2_000_000, 3);
        String base = hasher.hash(Files.write(dir.resolve("base"), data));
        for (int pos : new int[]{10, 1_000_000, 1_999_990}) {
            byte[] c = data.clone();
            c[pos] ^= 1;
            assertThat(hasher.hash(Files.write(dir.resolve("c" + pos), c))).as("change at %d", pos).isNotEqualTo(base);
        }
        byte[] longer = java.util.Arrays.copyOf(data, data.length + 1);
        longer[data.length] = data[data.length - 1];
        assertThat(hasher.hash(Files.write(dir.resolve("longer"), longer))).isNotEqualTo(base);
    }

    @Test
    void readsOnlySamplesOfLargeFiles() throws Exception {
        // documents the design choice: a byte outside the three windows does not change the hash
        byte[] data = random(2_000_000, 4);
        String base = hasher.hash(Files.write(dir.resolve("base"), data));
        byte[] c = data.clone();
        c[300_000] ^= 1;
        assertThat(hasher.hash(Files.write(dir.resolve("c"), c))).isEqualTo(base);
    }
}
