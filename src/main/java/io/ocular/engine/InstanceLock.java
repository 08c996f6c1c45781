package io.ocular.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The OS file lock the window holds on {@code <data folder>/instance.lock} while it runs (taken by
 * app.SingleInstance). Front ends that must not work under a running window (e.g. {@code catalog restore})
 * probe it here.
 */
public final class InstanceLock {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceLock.class);
    public static final String FILE = "instance.lock";

    private InstanceLock() {
    }

    /** Whether a window holds the lock of {@code dataDir} now; changes nothing (a free lock is released at once). */
    public static boolean isHeld(Path dataDir) {
        Path lockFile = dataDir.resolve(FILE);
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            LOG.debug("cannot probe {}", lockFile, e);
            return false;
        }
    }
}
