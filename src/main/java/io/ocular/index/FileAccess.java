package io.ocular.index;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The few file-system operations the indexer needs (reading photos, and the free space and write access of the
 * data folder), behind a seam so that tests can inject failures that a real file system will not produce on demand (tests and CI run as root, where {@code chmod 000} denies
 * nothing). The real implementation is {@link #system()}; it simply delegates to {@link Files}.
 */
public interface FileAccess {

    /** Attributes, following symbolic links. */
    BasicFileAttributes attributes(Path path) throws IOException;

    /** Attributes of the entry itself (a link is reported as a link). */
    BasicFileAttributes linkAttributes(Path path) throws IOException;

    DirectoryStream<Path> list(Path dir) throws IOException;

    SeekableByteChannel open(Path file) throws IOException;

    /** True when the path exists (following links); errors other than "no such file" count as existing. */
    default boolean exists(Path path) {
        try {
            attributes(path);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true; // present but not accessible: never treat as deleted
        }
    }

    /** Bytes a write to the file system holding {@code dir} may still use. */
    default long usableSpace(Path dir) throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    /** True when files can be written in {@code dir} (false on a read-only mount, even for root). */
    default boolean writable(Path dir) {
        return Files.isWritable(dir);
    }

    static FileAccess system() {
        return SystemFileAccess.INSTANCE;
    }

    /** Plain delegation to {@link Files}. Stateless. */
    final class SystemFileAccess implements FileAccess {
        private static final SystemFileAccess INSTANCE = new SystemFileAccess();

        private SystemFileAccess() {
        }

        @Override
        public BasicFileAttributes attributes(Path path) throws IOException {
            return Files.readAttributes(path, BasicFileAttributes.class);
        }

        @Override
        public BasicFileAttributes linkAttributes(Path path) throws IOException {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public DirectoryStream<Path> list(Path dir) throws IOException {
            return Files.newDirectoryStream(dir);
        }

        @Override
        public SeekableByteChannel open(Path file) throws IOException {
            return Files.newByteChannel(file, StandardOpenOption.READ);
        }
    }
}
