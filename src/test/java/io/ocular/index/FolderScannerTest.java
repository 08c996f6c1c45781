package io.ocular.index;

import io.ocular.model.SkippedFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FolderScannerTest {

    @TempDir
    Path root;

    private static final class Collect implements FolderScanner.Sink {
        final List<Path> files = new ArrayList<>();
        final List<SkippedFile> skipped = new ArrayList<>();

        @Override
        public void file(FolderScanner.FoundFile file) {
            files.add(file.path());
        }

        @Override
        public void skipped(SkippedFile s) {
            skipped.add(s);
        }
    }

    private static Path touch(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        return Files.write(p, new byte[]{1, 2, 3});
    }

    private Collect scan(FolderScanner scanner) {
        Collect c = new Collect();
        FolderScanner.Summary s = scanner.scan(root, c, () -> false);
        assertThat(s.complete()).isTrue();
        assertThat(s.skipped()).isEqualTo(c.skipped);
        return c;
    }

    @Test
    void findsImagesByExtensionCaseInsensitivelyAndSkipsHiddenAndSystemFolders() throws Exception {
        Path a = touch(root.resolve("a.JPG"));
        Path b = touch(root.resolve("sub/deeper/b.jpeg"));
        Path c = touch(root.resolve("sub/c.Tiff"));
        Path d = touch(root.resolve("d.webp"));
        touch(root.resolve("notes.txt"));
        touch(root.resolve("raw.xmp"));
        touch(root.resolve("._a.jpg"));
        touch(root.resolve(".git/objects/x.png"));
        touch(root.resolve(".thumbnails/large/t.png"));
        touch(root.resolve("@eaDir/a.jpg/SYNOPHOTO_THUMB_XL.jpg"));
        touch(root.resolve("$RECYCLE.BIN/old.jpg"));
        Collect found = scan(new FolderScanner());
        assertThat(found.files).containsExactlyInAnyOrder(a, b, c, d);
        assertThat(found.skipped).isEmpty();
    }

    @Test
    void heifAndRawFilesAreFoundAndARawWithASidecarIsOnePhoto() throws Exception {
        Path heic = touch(root.resolve("IMG_0001.HEIC"));
        Path avif = touch(root.resolve("x.avif"));
        Path dngAlone = touch(root.resolve("raw/DSC_0002.dng"));
        Path cr3Alone = touch(root.resolve("raw/IMG_0003.CR3"));
        Path nef = touch(root.resolve("pair/DSC_0004.NEF"));
        Path sidecar = touch(root.resolve("pair/DSC_0004.JPG"));
        Path arw = touch(root.resolve("pair/DSC_0005.arw"));
        Path heicSidecar = touch(root.resolve("pair/DSC_0005.heic"));
        Path otherFolder = touch(root.resolve("elsewhere/DSC_0004.NEF")); // same name, other folder: its own photo
        touch(root.resolve("notes.xmp"));
        Collect c = scan(new FolderScanner());
        assertThat(c.files).containsExactlyInAnyOrder(heic, avif, dngAlone, cr3Alone, sidecar, heicSidecar, otherFolder);
        assertThat(c.files).doesNotContain(nef, arw);
        assertThat(FolderScanner.isShadowedRaw(nef, FileAccess.system())).isTrue();
        assertThat(FolderScanner.isShadowedRaw(dngAlone, FileAccess.system())).isFalse();
        assertThat(FolderScanner.isShadowedRaw(sidecar, FileAccess.system())).isFalse(); // the JPEG itself
    }

    @Test
    void symlinkLoopIsRecordedAndTheWalkGoesOn() throws Exception {
        Path a = touch(root.resolve("x/a.png"));
        Files.createSymbolicLink(root.resolve("x/loop"), root);
        Path b = touch(root.resolve("y/b.png"));
        Collect found = scan(new FolderScanner());
        assertThat(found.files).containsExactlyInAnyOrder(a, b);
        assertThat(found.skipped).singleElement().satisfies(s -> {
            assertThat(s.path()).isEqualTo(root.resolve("x/loop"));
            assertThat(s.reason()).contains("symbolic link loop");
        });
    }

    @Test
    void linkedFolderOutsideIsFollowedOnceAndBrokenLinksReported(@TempDir Path outside) throws Exception {
        Path o = touch(outside.resolve("o.gif"));
        Files.createSymbolicLink(root.resolve("link1"), outside);
        Files.createSymbolicLink(root.resolve("link2"), outside);
        Files.createSymbolicLink(root.resolve("dangling.jpg"), root.resolve("nowhere.jpg"));
        Collect found = scan(new FolderScanner());
        assertThat(found.files).hasSize(1);
        assertThat(found.files.get(0).getFileName()).isEqualTo(o.getFileName());
        assertThat(found.skipped).extracting(SkippedFile::reason).containsExactly("broken link");
    }

    @Test
    void unreadableFolderViaInjectionIsRecordedAndSiblingsScanned() throws Exception {
        Path ok = touch(root.resolve("ok/a.png"));
        touch(root.resolve("private/b.png"));
        Collect found = scan(new FolderScanner(new FaultyFileAccess().deny(root.resolve("private"))));
        assertThat(found.files).containsExactly(ok);
        assertThat(found.skipped).singleElement().satisfies(s -> {
            assertThat(s.path()).isEqualTo(root.resolve("private"));
            assertThat(s.reason()).isEqualTo("folder unreadable: permission denied");
        });
    }

    @Test
    void unreadableFolderOnRealFileSystem() throws Exception {
        Path ok = touch(root.resolve("ok/a.png"));
        Path priv = root.resolve("private");
        touch(priv.resolve("b.png"));
        Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("---------"));
        try {
            assumeFalse(Files.isReadable(priv), "running as root: chmod 000 denies nothing (covered by injection)");
            Collect found = scan(new FolderScanner());
            assertThat(found.files).containsExactly(ok);
            assertThat(found.skipped).extracting(SkippedFile::path).containsExactly(priv);
        } finally {
            Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void missingRootIsOneSkipAndNothingElse() {
        Collect c = new Collect();
        FolderScanner.Summary s = new FolderScanner().scan(root.resolve("unplugged"), c, () -> false);
        assertThat(c.files).isEmpty();
        assertThat(s.skipped()).singleElement().satisfies(x -> assertThat(x.reason()).contains("not found"));
    }

    @Test
    void filesVanishingMidScanAreTolerated() throws Exception {
        Path keep = touch(root.resolve("keep.png"));
        Path gone = touch(root.resolve("gone.png"));
        Path goneDir = root.resolve("gonedir");
        touch(goneDir.resolve("x.png"));
        // deletes entries after the directory was listed but before they are looked at
        FileAccess racing = new FileAccess() {
            final FileAccess real = FileAccess.system();

            @Override
            public BasicFileAttributes attributes(Path path) throws IOException {
                return real.attributes(path);
            }

            @Override
            public BasicFileAttributes linkAttributes(Path path) throws IOException {
                return real.linkAttributes(path);
            }

            @Override
            public DirectoryStream<Path> list(Path dir) throws IOException {
                List<Path> entries = new ArrayList<>();
                try (DirectoryStream<Path> s = real.list(dir)) {
                    s.forEach(entries::add);
                }
                if (dir.equals(root)) {
                    Files.delete(gone);
                    Files.delete(goneDir.resolve("x.png"));
                    Files.delete(goneDir);
                }
                return new DirectoryStream<>() {
                    @Override
                    public Iterator<Path> iterator() {
                        return entries.iterator();
                    }

                    @Override
                    public void close() {
                    }
                };
            }

            @Override
            public SeekableByteChannel open(Path file) throws IOException {
                return real.open(file);
            }
        };
        Collect found = scan(new FolderScanner(racing));
        assertThat(found.files).containsExactly(keep);
        assertThat(found.skipped).isEmpty();
    }

    @Test
    void nonAsciiNames() throws Exception {
        assumeTrue(TestImages.nonAsciiPathsSupported(), "file names need a UTF-8 locale");
        Path f = touch(root.resolve("Фото/été 日本.jpg"));
        assertThat(scan(new FolderScanner()).files).containsExactly(f);
    }

    @Test
    void cancelStopsTheWalk() throws Exception {
        for (int i = 0; i < 5; i++) {
            touch(root.resolve("d" + i + "/a.png"));
        }
        Collect c = new Collect();
        FolderScanner.Summary s = new FolderScanner().scan(root, c, () -> !c.files.isEmpty());
        assertThat(s.complete()).isFalse();
        assertThat(c.files).hasSize(1);
    }
}
