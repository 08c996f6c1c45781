package io.ocular.index;

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

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;

/**
 * The two EXIF facts Ocular uses: orientation (1..8) and date taken. Read with metadata-extractor, from a
 * whole file or from a bare TIFF-structured EXIF block (HEIF metadata items, RAW headers).
 */
record PhotoExif(int orientation, Instant takenAt) {
    private static final Logger LOG = LoggerFactory.getLogger(PhotoExif.class);

    static final PhotoExif NONE = new PhotoExif(1, null);

    /** EXIF of a whole file; problems here are never fatal (the pixels may still be fine). */
    static PhotoExif read(Path file, SeekableByteChannel channel) {
        try {
            channel.position(0);
            InputStream in = Channels.newInputStream(channel);
            return of(ImageMetadataReader.readMetadata(in, channel.size()));
        } catch (ImageProcessingException | IOException | RuntimeException e) {
            LOG.debug("{}: no usable EXIF ({})", file, e.toString());
            return NONE;
        }
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
