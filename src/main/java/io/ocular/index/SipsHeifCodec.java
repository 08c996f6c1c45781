package io.ocular.index;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HEIC through macOS's own {@code sips} where libheif is not installed: {@code sips -g pixelWidth -g
 * pixelHeight} for the size, then {@code sips -s format jpeg -Z N} to a temporary JPEG at the reduced size,
 * read like any JPEG (its EXIF orientation is applied by the caller: sips keeps it as a tag). Run through
 * {@link ProcessBuilder} with an argument array, never a shell, so no file name is ever interpreted.
 */
final class SipsHeifCodec implements HeifCodec {
    private static final Logger LOG = LoggerFactory.getLogger(SipsHeifCodec.class);
    private static final Pattern DIM = Pattern.compile("pixel(Width|Height):\\s*(\\d+)");
    private static final long TIMEOUT_SECONDS = 60;

    private final Path sips;

    SipsHeifCodec(Path sips) {
        this.sips = sips;
    }

    @Override
    public String description() {
        return "macOS sips (" + sips + ")";
    }

    @Override
    public Picture decode(Path file, SeekableByteChannel channel, long size, Request request) throws IOException {
        String info = run(file, List.of(sips.toString(), "-g", "pixelWidth", "-g", "pixelHeight", file.toString()));
        int w = 0;
        int h = 0;
        Matcher m = DIM.matcher(info);
        while (m.find()) {
            int v = Integer.parseInt(m.group(2));
            if (m.group(1).equals("Width")) {
                w = v;
            } else {
                h = v;
            }
        }
        if (w <= 0 || h <= 0) {
            throw new ImageDecodeException(file, "truncated or corrupt image (sips read no size)");
        }
        int sub = Math.max(1, request.subsamplingFor().applyAsInt(w, h));
        int longSide = Math.max(1, Math.max(w, h) / sub);
        Path dir = Files.createTempDirectory("ocular-sips");
        Path jpeg = dir.resolve("out.jpg");
        try {
            run(file, List.of(sips.toString(), "-s", "format", "jpeg", "-Z", Integer.toString(longSide),
                    file.toString(), "--out", jpeg.toString()));
            BufferedImage img = Files.exists(jpeg) ? ImageIO.read(jpeg.toFile()) : null;
            if (img == null) {
                throw new ImageDecodeException(file, "truncated or corrupt image (sips produced nothing)");
            }
            return new Picture(img, w, h, sub, exifOf(jpeg), false);
        } finally {
            Files.deleteIfExists(jpeg);
            Files.deleteIfExists(dir);
        }
    }

    /** EXIF of sips' JPEG (sips copies the HEIC's EXIF, orientation included). */
    private static PhotoExif exifOf(Path jpeg) {
        try (InputStream in = Files.newInputStream(jpeg)) {
            return PhotoExif.of(ImageMetadataReader.readMetadata(in));
        } catch (IOException | ImageProcessingException | RuntimeException e) {
            LOG.debug("{}: no EXIF in sips output ({})", jpeg, e.toString());
            return PhotoExif.NONE;
        }
    }

    private String run(Path file, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        Process p = pb.start();
        try {
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(1 << 20);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ImageDecodeException(file, "sips took too long on this file");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new ImageDecodeException(file, "truncated or corrupt image (sips: " + lastLine(text) + ")");
            }
            return text;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ImageDecodeException(file, "interrupted");
        }
    }

    private static String lastLine(String text) {
        String t = text.strip();
        int nl = t.lastIndexOf('\n');
        return nl < 0 ? t : t.substring(nl + 1).strip();
    }
}
