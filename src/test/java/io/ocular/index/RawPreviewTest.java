package io.ocular.index;

import io.ocular.testing.SharedData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static io.ocular.index.HeifDecodingTest.meanAbsDiff;
import static io.ocular.index.RawFixtures.Blob;
import static io.ocular.index.RawFixtures.Ifd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * RAW files crafted in the test (see {@link RawFixtures}) around real JPEGs of the shared photos: the
 * largest embedded preview is decoded, with the RAW's own orientation and date.
 */
class RawPreviewTest {
    @TempDir
    Path dir;

    private final ImageDecoder decoder = new ImageDecoder();
    private byte[] large;
    private byte[] medium;
    private byte[] small;
    private BufferedImage photo;

    @BeforeEach
    void photos() throws Exception {
        Path p = SharedData.dataset("holidays-dev").resolve("images").resolve("100002.jpg");
        large = Files.readAllBytes(p);
        photo = ImageIO.read(p.toFile());
        medium = TestImages.jpegBytes(ImageDecoder.resize(photo, 200, true));
        small = TestImages.jpegBytes(ImageDecoder.resize(photo, 80, true));
    }

    private Path write(String name, byte[] content) throws Exception {
        return Files.write(dir.resolve(name), content);
    }

    /** The decoded RAW looks like the large preview turned by {@code orientation}. */
    private void assertLooksLikeLargePreview(DecodedImage d, int orientation) throws Exception {
        BufferedImage upright = Orientation.apply(ImageDecoder.resize(photo, photo.getWidth(), true), orientation);
        assertThat(d.width()).isEqualTo(upright.getWidth());
        assertThat(d.height()).isEqualTo(upright.getHeight());
        BufferedImage ref = ImageDecoder.resize(upright, Math.min(d.image().getWidth(), d.image().getHeight()), false);
        assertThat(meanAbsDiff(d.image(), ref)).isLessThan(10.0);
    }

    @Test
    void dngUsesItsLargestPreviewSubIfdNotTheLosslessRawData() throws Exception {
        Blob raw = new Blob(RawFixtures.losslessJpegStandIn(6000, 4000));
        Blob preview = new Blob(large);
        Blob date = Blob.ascii("2019:05:06 07:08:09");
        Ifd exif = new Ifd().blobValue(0x9003, 2, date);
        Ifd rawIfd = new Ifd().longValue(254, 0).shortValue(259, 7).blobOffset(273, raw).blobLength(279, raw);
        Ifd previewIfd = new Ifd().longValue(254, 1).shortValue(259, 7).blobOffset(273, preview).blobLength(279, preview);
        Ifd ifd0 = new Ifd().longValue(254, 1).shortValue(259, 1).shortValue(0x112, 6)
                .subIfds(rawIfd, previewIfd).pointer(0x8769, exif).longValue(0xC612, 0x01040000);
        Path dng = write("IMG_0001.DNG", RawFixtures.tiff(ByteOrder.LITTLE_ENDIAN, 42, List.of(raw, preview, date),
                List.of(ifd0, rawIfd, previewIfd, exif)));
        DecodedImage d = decoder.decode(dng, 100);
        assertLooksLikeLargePreview(d, 6);
        assertThat(d.orientation()).isEqualTo(6);
        assertThat(d.takenAt()).isEqualTo(Instant.parse("2019-05-06T07:08:09Z"));
        assertThat(decoder.decodeToFit(dng, 64).image().getHeight()).isEqualTo(64); // thumbnails too
    }

    @Test
    void nefLikeFileLargestOfChainedIfdsAndSubIfdsWins() throws Exception {
        Blob s = new Blob(small);
        Blob m = new Blob(medium);
        Blob l = new Blob(large);
        Ifd sub = new Ifd().longValue(254, 1).blobOffset(0x201, l).blobLength(0x202, l);
        Ifd ifd1 = new Ifd().shortValue(259, 6).blobOffset(273, m).blobLength(279, m);
        Ifd ifd0 = new Ifd().blobOffset(0x201, s).blobLength(0x202, s).shortValue(0x112, 8).subIfds(sub);
        ifd0.next = ifd1;
        Path nef = write("DSC_0001.NEF", RawFixtures.tiff(ByteOrder.BIG_ENDIAN, 42, List.of(s, m, l), List.of(ifd0, ifd1, sub)));
        DecodedImage d = decoder.decode(nef, 100);
        assertLooksLikeLargePreview(d, 8);
        assertThat(d.takenAt()).isNull();
    }

    @Test
    void cr2LikeFileUsesTheStripJpegOfIfd0() throws Exception {
        Blob l = new Blob(large);
        Blob s = new Blob(small);
        Blob raw = new Blob(RawFixtures.losslessJpegStandIn(5472, 3648));
        Ifd ifd3 = new Ifd().shortValue(259, 6).blobOffset(273, raw).blobLength(279, raw);
        Ifd ifd1 = new Ifd().blobOffset(0x201, s).blobLength(0x202, s);
        Ifd ifd0 = new Ifd().shortValue(259, 6).blobOffset(273, l).blobLength(279, l).shortValue(0x112, 1);
        ifd0.next = ifd1;
        ifd1.next = ifd3;
        Path cr2 = write("IMG_0002.cr2", RawFixtures.tiff(ByteOrder.LITTLE_ENDIAN, 42, List.of(l, s, raw), List.of(ifd0, ifd1, ifd3)));
        assertLooksLikeLargePreview(decoder.decode(cr2, 100), 1);
    }

    @Test
    void panasonicAndOlympusMagicAreRead() throws Exception {
        Blob l = new Blob(large);
        Ifd rw2Ifd0 = new Ifd().blobValue(0x2e, 7, l).shortValue(0x112, 3);
        Path rw2 = write("P1000001.RW2", RawFixtures.tiff(ByteOrder.LITTLE_ENDIAN, 0x55, List.of(l), List.of(rw2Ifd0)));
        assertLooksLikeLargePreview(decoder.decode(rw2, 100), 3);
        Blob l2 = new Blob(large);
        Ifd orfIfd0 = new Ifd().blobOffset(0x201, l2).blobLength(0x202, l2);
        Path orf = write("P0000001.ORF", RawFixtures.tiff(ByteOrder.LITTLE_ENDIAN, 0x4F52, List.of(l2), List.of(orfIfd0)));
        assertLooksLikeLargePreview(decoder.decode(orf, 100), 1);
    }

    @Test
    void rafUsesItsHeaderPreviewAndThatPreviewsExif() throws Exception {
        Path withExif = TestImages.jpegWithExif(photo, 6, "2018:01:02 03:04:05", dir.resolve("p.jpg"));
        Path raf = write("DSCF0001.RAF", RawFixtures.raf(Files.readAllBytes(withExif)));
        DecodedImage d = decoder.decode(raf, 100);
        assertLooksLikeLargePreview(d, 6);
        assertThat(d.takenAt()).isEqualTo(Instant.parse("2018-01-02T03:04:05Z"));
    }

    @Test
    void cr3UsesTheFullJpegTrackWithExifFromCmtBoxes() throws Exception {
        Path cr3 = write("IMG_0003.CR3", RawFixtures.cr3(small, medium, large, 6, "2022:12:24 18:00:00"));
        DecodedImage d = decoder.decode(cr3, 100);
        assertLooksLikeLargePreview(d, 6);
        assertThat(d.takenAt()).isEqualTo(Instant.parse("2022-12-24T18:00:00Z"));
        // without the track, PRVW (the next largest) is used
        byte[] noTrack = RawFixtures.cr3(small, medium, large, 1, "2022:12:24 18:00:00");
        HeifDecodingTest.replaceAll(noTrack, "trak", "free");
        DecodedImage p = decoder.decode(write("IMG_0004.CR3", noTrack), 100);
        assertThat(Math.max(p.width(), p.height())).isEqualTo(200);
    }

    @Test
    void rawWithoutAPreviewIsSkippedWithTheReason() throws Exception {
        Blob raw = new Blob(RawFixtures.losslessJpegStandIn(6000, 4000));
        Ifd ifd0 = new Ifd().longValue(254, 0).shortValue(259, 7).blobOffset(273, raw).blobLength(279, raw);
        Path dng = write("nopreview.dng", RawFixtures.tiff(ByteOrder.LITTLE_ENDIAN, 42, List.of(raw), List.of(ifd0)));
        assertThatThrownBy(() -> decoder.decode(dng, 100)).isInstanceOf(ImageDecodeException.class)
                .hasMessageStartingWith("RAW file without an embedded JPEG preview");
        // a RAW whose IFD pointers lead outside the file: same reason, no exception escapes
        byte[] broken = RawFixtures.tiff(ByteOrder.LITTLE_ENDIAN, 42, List.of(raw), List.of(ifd0));
        broken[4] = (byte) 0xF0;
        broken[7] = (byte) 0x7F;
        assertThatThrownBy(() -> decoder.decode(write("broken.nef", broken), 100))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageStartingWith("RAW file without an embedded JPEG preview");
    }

    @Test
    void truncatedRawIsSkippedAsTruncated() throws Exception {
        Blob l = new Blob(large);
        Ifd ifd0 = new Ifd().blobOffset(0x201, l).blobLength(0x202, l);
        byte[] full = RawFixtures.tiff(ByteOrder.LITTLE_ENDIAN, 42, List.of(l), List.of(ifd0));
        // the layout is header | JPEG | IFD0: cut the JPEG in half and append an IFD0 that still points at it
        byte[] cut = Arrays.copyOf(full, 8 + large.length / 2);
        byte[] withIfd = new byte[cut.length + 2 + 2 * 12 + 4];
        System.arraycopy(cut, 0, withIfd, 0, cut.length);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(withIfd).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(4, cut.length);
        b.position(cut.length);
        b.putShort((short) 2);
        b.putShort((short) 0x201).putShort((short) 4).putInt(1).putInt(8);
        b.putShort((short) 0x202).putShort((short) 4).putInt(1).putInt(large.length);
        b.putInt(0);
        assertThatThrownBy(() -> decoder.decode(write("cut.dng", withIfd), 100))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageStartingWith("truncated or corrupt image");
    }

    @Test
    void plainTiffIsStillAnImageNotARaw() throws Exception {
        Path tif = TestImages.write(TestImages.quadrants(64, 32), "tiff", dir.resolve("scan.tif"));
        assertThat(decoder.decode(tif, 16).width()).isEqualTo(64);
    }
}
