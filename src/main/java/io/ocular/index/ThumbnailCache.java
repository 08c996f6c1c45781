package io.ocular.index;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Thumbnails on disk: {@code <dir>/<first two hash chars>/<content hash>-<size>.jpg}, the longest side
 * {@code size} pixels (256 by default). Keyed by content, so a moved or renamed photo keeps its thumbnail
 * and an edited one gets a new one. Created lazily through the subsampling {@link ImageDecoder} (bounded
 * memory), written to a temporary file and atomically renamed (a crash never leaves a half-written
 * thumbnail under its final name). A cache file that is not a whole JPEG is regenerated. Thread-safe:
 * two threads creating the same thumbnail both write complete files and the last rename wins. A video's
 * thumbnail is its frame at {@link #VIDEO_THUMBNAIL_SECONDS} (decoded by {@link VideoFrames}).
 */
public final class ThumbnailCache {
    private static final Logger LOG = LoggerFactory.getLogger(ThumbnailCache.class);
    public static final int DEFAULT_SIZE = 256;

    private final Path dir;
    private final ImageDecoder decoder;
    private final ContentHasher hasher;
    /** Where in a video its thumbnail is taken (past a fade-in or a black first frame). */
    public static final double VIDEO_THUMBNAIL_SECONDS = 1.0;

    private final int size;
    private final VideoFrames videos;

    /**
     * @param videos decodes videos' thumbnails; null when ffmpeg is missing (a video then has no thumbnail)
     */
    public ThumbnailCache(Path dir, ImageDecoder decoder, ContentHasher hasher, int size, VideoFrames videos) {
        this.dir = dir.toAbsolutePath().normalize();
        this.decoder = decoder;
        this.hasher = hasher;
        this.size = size;
        this.videos = videos;
    }

    public ThumbnailCache(Path dir, ImageDecoder decoder, ContentHasher hasher, int size) {
        this(dir, decoder, hasher, size, VideoFrames.system(VideoFrames.Config.DEFAULT));
    }

    public ThumbnailCache(Path dir, ImageDecoder decoder) {
        this(dir, decoder, new ContentHasher(), DEFAULT_SIZE);
    }

    /** Where the thumbnail of this content lives (it may not exist yet). */
    public Path fileFor(String contentHash) {
        String shard = contentHash.length() >= 2 ? contentHash.substring(0, 2) : "00";
        return dir.resolve(shard).resolve(contentHash + "-" + size + ".jpg");
    }

    /**
     * The thumbnail file of an image, created if missing or damaged.
     *
     * @param contentHash the catalog's content hash, or null to compute it
     * @throws ImageDecodeException when the image itself cannot be decoded (the message says why)
     */
    public Path thumbnail(Path image, String contentHash) {
        String hash = contentHash != null ? contentHash : hash(image);
        Path file = fileFor(hash);
        if (isWholeJpeg(file)) {
            return file;
        }
        return create(image, file);
    }

    /** The thumbnail as an image; an unreadable cache file is regenerated once. */
    public BufferedImage load(Path image, String contentHash) {
        Path file = thumbnail(image, contentHash);
        BufferedImage img = read(file);
        if (img == null) {
            LOG.info("damaged thumbnail {}: regenerating", file);
            img = read(create(image, file));
        }
        if (img == null) {
            throw new ImageDecodeException(image, "thumbnail could not be created");
        }
        return img;
    }

    private String hash(Path image) {
        try {
            return hasher.hash(image);
        } catch (IOException e) {
            throw ImageDecodeException.fromIo(image, e);
        }
    }

    private static BufferedImage read(Path file) {
        try {
            return ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private BufferedImage decode(Path file) {
        if (!ImageFormats.isVideoName(String.valueOf(file.getFileName()))) {
            return decoder.decodeToFit(file, size).image();
        }
        if (videos == null) {
            throw new ImageDecodeException(file, VideoFrames.missingReason());
        }
        try {
            return videos.frameAt(file, VIDEO_THUMBNAIL_SECONDS, size);
        } catch (IOException e) {
            throw ImageDecodeException.fromIo(file, e);
        }
    }

    private Path create(Path image, Path file) {
        BufferedImage thumb = decode(image);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".thumb-", ".tmp");
            try {
                writeJpeg(thumb, tmp);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write thumbnail " + file, e);
        }
    }

    private static void writeJpeg(BufferedImage img, Path file) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (OutputStream os = Files.newOutputStream(file); ImageOutputStream out = ImageIO.createImageOutputStream(os)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.85f);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    /** Cheap structural check: starts with SOI (FFD8) and ends with EOI (FFD9). */
    static boolean isWholeJpeg(Path file) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long n = f.length();
            if (n < 4) {
                return false;
            }
            int a = f.read();
            int b = f.read();
            f.seek(n - 2);
            int c = f.read();
            int d = f.read();
            return a == 0xFF && b == 0xD8 && c == 0xFF && d == 0xD9;
        } catch (IOException e) {
            return false;
        }
    }
}
