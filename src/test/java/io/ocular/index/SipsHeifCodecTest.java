package io.ocular.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The macOS fallback's code path, run on any POSIX system against a stand-in {@code sips} script that
 * answers like the real one: it logs its arguments (proving they arrive as an array, untouched by a shell)
 * and writes a prepared JPEG where {@code --out} says.
 */
class SipsHeifCodecTest {
    @TempDir
    Path dir;

    private Path fakeSips(Path jpeg, Path log, int exit) throws Exception {
        assumeTrue(Files.exists(Path.of("/bin/sh")), "needs a POSIX shell for the stand-in sips");
        String script = "#!/bin/sh\n"
                + "for a in \"$@\"; do printf '%s\\n' \"$a\" >> '" + log + "'; done\n"
                + "echo '--' >> '" + log + "'\n"
                + (exit != 0 ? "echo 'Error: Cannot read file' ; exit " + exit + "\n" : "")
                + "case \"$1\" in -g) printf '%s\\n  pixelWidth: 640\\n  pixelHeight: 320\\n' \"$5\" ;;\n"
                + "  *) while [ $# -gt 0 ]; do if [ \"$1\" = --out ]; then cp '" + jpeg + "' \"$2\"; fi; shift; done ;;\n"
                + "esac\n";
        Path sips = Files.writeString(dir.resolve("sips"), script);
        Files.setPosixFilePermissions(sips, PosixFilePermissions.fromString("rwx------"));
        return sips;
    }

    @Test
    void sizesThenConvertsAtReducedSizeAndAppliesTheJpegsOrientation() throws Exception {
        Path jpeg = TestImages.jpegWithExif(TestImages.quadrants(160, 80), 6, "2020:01:02 03:04:05", dir.resolve("o.jpg"));
        Path log = dir.resolve("args.log");
        Path sips = fakeSips(jpeg, log, 0);
        Path heic = Files.write(dir.resolve("my photo; rm -rf $HOME.heic"),
                new byte[]{0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0, 'm', 'i', 'f', '1', 'h', 'e', 'i', 'c'});
        ImageDecoder decoder = new ImageDecoder(FileAccess.system(), ImageDecoder.DEFAULT_MAX_PIXELS, new SipsHeifCodec(sips));
        DecodedImage d = decoder.decode(heic, 40);
        List<String> args = Files.readAllLines(log);
        assertThat(args.subList(0, 6)).containsExactly("-g", "pixelWidth", "-g", "pixelHeight", heic.toString(), "--");
        assertThat(args.subList(6, 11)).containsExactly("-s", "format", "jpeg", "-Z", "160"); // short side 320 / (2 x 40) = 4: 640 / 4
        assertThat(args.get(11)).isEqualTo(heic.toString());
        assertThat(args.get(12)).isEqualTo("--out");
        // orientation 6 from the JPEG sips wrote is applied: 640 x 320 stored is 320 x 640 shown
        assertThat(d.width()).isEqualTo(320);
        assertThat(d.height()).isEqualTo(640);
        assertThat(d.orientation()).isEqualTo(6);
        assertThat(d.takenAt()).isEqualTo(Instant.parse("2020-01-02T03:04:05Z"));
        assertThat(Files.list(dir).filter(p -> p.getFileName().toString().startsWith("ocular-sips"))).isEmpty();
    }

    @Test
    void sipsFailureIsASkipReason() throws Exception {
        Path jpeg = TestImages.write(TestImages.quadrants(16, 16), "jpg", dir.resolve("o.jpg"));
        Path sips = fakeSips(jpeg, dir.resolve("args.log"), 1);
        Path heic = Files.write(dir.resolve("bad.heic"), new byte[]{0, 0, 0, 16, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0});
        ImageDecoder decoder = new ImageDecoder(FileAccess.system(), ImageDecoder.DEFAULT_MAX_PIXELS, new SipsHeifCodec(sips));
        assertThatThrownBy(() -> decoder.decode(heic, 40)).isInstanceOf(ImageDecodeException.class)
                .hasMessage("truncated or corrupt image (sips: Error: Cannot read file)");
    }
}
