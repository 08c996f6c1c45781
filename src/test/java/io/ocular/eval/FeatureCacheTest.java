package io.ocular.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FeatureCacheTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripKeepsEveryViewAndTheSkippedPhotos() {
        FeatureCache cache = new FeatureCache(tmp.resolve("cache"));
        float[][][] f = {{{1f, 2f, 3f}, {4f, 5f, 6f}}, null, {{-1f, 0.5f, Float.MIN_VALUE}, {7f, 8f, 9f}}};
        assertThat(cache.load("k")).isEmpty();
        cache.save("k", f);
        float[][][] back = cache.load("k").orElseThrow();
        assertThat(back.length).isEqualTo(3);
        assertThat(back[0]).isDeepEqualTo(f[0]);
        assertThat(back[1]).isNull();
        assertThat(back[2]).isDeepEqualTo(f[2]);
        assertThat(FeatureCache.firstViews(FeatureCache.single(new float[][]{{1f}, null}))).isDeepEqualTo(new float[][]{{1f}, null});
    }

    @Test
    void aCorruptOrTruncatedEntryIsAMissNotAnError() throws Exception {
        FeatureCache cache = new FeatureCache(tmp);
        cache.save("k", new float[][][]{{{1f, 2f}}, {{3f, 4f}}});
        Path file = tmp.resolve("k.feat");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 12] ^= 0x40;   // a float of the last row
        Files.write(file, bytes);
        assertThat(cache.load("k")).isEmpty();
        Files.write(file, java.util.Arrays.copyOf(bytes, 10));
        assertThat(cache.load("k")).isEmpty();
        Files.write(file, new byte[0]);
        assertThat(cache.load("k")).isEmpty();
    }

    @Test
    void theKeyChangesWithTheModelTheFilesTheirContentAndTheParameters() throws Exception {
        Path a = Files.writeString(tmp.resolve("a.jpg"), "aaaa");
        Path b = Files.writeString(tmp.resolve("b.jpg"), "bbbb");
        String k = FeatureCache.key("base", "m", "sha1", List.of(a, b), "p");
        assertThat(FeatureCache.key("base", "m", "sha1", List.of(a, b), "p")).isEqualTo(k);
        assertThat(k).startsWith("base-m-").matches("[A-Za-z0-9._-]+");
        assertThat(FeatureCache.key("base", "m", "sha2", List.of(a, b), "p")).isNotEqualTo(k);
        assertThat(FeatureCache.key("base", "n", "sha1", List.of(a, b), "p")).isNotEqualTo(k);
        assertThat(FeatureCache.key("base", "m", "sha1", List.of(b, a), "p")).isNotEqualTo(k);
        assertThat(FeatureCache.key("base", "m", "sha1", List.of(a, b), "q")).isNotEqualTo(k);
        Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() - 60_000));
        assertThat(FeatureCache.key("base", "m", "sha1", List.of(a, b), "p")).isNotEqualTo(k);
        assertThat(FeatureCache.key("base", "odd/id:1", null, List.of(a), "p")).matches("[A-Za-z0-9._-]+");
    }
}
