package io.ocular.ui.main;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the few EXIF fields a viewer shows (camera, exposure) with metadata-extractor. */
public final class ExifDetails {
    private ExifDetails() {
    }

    public static List<Map.Entry<String, String>> read(Path file) {
        List<Map.Entry<String, String>> rows = new ArrayList<>();
        Metadata metadata;
        try {
            metadata = ImageMetadataReader.readMetadata(file.toFile());
        } catch (Exception e) {
            return rows;
        }
        ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
        ExifSubIFDDirectory sub = metadata.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
        String make = desc(ifd0, ExifIFD0Directory.TAG_MAKE);
        String model = desc(ifd0, ExifIFD0Directory.TAG_MODEL);
        if (model != null) {
            rows.add(Map.entry("Camera", make != null && !model.startsWith(make) ? make + " " + model : model));
        }
        add(rows, "Taken (EXIF)", desc(sub, ExifSubIFDDirectory.TAG_DATETIME_ORIGINAL));
        add(rows, "Exposure", desc(sub, ExifSubIFDDirectory.TAG_EXPOSURE_TIME));
        add(rows, "Aperture", desc(sub, ExifSubIFDDirectory.TAG_FNUMBER));
        add(rows, "ISO", desc(sub, ExifSubIFDDirectory.TAG_ISO_EQUIVALENT));
        add(rows, "Focal length", desc(sub, ExifSubIFDDirectory.TAG_FOCAL_LENGTH));
        add(rows, "Orientation", desc(ifd0, ExifIFD0Directory.TAG_ORIENTATION));
        return rows;
    }

    private static String desc(Directory dir, int tag) {
        return dir == null ? null : dir.getDescription(tag);
    }

    private static void add(List<Map.Entry<String, String>> rows, String label, String value) {
        if (value != null && !value.isBlank()) {
            rows.add(Map.entry(label, value.strip()));
        }
    }
}
