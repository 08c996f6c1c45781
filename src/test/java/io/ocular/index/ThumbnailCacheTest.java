package io.ocular.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThumbnailCacheTest {

    @TempDir
    Path dir;

    @Test
    void createsLazilyUnderHashShardAndServesFromCache() throws Exception {
        Path photo = TestImages.write(TestImages.quadrants(600, 400), "jpg", dir.resolve("p/photo.jpg"));
        ThumbnailCache cache = new ThumbnailCache(dir.resolve("thumbnails"), new ImageDecoder());
        String hash = new ContentHasher().hash(photo);
        assertThat(cache.fileFor(hash)).doesNotExist();

        Path thumb = cache.thumbnail(photo, hash);
        assertThat(thumb).isEqualTo(dir.resolve("thumbnails").resolve(hash.substring(0, 2)).resolve(hash + "-256.jpg"));
        BufferedImage img = ImageIO.read(thumb.toFile());
        assertThat(img.getWidth()).isEqualTo(256);
        assertThat(img.getHeight()).isEqualTo(171);
        try (var s = Files.list(thumb.getParent())) {
            assertThat(s).containsExactly(thumb); // no temporary file left behind
        }

        Files.delete(photo); // a cache hit needs no source
        assertThat(cache.thumbnail(photo, hash)).isEqualTo(thumb);
        assertThat(cache.load(photo, hash).getWidth()).isEqualTo(256);
    }

    @Test
    void hashIsComputedWhenNotGiven() throws Exception {
        Path photo = TestImages.write(TestImages.quadrants(300, 300), "png", dir.resolve("a.png"));
        ThumbnailCache cache = new ThumbnailCache(dir.resolve("t"), new ImageDecoder());
        assertThat(cache.thumbnail(photo, null)).isEqualTo(cache.fileFor(new ContentHasher().hash(photo)));
    }

    @Test
    void corruptCacheFileIsRegenerated() throws Exception {
        Path photo = TestImages.write(TestImages.quadrants(600, 400), "jpg", dir.resolve("photo.jpg"));
        ThumbnailCache cache = new ThumbnailCache(dir.resolve("thumbnails"), new ImageDecoder());
        Path thumb = cache.thumbnail(photo, "abcdef");
        byte[] whole = Files.readAllBytes(thumb);
        Files.write(thumb, Arrays.copyOf(whole, whole.length / 3)); // a crash of an older, non-atomic writer
        assertThat(ThumbnailCache.isWholeJpeg(thumb)).isFalse();
        assertThat(cache.load(photo, "abcdef").getWidth()).isEqualTo(256);
        assertThat(Files.readAllBytes(thumb)).isEqualTo(whole);

        Files.writeString(thumb, "garbage that is not a jpeg");
        assertThat(cache.thumbnail(photo, "abcdef")).satisfies(p -> assertThat(ThumbnailCache.isWholeJpeg(p)).isTrue());
    }

    @Test
    void undecodableSourceSaysWhy() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.jpg"), "hello");
        ThumbnailCache cache = new ThumbnailCache(dir.resolve("t"), new ImageDecoder());
        assertThatThrownBy(() -> cache.thumbnail(bad, null)).hasMessage("not an image (content is text)");
    }
}
