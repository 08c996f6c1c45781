package io.ocular.index;

import com.drew.imaging.FileType;
import com.drew.imaging.FileTypeDetector;
import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.lang.ByteArrayReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.MetadataException;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.TimeZone;

/**
 * The two EXIF facts Ocular uses: orientation (1..8) and date taken. Read with metadata-extractor, from a
 * whole file or from a bare TIFF-structured EXIF block (HEIF metadata items, RAW headers).
 */
record PhotoExif(int orientation, Instant takenAt) {
    private static final Logger LOG = LoggerFactory.getLogger(PhotoExif.class);

    static final PhotoExif NONE = new PhotoExif(1, null);

    /**
     * The containers that carry EXIF in the formats Ocular decodes with ImageIO. Anything else (ICO, PCX, PSD,
     * BMP, GIF, unknown) is not parsed at all: metadata-extractor's ICO reader walks up to 65,535 directory
     * entries of a 40-byte file, one EOFException each, ~180 ms of CPU for nothing (found by fuzzing).
     */
    private static final Set<FileType> WITH_EXIF = Set.of(FileType.Jpeg, FileType.Tiff, FileType.Png, FileType.WebP,
            FileType.Heif, FileType.Arw, FileType.Cr2, FileType.Nef, FileType.Orf, FileType.Rw2, FileType.Raf);

    /** EXIF of a whole file; problems here are never fatal (the pixels may still be fine). */
    static PhotoExif read(Path file, SeekableByteChannel channel) {
        try {
            channel.position(0);
            BufferedInputStream in = new BufferedInputStream(Channels.newInputStream(channel), 8192);
            FileType type = FileTypeDetector.detectFileType(in);
            if (!WITH_EXIF.contains(type) || !chunksFit(type, channel)) {
                return NONE;
            }
            channel.position(0);
            in = new BufferedInputStream(Channels.newInputStream(channel), 8192);
            return of(ImageMetadataReader.readMetadata(in, channel.size(), type));
        } catch (ImageProcessingException | IOException | RuntimeException e) {
            LOG.debug("{}: no usable EXIF ({})", file, e.toString());
            return NONE;
        }
    }

    /** PNG and WebP chunks that claim more bytes than the file has are not handed to metadata-extractor. */
    private static boolean chunksFit(FileType type, SeekableByteChannel channel) throws IOException {
        return switch (type) {
            case Png -> ChunkBounds.pngFits(channel, channel.size());
            case WebP -> ChunkBounds.riffFits(channel, channel.size());
            default -> true;
        };
    }

    /** EXIF from a TIFF structure (starts with II or MM); {@link #NONE} for null or unreadable bytes. */
    static PhotoExif fromTiff(byte[] tiff) {
        if (tiff == null) {
            return NONE;
        }
        try {
            Metadata metadata = new Metadata();
            new ExifReader().extract(new ByteArrayReader(tiff), metadata);
            return of(metadata);
        } catch (RuntimeException e) {
            LOG.debug("unreadable EXIF block ({})", e.toString());
            return NONE;
        }
    }

    static PhotoExif of(Metadata metadata) {
        int orientation = 1;
        ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
        try {
            if (ifd0 != null && ifd0.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                int o = ifd0.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                orientation = o >= 1 && o <= 8 ? o : 1;
            }
        } catch (MetadataException e) {
            orientation = 1;
        }
        Instant takenAt = null;
        ExifSubIFDDirectory sub = metadata.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
        if (sub != null) {
            // EXIF dates carry no zone unless OffsetTimeOriginal is present; wall time is read as UTC.
            Date d = sub.getDateOriginal(TimeZone.getTimeZone("UTC"));
            if (d != null) {
                takenAt = d.toInstant();
            }
        }
        return new PhotoExif(orientation, takenAt);
    }
}
