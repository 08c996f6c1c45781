package io.ocular.index;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Decodes image files straight to working size with bounded memory.
 *
 * <p>The header is read first; the reader then decodes with {@link ImageReadParam#setSourceSubsampling}
 * so a 200-megapixel photo is never materialised at full size (the JPEG reader decodes MCU row by row and
 * keeps only every n-th pixel). The subsampled image is about twice the target size, which a final
 * high-quality (progressive bilinear, then bicubic) resize brings to the requested size without the
 * aliasing of plain decimation. Baseline JPEGs big enough are instead decoded at 1/2, 1/4 or 1/8 scale in the DCT
 * domain ({@link ScaledJpegDecoder}, several times faster: phone photos) and then resized the same way. EXIF orientation (all 8 values) and date taken are read with
 * metadata-extractor. The container is recognised by content: HEIC/HEIF/AVIF go to a {@link HeifCodec}
 * (libheif), camera RAWs to their largest embedded JPEG preview ({@link RawPreviews}), everything else to
 * ImageIO. Stateless and thread-safe.
 */
public final class ImageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(ImageDecoder.class);

    /**
     * Default bound on header pixels: one gigapixel. The largest camera sensors are ~200 MP and even big
     * stitched panoramas rarely pass 1 GP; a header beyond that is almost always corrupt or hostile
     * (decompression bombs), and decoding it, even subsampled, would take minutes of CPU.
     */
    public static final long DEFAULT_MAX_PIXELS = 1L << 30;

    /**
     * Bound on the pixels of a WebP. TwelveMonkeys' WebP reader ignores subsampling: the lossy (VP8) decoder
     * builds every macroblock of the frame (several KB per 16 x 16 pixels) and the lossless one a full-size
     * raster. A 100-byte WebP whose header claims 16383 x 16383 held 3.3 GB of heap and a core for minutes
     * before this bound (found while fuzzing). 16 MP (4096 x 4096) covers the WebP photos people keep (web
     * images and phone exports); larger ones are skipped with a message that says so.
     */
    static final long MAX_WEBP_PIXELS = 4096L * 4096L;

    /**
     * Largest JPEG decoded in the DCT domain at reduced scale ({@link ScaledJpegDecoder}; it reads the file
     * whole). Phone and camera JPEGs are 2-15 MB; bigger ones are read by ImageIO from the file.
     */
    static final long MAX_SCALED_JPEG_BYTES = 64L << 20;

    /** Decoded size relative to the target before the final resize (2 = decode at ~2x, then downscale). */
    private static final int OVERSAMPLE = 2;

    private final FileAccess files;
    private final long maxPixels;
    private final HeifCodec heif;
    private final boolean scaledJpeg;

    public ImageDecoder() {
        this(FileAccess.system(), DEFAULT_MAX_PIXELS);
    }

    public ImageDecoder(FileAccess files, long maxPixels) {
        this(files, maxPixels, HeifCodec.system());
    }

    ImageDecoder(FileAccess files, long maxPixels, HeifCodec heif) {
        this(files, maxPixels, heif, true);
    }

    /** {@code scaledJpeg} false: every JPEG through ImageIO (the reference the scaled decoder is checked against). */
    ImageDecoder(FileAccess files, long maxPixels, HeifCodec heif, boolean scaledJpeg) {
        this.files = files;
        this.maxPixels = maxPixels;
        this.heif = heif;
        this.scaledJpeg = scaledJpeg;
    }

    /** What decodes HEIC/AVIF on this system (libheif and its version, sips, or why none). */
    public String heifSupport() {
        return heif.description();
    }

    /** Decodes so that the shorter side is at most {@code shortSide} pixels (smaller images are not enlarged). */
    public DecodedImage decode(Path file, int shortSide) {
        return decode(file, shortSide, false);
    }

    /** Decodes so that the longer side is at most {@code longSide} pixels (thumbnails). */
    public DecodedImage decodeToFit(Path file, int longSide) {
        return decode(file, longSide, true);
    }

    private DecodedImage decode(Path file, int target, boolean fitLongSide) {
        if (target <= 0) {
            throw new IllegalArgumentException("target size must be positive: " + target);
        }
        BasicFileAttributes attrs;
        try {
            attrs = files.attributes(file);
        } catch (IOException e) {
            throw ImageDecodeException.fromIo(file, e);
        }
        if (attrs.isDirectory()) {
            throw new ImageDecodeException(file, "not an image (a folder)");
        }
        if (attrs.size() == 0) {
            throw new ImageDecodeException(file, "empty file");
        }
        try (SeekableByteChannel channel = files.open(file)) {
            byte[] head = readHead(channel);
            if (head.length == 0) {
                throw new ImageDecodeException(file, "empty file");
            }
            ImageFormats.Kind kind = ImageFormats.sniff(head, String.valueOf(file.getFileName()));
            return switch (kind) {
                case HEIF -> decodeHeif(file, channel, attrs.size(), target, fitLongSide);
                case TIFF_RAW, CR3, RAF -> decodeRaw(file, channel, kind, target, fitLongSide);
                case IMAGEIO -> {
                    PhotoExif exif = PhotoExif.read(file, channel);
                    channel.position(0);
                    yield decodePixels(file, channel, head, exif, target, fitLongSide);
                }
            };
        } catch (IOException e) {
            throw ImageDecodeException.fromIo(file, e);
        }
    }

    /**
     * HEIC/HEIF/AVIF: the codec decodes and reduces. With libheif the container's irot/imir are applied by
     * libheif and are authoritative (HEIF spec; what Apple and libheif viewers show): an EXIF orientation
     * tag in a HEIC is informational only and is never applied on top (that would rotate iPhone photos twice).
     */
    private DecodedImage decodeHeif(Path file, SeekableByteChannel channel, long size, int target, boolean fitLongSide)
            throws IOException {
        HeifCodec.Picture pic = heif.decode(file, channel, size, new HeifCodec.Request(target, fitLongSide, (w, h) -> {
            if ((long) w * h > maxPixels) {
                throw new ImageDecodeException(file, "image too large (" + w + " x " + h + ")");
            }
            return subsampling(w, h, target, fitLongSide);
        }));
        PhotoExif exif = pic.exif();
        BufferedImage shown = pic.transformsApplied() ? pic.image() : Orientation.apply(pic.image(), exif.orientation());
        boolean swap = !pic.transformsApplied() && exif.orientation() >= 5;
        int fullW = swap ? pic.height() : pic.width();
        int fullH = swap ? pic.width() : pic.height();
        int applied = pic.transformsApplied() ? 1 : exif.orientation();
        return new DecodedImage(resize(shown, target, fitLongSide), fullW, fullH, applied, exif.takenAt(),
                pic.subsampling());
    }

    /** RAW: the largest embedded JPEG preview, decoded like any JPEG, with the RAW's own orientation and date. */
    private DecodedImage decodeRaw(Path file, SeekableByteChannel channel, ImageFormats.Kind kind, int target,
                                   boolean fitLongSide) throws IOException {
        RawPreviews.Found found;
        try {
            found = RawPreviews.find(channel, kind);
        } catch (EOFException e) {
            throw new ImageDecodeException(file, "truncated or corrupt RAW file", e);
        }
        if (found.preview() == null) {
            throw new ImageDecodeException(file, "RAW file without an embedded JPEG preview (Ocular reads RAW "
                    + "files through the preview the camera stores; this one has none)");
        }
        RawPreviews.Preview p = found.preview();
        ChannelSlice slice = new ChannelSlice(channel, p.offset(), p.length());
        byte[] head = readHead(slice);
        slice.position(0);
        return decodePixels(file, slice, head, found.exif(), target, fitLongSide);
    }

    private DecodedImage decodePixels(Path file, SeekableByteChannel channel, byte[] head, PhotoExif exif, int target,
                                      boolean fitLongSide) throws IOException {
        ImageInputStream in = new ChannelImageInputStream(channel);
        try {
            return decodePixels(file, channel, in, head, exif, target, fitLongSide);
        } finally {
            in.close(); // drops its 64 KB buffer now; closes the channel, which the caller closes again (harmless)
        }
    }

    private DecodedImage decodePixels(Path file, SeekableByteChannel channel, ImageInputStream in, byte[] head,
                                      PhotoExif exif, int target, boolean fitLongSide) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new ImageDecodeException(file, notAnImageReason(head));
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        IIOReadWarningListener warningListener = (source, warning) -> warnings.add(warning);
        try {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener(warningListener);
            int w;
            int h;
            try {
                w = reader.getWidth(0);
                h = reader.getHeight(0);
            } catch (IIOException | EOFException | RuntimeException e) { // EOF: a reader ran out of a short file
                throw new ImageDecodeException(file, "truncated or corrupt image", e);
            }
            if (w <= 0 || h <= 0) {
                throw new ImageDecodeException(file, "truncated or corrupt image (no size in header)");
            }
            if ((long) w * h > maxPixels) {
                throw new ImageDecodeException(file, "image too large (" + w + " x " + h + ")");
            }
            if (isWebP(head) && (long) w * h > MAX_WEBP_PIXELS) {
                throw new ImageDecodeException(file, "WebP image too large (" + w + " x " + h + "; Ocular reads WebP "
                        + "up to 16 megapixels)");
            }
            int denom = ScaledJpegDecoder.denominator(w, h, target, fitLongSide);
            BufferedImage raw = scaledJpeg && denom > 1 && isJpeg(head) ? scaledJpeg(file, channel, w, h, denom) : null;
            int sub = raw != null ? denom : subsampling(w, h, target, fitLongSide);
            if (raw == null) {
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(sub, sub, 0, 0);
                try {
                    raw = reader.read(0, param);
                } catch (IIOException | EOFException | RuntimeException e) { // EOF: a reader ran out of a short file
                    throw new ImageDecodeException(file, "truncated or corrupt image", e);
                }
            }
            for (String warning : warnings) {
                String lower = warning.toLowerCase(Locale.ROOT);
                if (lower.contains("premature end") || lower.contains("truncat")) {
                    LOG.debug("{}: {}", file, warning);
                    throw new ImageDecodeException(file, "truncated or corrupt image");
                }
                LOG.debug("{}: decoder warning: {}", file, warning);
            }
            BufferedImage rgb = Orientation.apply(toRgb(raw), exif.orientation());
            boolean swap = exif.orientation() >= 5;
            int fullW = swap ? h : w;
            int fullH = swap ? w : h;
            BufferedImage sized = resize(rgb, target, fitLongSide);
            return new DecodedImage(sized, fullW, fullH, exif.orientation(), exif.takenAt(), sub);
        } finally {
            reader.removeIIOReadWarningListener(warningListener);
            reader.dispose();
        }
    }

    /**
     * A JPEG decoded in the DCT domain at 1/{@code denom} scale ({@link ScaledJpegDecoder}), or null when that
     * decoder does not handle the file (progressive, CMYK, corrupt, ...): the caller then reads it with ImageIO,
     * which gives the usual messages. The file is read whole (phone photos are a few MB; larger files go to ImageIO).
     */
    private static BufferedImage scaledJpeg(Path file, SeekableByteChannel channel, int w, int h, int denom)
            throws IOException {
        long size = channel.size();
        if (size > MAX_SCALED_JPEG_BYTES) {
            return null;
        }
        byte[] data = new byte[(int) size];
        ByteBuffer buf = ByteBuffer.wrap(data);
        channel.position(0);
        while (buf.hasRemaining() && channel.read(buf) > 0) {
            // read the whole file (a short read leaves the rest zero: the decoder stops at the length read)
        }
        try {
            return ScaledJpegDecoder.decode(data, buf.position(), denom, w, h);
        } catch (RuntimeException e) {  // a bug in the scaled decoder must not cost the photo: ImageIO decodes it
            LOG.warn("{}: reduced-scale JPEG decoding failed, decoding at full scale instead", file, e);
            return null;
        }
    }

    private static boolean isJpeg(byte[] head) {
        return head.length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF;
    }

    /** Largest integer subsampling that keeps the decoded image at least {@code OVERSAMPLE} x the target. */
    static int subsampling(int w, int h, int target, boolean fitLongSide) {
        int side = fitLongSide ? Math.max(w, h) : Math.min(w, h);
        return Math.max(1, side / (target * OVERSAMPLE));
    }

    private static byte[] readHead(SeekableByteChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(512);
        while (buf.hasRemaining() && channel.read(buf) > 0) {
            // keep reading until the head is full or the file ends
        }
        buf.flip();
        byte[] head = new byte[buf.remaining()];
        buf.get(head);
        return head;
    }

    private static boolean isWebP(byte[] head) {
        return head.length >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F'
                && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P';
    }

    /** Why no image reader accepted the content: a video, text, or unknown (HEIF and RAW never get here). */
    static String notAnImageReason(byte[] head) {
        if (head.length >= 12 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p') {
            return "not an image (a video)"; // an ISO-BMFF file with no image brand: MP4, MOV, 3GP
        }
        return looksLikeText(head) ? "not an image (content is text)" : "not an image (content is unknown)";
    }

    private static boolean looksLikeText(byte[] head) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(head, 0, trimPartialUtf8(head)))
                    .toString();
            return s.chars().allMatch(c -> c >= 0x20 || c == '\n' || c == '\r' || c == '\t' || c == '\f');
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Length of {@code head} without a multi-byte UTF-8 sequence cut off at its end. */
    private static int trimPartialUtf8(byte[] head) {
        int n = head.length;
        for (int i = n - 1; i >= Math.max(0, n - 4); i--) {
            int b = head[i] & 0xff;
            if (b < 0x80) {
                return n;
            }
            if (b >= 0xc0) {
                int len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
                return i + len <= n ? n : i;
            }
        }
        return n;
    }

    /** Any colour model to opaque sRGB ints; transparency is composited on white. */
    private static BufferedImage toRgb(BufferedImage src) {
        if (src.getType() == BufferedImage.TYPE_INT_RGB) {
            return src;
        }
        BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    /**
     * Downscales so that the chosen side is at most {@code target}: halving steps with bilinear filtering
     * while the image is at least twice too big, then one bicubic step. Never enlarges.
     */
    static BufferedImage resize(BufferedImage src, int target, boolean fitLongSide) {
        int side = fitLongSide ? Math.max(src.getWidth(), src.getHeight()) : Math.min(src.getWidth(), src.getHeight());
        if (side <= target) {
            return src;
        }
        double scale = (double) target / side;
        int finalW = Math.max(1, (int) Math.round(src.getWidth() * scale));
        int finalH = Math.max(1, (int) Math.round(src.getHeight() * scale));
        BufferedImage cur = src;
        while (cur.getWidth() / 2 >= finalW && cur.getHeight() / 2 >= finalH) {
            cur = draw(cur, cur.getWidth() / 2, cur.getHeight() / 2, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        if (cur.getWidth() != finalW || cur.getHeight() != finalH) {
            cur = draw(cur, finalW, finalH, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        }
        return cur;
    }

    private static BufferedImage draw(BufferedImage src, int w, int h, Object interpolation) {
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return dst;
    }
}
