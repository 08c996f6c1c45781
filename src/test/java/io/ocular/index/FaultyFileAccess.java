package io.ocular.index;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real file system, except that chosen paths deny access the way a non-root user's chmod 000 would:
 * {@code open}/{@code list} throw {@link AccessDeniedException} (tests and CI run as root, where chmod
 * denies nothing).
 */
final class FaultyFileAccess implements FileAccess {
    private final FileAccess real = FileAccess.system();
    final Set<Path> unreadable = ConcurrentHashMap.newKeySet();

    FaultyFileAccess deny(Path p) {
        unreadable.add(p.toAbsolutePath().normalize());
        return this;
    }

    private void check(Path p) throws AccessDeniedException {
        if (unreadable.contains(p.toAbsolutePath().normalize())) {
            throw new AccessDeniedException(p.toString());
        }
    }

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
        check(dir);
        return real.list(dir);
    }

    @Override
    public SeekableByteChannel open(Path file) throws IOException {
        check(file);
        return real.open(file);
    }
}
