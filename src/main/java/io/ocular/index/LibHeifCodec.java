package io.ocular.index;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Semaphore;

/**
 * HEIC/HEIF/AVIF through the system's libheif (JNA). Memory stays bounded on the Java side: the file is
 * read into native memory, libheif decodes the primary image natively (with its irot/imir/clap transforms
 * applied, so EXIF orientation is not applied again), and the interleaved RGB plane is box-averaged row
 * by row straight into a Java image at 1/subsampling size; the full-size pixels never reach the heap.
 * When the file carries a thumbnail at least as large as the target size, the thumbnail is decoded
 * instead (a fraction of the work). Every libheif object is freed in {@code finally} blocks.
 * Thread-safe: each call has its own context.
 */
final class LibHeifCodec implements HeifCodec {
    private static final Logger LOG = LoggerFactory.getLogger(LibHeifCodec.class);

    /** Library names tried in order: Debian's runtime package ships only the versioned soname. */
    private static final String[] NAMES = {"libheif.so.1", "heif", "libheif.1", "libheif"};

    /** A HEIF file larger than this is not read into memory (real photos are a few MB; 48 MP ~ 10 MB). */
    static final long MAX_FILE_BYTES = 512L << 20;

    /**
     * Above this many pixels a decode holds ~3 bytes/pixel of native RGB plus the YCbCr planes (48 MP: ~470 MB
     * peak process memory, measured); such decodes run one at a time so parallel workers cannot stack them.
     */
    static final long LARGE_PIXELS = 24_000_000L;

    private final LibHeif lib;
    private final String version;
    private final Semaphore largeDecodes = new Semaphore(1);

    LibHeifCodec(LibHeif lib) {
        this.lib = lib;
        this.version = lib.heif_get_version();
    }

    /** The system libheif, or null (logged) when it cannot be loaded. */
    static LibHeifCodec load() {
        for (String name : NAMES) {
            try {
                LibHeif lib = Native.load(name, LibHeif.class);
                LibHeif.Error init = lib.heif_init(null);
                if (!init.ok()) {
                    LOG.info("libheif ({}) failed to initialise: {}", name, init);
                    continue;
                }
                LibHeifCodec codec = new LibHeifCodec(lib);
                LOG.debug("HEIF decoding through libheif {} ({})", codec.version, name);
                return codec;
            } catch (LinkageError | RuntimeException e) { // no library, or JNA cannot load its own natives
                LOG.debug("libheif not loadable as {}: {}", name, e.getMessage());
            }
        }
        LOG.info("libheif not found: HEIC/AVIF files will be skipped");
        return null;
    }

    @Override
    public String description() {
        return "libheif " + version;
    }

    @Override
    public Picture decode(Path file, SeekableByteChannel channel, long size, Request request) throws IOException {
        if (size > MAX_FILE_BYTES) {
            throw new ImageDecodeException(file, "image too large (" + (size >> 20) + " MB HEIF file)");
        }
        Memory data = new Memory(size);
        try {
            long read = readFully(channel, data.getByteBuffer(0, size));
            return decode(file, data, read, request);
        } finally {
            data.close();
        }
    }

    private Picture decode(Path file, Memory data, long size, Request request) {
        Pointer ctx = lib.heif_context_alloc();
        if (ctx == null) {
            throw new OutOfMemoryError("libheif could not allocate a context");
        }
        Pointer handle = null;
        Pointer thumb = null;
        Pointer options = null;
        Pointer image = null;
        try {
            LibHeif.Error err = lib.heif_context_read_from_memory_without_copy(ctx, data, new LibHeif.SizeT(size), null);
            if (!err.ok()) {
                throw new ImageDecodeException(file, reason(err));
            }
            PointerByReference ref = new PointerByReference();
            err = lib.heif_context_get_primary_image_handle(ctx, ref);
            if (!err.ok()) {
                throw new ImageDecodeException(file, reason(err));
            }
            handle = ref.getValue();
            int w = lib.heif_image_handle_get_width(handle);
            int h = lib.heif_image_handle_get_height(handle);
            if (w <= 0 || h <= 0) {
                throw new ImageDecodeException(file, "truncated or corrupt image (no size in header)");
            }
            PhotoExif exif = PhotoExif.fromTiff(exif(handle));
            int sub = Math.max(1, request.subsamplingFor().applyAsInt(w, h));
            thumb = usableThumbnail(handle, w, h, sub, request);
            options = lib.heif_decoding_options_alloc();
            if (options != null && options.getByte(0) >= 2) {
                options.setByte(40, (byte) 1); // convert_hdr_to_8bit (version-2 field): 10-bit AVIF/HEIC to 8 bit
            }
            PointerByReference out = new PointerByReference();
            boolean large = thumb == null && (long) w * h > LARGE_PIXELS;
            if (large) {
                largeDecodes.acquireUninterruptibly();
            }
            try {
                err = lib.heif_decode_image(thumb != null ? thumb : handle, out, LibHeif.COLORSPACE_RGB,
                        LibHeif.CHROMA_INTERLEAVED_RGB, options);
                if (err.ok()) {
                    image = out.getValue();
                    return picture(file, image, w, h, sub, thumb != null, exif);
                }
            } finally {
                if (image != null) {
                    lib.heif_image_release(image); // before another large decode may start
                    image = null;
                }
                if (large) {
                    largeDecodes.release();
                }
            }
            throw new ImageDecodeException(file, reason(err));
        } finally {
            if (image != null) {
                lib.heif_image_release(image);
            }
            if (options != null) {
                lib.heif_decoding_options_free(options);
            }
            if (thumb != null) {
                lib.heif_image_handle_release(thumb);
            }
            if (handle != null) {
                lib.heif_image_handle_release(handle);
            }
            lib.heif_context_free(ctx);
        }
    }

    /** Box-averages the decoded plane (still in native memory) into the reduced Java image. */
    private Picture picture(Path file, Pointer image, int w, int h, int sub, boolean fromThumbnail, PhotoExif exif) {
        int dw = lib.heif_image_get_width(image, LibHeif.CHANNEL_INTERLEAVED);
        int dh = lib.heif_image_get_height(image, LibHeif.CHANNEL_INTERLEAVED);
        IntByReference stride = new IntByReference();
        Pointer plane = lib.heif_image_get_plane_readonly(image, LibHeif.CHANNEL_INTERLEAVED, stride);
        if (plane == null || dw <= 0 || dh <= 0) {
            throw new ImageDecodeException(file, "truncated or corrupt image (no pixels decoded)");
        }
        // a thumbnail is already small: reduce it only by what is left of the factor
        int planeSub = fromThumbnail ? Math.max(1, (int) Math.floor((double) dw * sub / w)) : sub;
        BufferedImage pixels = boxDownsample(plane, stride.getValue(), dw, dh, planeSub);
        int effective = Math.max(1, (int) Math.round((double) w / pixels.getWidth()));
        return new Picture(pixels, w, h, effective, exif, true);
    }

    /** A thumbnail handle whose size covers the reduced image (caller releases it), or null. */
    private Pointer usableThumbnail(Pointer handle, int w, int h, int sub, Request request) {
        if (sub <= 1) {
            return null;
        }
        int n = lib.heif_image_handle_get_number_of_thumbnails(handle);
        if (n <= 0) {
            return null;
        }
        int[] ids = new int[n];
        n = lib.heif_image_handle_get_list_of_thumbnail_IDs(handle, ids, n);
        Pointer best = null;
        int bestW = 0;
        for (int i = 0; i < n; i++) {
            PointerByReference ref = new PointerByReference();
            if (!lib.heif_image_handle_get_thumbnail(handle, ids[i], ref).ok()) {
                continue;
            }
            Pointer t = ref.getValue();
            int tw = lib.heif_image_handle_get_width(t);
            int th = lib.heif_image_handle_get_height(t);
            // Same aspect and orientation as the image, and at least the target size: the reduced image is
            // OVERSAMPLE x the target so that the final resize does not alias, but a thumbnail the camera made is
            // already filtered and needs no such margin. An iPhone's 320 x 240 thumbnail thus serves a 224-pixel
            // model input without decoding 12 MP of HEVC (measured ~1.8 s per 12 MP HEIC on this machine).
            int side = request.fitLongSide() ? Math.max(tw, th) : Math.min(tw, th);
            boolean covers = side >= request.target() && Math.abs((double) tw / th - (double) w / h) < 0.02;
            if (covers && (best == null || tw < bestW)) {
                if (best != null) {
                    lib.heif_image_handle_release(best);
                }
                best = t;
                bestW = tw;
            } else {
                lib.heif_image_handle_release(t);
            }
        }
        return best;
    }

    /** The first EXIF block as a TIFF structure, or null. HEIF prefixes it with a 4-byte header offset. */
    private byte[] exif(Pointer handle) {
        int[] ids = new int[1];
        if (lib.heif_image_handle_get_list_of_metadata_block_IDs(handle, "Exif", ids, 1) < 1) {
            return null;
        }
        long size = lib.heif_image_handle_get_metadata_size(handle, ids[0]).longValue();
        if (size <= 4 || size > (16 << 20)) {
            return null;
        }
        try (Memory m = new Memory(size)) {
            if (!lib.heif_image_handle_get_metadata(handle, ids[0], m).ok()) {
                return null;
            }
            byte[] raw = m.getByteArray(0, (int) size);
            return tiffFromHeifExif(raw);
        }
    }

    /** Skips HEIF's offset prefix (and an "Exif\0\0" marker some writers add) to the TIFF header. */
    static byte[] tiffFromHeifExif(byte[] raw) {
        if (raw.length < 12) {
            return null;
        }
        long skip = ((raw[0] & 0xffL) << 24) | ((raw[1] & 0xff) << 16) | ((raw[2] & 0xff) << 8) | (raw[3] & 0xff);
        int start = 4 + (int) Math.min(skip, raw.length);
        // trust the offset when it lands on a TIFF header; otherwise search the first bytes for one
        for (int i = start < raw.length - 4 && isTiffHeader(raw, start) ? start : 4; i < Math.min(raw.length - 4, 64); i++) {
            if (isTiffHeader(raw, i)) {
                byte[] tiff = new byte[raw.length - i];
                System.arraycopy(raw, i, tiff, 0, tiff.length);
                return tiff;
            }
        }
        return null;
    }

    private static boolean isTiffHeader(byte[] b, int i) {
        return (b[i] == 'I' && b[i + 1] == 'I' && b[i + 2] == 42 && b[i + 3] == 0)
                || (b[i] == 'M' && b[i + 1] == 'M' && b[i + 2] == 0 && b[i + 3] == 42);
    }

    /**
     * Averages {@code sub x sub} blocks of an interleaved 8-bit RGB plane into an opaque RGB image of
     * ceil(w/sub) x ceil(h/sub) (edge blocks average the pixels they have, as ImageIO's subsampling keeps
     * the edge pixels), reading one source row at a time: the plane itself stays in native memory.
     */
    static BufferedImage boxDownsample(Pointer plane, int stride, int w, int h, int sub) {
        int ow = (w + sub - 1) / sub;
        int oh = (h + sub - 1) / sub;
        BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        byte[] row = new byte[w * 3];
        int[] sums = new int[ow * 3];
        int[] line = new int[ow];
        for (int oy = 0; oy < oh; oy++) {
            Arrays.fill(sums, 0);
            int y0 = oy * sub;
            int rows = Math.min(sub, h - y0);
            for (int y = y0; y < y0 + rows; y++) {
                plane.read((long) y * stride, row, 0, row.length);
                for (int x = 0; x < w; x++) {
                    int s = (x / sub) * 3;
                    int p = x * 3;
                    sums[s] += row[p] & 0xff;
                    sums[s + 1] += row[p + 1] & 0xff;
                    sums[s + 2] += row[p + 2] & 0xff;
                }
            }
            for (int ox = 0, s = 0; ox < ow; ox++, s += 3) {
                int area = rows * Math.min(sub, w - ox * sub);
                line[ox] = (sums[s] / area) << 16 | (sums[s + 1] / area) << 8 | (sums[s + 2] / area);
            }
            out.setRGB(0, oy, ow, 1, line, 0, ow);
        }
        return out;
    }

    /** The user-readable reason for a libheif error: unsupported codec, or truncated/corrupt. */
    static String reason(LibHeif.Error err) {
        String msg = String.valueOf(err.message);
        String lower = msg.toLowerCase(Locale.ROOT);
        // heif_error_Unsupported_filetype = 3, heif_error_Unsupported_feature = 4. libheif 1.15 drops items of
        // codecs it does not know, so such a main image (or grid tile) reads as "non-existing"/"not a proper image".
        if (err.code == 3 || err.code == 4 || lower.contains("unsupported") || lower.contains("no decoding plugin")
                || lower.contains("references a non-existing image") || lower.contains("is not a proper image")) {
            return "unsupported HEIF/AVIF content: a codec this libheif cannot decode (libheif: " + msg + ")";
        }
        return "truncated or corrupt image (libheif: " + msg + ")";
    }

    /** Bytes read; fewer than the buffer holds when the file shrank (libheif then reports the truncation). */
    private static long readFully(SeekableByteChannel channel, ByteBuffer buf) throws IOException {
        channel.position(0);
        while (buf.hasRemaining()) {
            if (channel.read(buf) < 0) {
                break;
            }
        }
        return buf.position();
    }
}
