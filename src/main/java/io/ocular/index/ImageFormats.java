package io.ocular.index;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which files Ocular reads as photos, by name (the scanner) and by content (the decoder). The decoder
 * trusts content over names: a HEIC renamed .jpg is still decoded as HEIF.
 */
public final class ImageFormats {
    /** Read with ImageIO (JDK plus TwelveMonkeys JPEG/TIFF/WebP). */
    static final Set<String> IMAGEIO = Set.of("jpg", "jpeg", "png", "gif", "bmp", "webp", "tif", "tiff");
    /** HEIF family, read with libheif. */
    static final Set<String> HEIF = Set.of("heic", "heif", "hif", "avif");
    /** Camera RAW files whose embedded JPEG preview is used (see {@link RawPreviews}). */
    static final Set<String> RAW = Set.of("dng", "cr2", "cr3", "nef", "nrw", "arw", "srf", "sr2", "orf", "rw2",
            "raf", "pef", "srw", "rwl", "3fr", "iiq", "erf", "kdc", "dcr");
    /** Videos indexed as moments (decision 0140): phone and camera containers ffmpeg reads. */
    static final Set<String> VIDEO = Set.of("mp4", "m4v", "mov", "mkv");
    /** Renderings a camera or phone saves beside a RAW of the same shot (sidecar pairs). */
    static final Set<String> RENDERED = Set.of("jpg", "jpeg", "heic", "heif", "hif");

    private static final Set<String> ALL;

    static {
        Set<String> all = new HashSet<>(IMAGEIO);
        all.addAll(HEIF);
        all.addAll(RAW);
        ALL = Set.copyOf(all);
    }

    private static final Set<String> HEIF_BRANDS = Set.of("heic", "heix", "hevc", "hevx", "heim", "heis", "hevm",
            "hevs", "mif1", "msf1", "mif2", "avif", "avis", "avio");

    /** How the decoder reads a file's content. */
    enum Kind {
        /** ImageIO: JPEG, PNG, TIFF, WebP, GIF, BMP (or not an image at all). */
        IMAGEIO,
        HEIF,
        /** TIFF-structured RAW (DNG, CR2, NEF, ARW, ORF, RW2, ...). */
        TIFF_RAW,
        /** Canon CR3 (ISO-BMFF). */
        CR3,
        /** Fujifilm RAF. */
        RAF
    }

    private ImageFormats() {
    }

    /** Lower-case extension without the dot, or "". */
    static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    /** True for every photo extension the library indexes. */
    public static boolean isSupportedName(String fileName) {
        return ALL.contains(extension(fileName));
    }

    /** True for the video extensions the library indexes as moments. */
    public static boolean isVideoName(String fileName) {
        return VIDEO.contains(extension(fileName));
    }

    /** A photo or a video the library indexes. */
    public static boolean isIndexedName(String fileName) {
        return isSupportedName(fileName) || isVideoName(fileName);
    }

    static boolean isRawName(String fileName) {
        return RAW.contains(extension(fileName));
    }

    /** What kind of photo or video a file is, by its name, for counts: JPEG, HEIC, AVIF, RAW, PNG, MP4, MOV, ... */
    public static String kindOf(Path file) {
        String ext = extension(String.valueOf(file.getFileName()));
        if (RAW.contains(ext)) {
            return "RAW";
        }
        return switch (ext) {
            case "jpg", "jpeg" -> "JPEG";
            case "heic", "heif", "hif" -> "HEIC";
            case "tif", "tiff" -> "TIFF";
            case "webp" -> "WebP";
            case "" -> "other";
            default -> ext.toUpperCase(Locale.ROOT);
        };
    }

    /** The file's container, from its first bytes (and, for TIFF, whether the name says RAW). */
    static Kind sniff(byte[] head, String fileName) {
        if (isFtyp(head)) {
            if (hasBrand(head, Set.of("crx "))) {
                return Kind.CR3;
            }
            if (hasBrand(head, HEIF_BRANDS)) {
                return Kind.HEIF;
            }
            return Kind.IMAGEIO;
        }
        if (head.length >= 16 && new String(head, 0, 15, StandardCharsets.ISO_8859_1).equals("FUJIFILMCCD-RAW")) {
            return Kind.RAF;
        }
        if (head.length >= 4) {
            boolean ii = head[0] == 'I' && head[1] == 'I';
            boolean mm = head[0] == 'M' && head[1] == 'M';
            // Olympus ORF ("IIRO"/"IIRS"/"MMOR") and Panasonic RW2 ("IIU\0") use their own TIFF magic
            boolean oddMagic = (ii && (head[2] == 'R' || head[2] == 'U')) || (mm && head[2] == 'O' && head[3] == 'R');
            boolean tiff = (ii && head[2] == 42 && head[3] == 0) || (mm && head[2] == 0 && head[3] == 42);
            if (oddMagic || (tiff && isRawName(fileName))) {
                return Kind.TIFF_RAW;
            }
        }
        return Kind.IMAGEIO;
    }

    private static boolean isFtyp(byte[] head) {
        return head.length >= 12 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p';
    }

    /** Major brand or any compatible brand of the ftyp box (as far as {@code head} reaches). */
    private static boolean hasBrand(byte[] head, Set<String> brands) {
        long boxLen = ((head[0] & 0xffL) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff);
        int end = (int) Math.min(head.length, Math.max(16, boxLen));
        for (int i = 8; i + 4 <= end; i += 4) {
            if (i == 12) {
                continue; // minor version
            }
            if (brands.contains(new String(head, i, 4, StandardCharsets.ISO_8859_1))) {
                return true;
            }
        }
        return false;
    }
}
