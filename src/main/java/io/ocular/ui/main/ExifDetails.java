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

/**
 * Reads the few EXIF fields a viewer shows (camera, exposure) with metadata-extractor. Labels are message keys
 * ({@code exif.camera}) that the viewer shows in the window's language.
 */
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
            rows.add(Map.entry("exif.camera", make != null && !model.startsWith(make) ? make + " " + model : model));
        }
        add(rows, "exif.taken", desc(sub, ExifSubIFDDirectory.TAG_DATETIME_ORIGINAL));
        add(rows, "exif.exposure", desc(sub, ExifSubIFDDirectory.TAG_EXPOSURE_TIME));
        add(rows, "exif.aperture", desc(sub, ExifSubIFDDirectory.TAG_FNUMBER));
        add(rows, "exif.iso", desc(sub, ExifSubIFDDirectory.TAG_ISO_EQUIVALENT));
        add(rows, "exif.focalLength", desc(sub, ExifSubIFDDirectory.TAG_FOCAL_LENGTH));
        add(rows, "exif.orientation", desc(ifd0, ExifIFD0Directory.TAG_ORIENTATION));
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
