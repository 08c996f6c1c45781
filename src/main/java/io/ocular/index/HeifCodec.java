package io.ocular.index;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntBinaryOperator;

/**
 * Reads HEIF-family files (HEIC, HEIF, AVIF) for {@link ImageDecoder}. The real implementation is libheif
 * ({@link LibHeifCodec}); where it is absent, macOS's own {@code sips} ({@link SipsHeifCodec}); elsewhere
 * {@link #unavailable} records every HEIF file as skipped with what to install.
 */
interface HeifCodec {
    /**
     * Pixels of the primary image, reduced by an integer factor.
     *
     * @param image             opaque RGB at 1/subsampling of the full size
     * @param width             full width as displayed
     * @param height            full height as displayed
     * @param subsampling       the reduction factor that was applied
     * @param exif              orientation and date from the file's EXIF
     * @param transformsApplied true when rotation/mirroring was already applied to the pixels (libheif applies
     *                          the container's irot/imir itself; the EXIF orientation must then not be applied again)
     */
    record Picture(BufferedImage image, int width, int height, int subsampling, PhotoExif exif,
                   boolean transformsApplied) {
    }

    /**
     * What the caller wants.
     *
     * @param target         the final size of the chosen side
     * @param fitLongSide    true when {@code target} bounds the longer side (thumbnails), false for the shorter
     * @param subsamplingFor full width, full height to the reduction factor (at least 1)
     */
    record Request(int target, boolean fitLongSide, IntBinaryOperator subsamplingFor) {
    }

    /**
     * Decodes {@code file}, whose bytes {@code channel} reads ({@code size} bytes).
     *
     * @throws ImageDecodeException with a user-readable reason when the file cannot be used
     */
    Picture decode(Path file, SeekableByteChannel channel, long size, Request request) throws IOException;

    /** What decodes HEIF here, for logs and {@code ocular status}. */
    String description();

    /** The best codec this system offers; libheif is loaded at most once per process. */
    static HeifCodec system() {
        return SystemHeif.CODEC;
    }

    /** A codec that skips every HEIF file with {@code reason}. */
    static HeifCodec unavailable(String reason) {
        return new HeifCodec() {
            @Override
            public Picture decode(Path file, SeekableByteChannel channel, long size, Request request) {
                throw new ImageDecodeException(file, reason);
            }

            @Override
            public String description() {
                return "none (" + reason + ")";
            }
        };
    }

    /** What to tell a user whose system has no HEIF decoder. */
    static String missingReason(String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            return "HEIC/AVIF needs libheif, which is not installed: install it (e.g. 'vcpkg install libheif' or "
                    + "MSYS2 'pacman -S mingw-w64-x86_64-libheif') and put heif.dll on the PATH";
        }
        if (os.contains("mac")) {
            return "HEIC/AVIF needs libheif or macOS's sips: install libheif ('brew install libheif')";
        }
        return "HEIC/AVIF needs libheif, which is not installed: install the package libheif1 "
                + "(e.g. 'sudo apt install libheif1')";
    }

    /** Lazily chosen once: loading a native library is process-wide anyway. */
    final class SystemHeif {
        static final HeifCodec CODEC = choose();

        private SystemHeif() {
        }

        private static HeifCodec choose() {
            LibHeifCodec lib = LibHeifCodec.load();
            if (lib != null) {
                return lib;
            }
            String os = System.getProperty("os.name", "");
            Path sips = Path.of("/usr/bin/sips");
            if (os.toLowerCase(Locale.ROOT).contains("mac") && sips.toFile().canExecute()) {
                return new SipsHeifCodec(sips);
            }
            return unavailable(missingReason(os));
        }
    }
}
