package io.ocular.index;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches library folders recursively ({@link WatchService}: inotify on Linux, FSEvents polling on macOS,
 * ReadDirectoryChangesW on Windows) and asks for an incremental rescan of the folder where something
 * changed, once things have been quiet for the debounce time (or at the latest after ten debounce periods of
 * continuous change, so a long copy still shows progress). New subfolders are registered as they appear.
 * An event overflow (the OS dropped events) asks for a full rescan. Hidden/system folders are not watched;
 * symbolic links are not followed (the periodic/startup rescan covers linked folders).
 *
 * <p>Wiring (composition root): {@code new FolderWatcher(daemon::rescan, daemon::rescan, Duration.ofSeconds(1))},
 * {@link #watch} each library folder. Turned off by {@link #setEnabled}(false) (events are dropped) or by
 * not creating it; {@link #close} stops its thread.
 */
public final class FolderWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FolderWatcher.class);

    private final Consumer<Path> onChange;
    private final Runnable onOverflow;
    private final long debounceNanos;
    private final WatchService service;
    private final Map<WatchKey, Path> keys = new ConcurrentHashMap<>();
    private final Set<Path> roots = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean enabled = true;
    private volatile boolean running = true;

    /** Pending change per folder: {first event, last event} in nanos. Only the watcher thread touches it. */
    private final Map<Path, long[]> pending = new HashMap<>();
    private boolean overflowPending;
    private long overflowAt;

    public FolderWatcher(Consumer<Path> onChange, Runnable onOverflow, Duration debounce) throws IOException {
        this.onChange = onChange;
        this.onOverflow = onOverflow;
        this.debounceNanos = debounce.toNanos();
        this.service = FileSystems.getDefault().newWatchService();
        this.thread = new Thread(this::loop, "ocular-folder-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts watching a folder and everything below it. */
    public void watch(Path root) {
        Path r = root.toAbsolutePath().normalize();
        roots.add(r);
        registerAll(r);
    }

    /** Stops watching a folder and everything below it. */
    public void unwatch(Path root) {
        Path r = root.toAbsolutePath().normalize();
        roots.remove(r);
        for (Iterator<Map.Entry<WatchKey, Path>> it = keys.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<WatchKey, Path> e = it.next();
            if (e.getValue().startsWith(r)) {
                e.getKey().cancel();
                it.remove();
            }
        }
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** Whether a folder (or one it lies in) is watched as a root. */
    public boolean watches(Path folder) {
        Path f = folder.toAbsolutePath().normalize();
        return roots.stream().anyMatch(f::startsWith);
    }

    /** Number of folders currently watched. */
    public int watchedFolders() {
        return keys.size();
    }

    private void registerAll(Path start) {
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(start) && FolderScanner.isIgnoredFolder(String.valueOf(dir.getFileName()))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    try {
                        WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                                StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
                        keys.put(key, dir);
                    } catch (IOException e) {
                        // e.g. the inotify watch limit: changes below go unnoticed until the next rescan
                        LOG.warn("cannot watch {}: {}", dir, e.getMessage());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (ClosedWatchServiceException e) {
            LOG.debug("watcher closed before {} was registered", start);
        } catch (IOException e) {
            LOG.warn("cannot watch {}: {}", start, e.getMessage());
        }
    }

    private void loop() {
        while (running) {
            try {
                WatchKey key = service.poll(100, TimeUnit.MILLISECONDS);
                while (key != null) {
                    handle(key);
                    key = service.poll();
                }
                fireDue(System.nanoTime());
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("folder watcher: {}", e.toString());
            }
        }
    }

    private void handle(WatchKey key) {
        Path dir = keys.get(key);
        long now = System.nanoTime();
        for (WatchEvent<?> event : key.pollEvents()) {
            if (!enabled) {
                continue;
            }
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                if (!overflowPending) {
                    overflowAt = now;
                }
                overflowPending = true;
                continue;
            }
            if (dir == null) {
                continue;
            }
            Path child = dir.resolve((Path) event.context());
            if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(child)
                    && !FolderScanner.isIgnoredFolder(String.valueOf(child.getFileName()))) {
                registerAll(child); // files may already be inside: the rescan of dir finds them
            }
            pending.computeIfAbsent(dir, d -> new long[]{now, now})[1] = now;
        }
        if (!key.reset()) {
            keys.remove(key); // the folder is gone; its parent's event triggers the rescan
            if (dir != null && roots.contains(dir) && enabled) {
                // a library folder itself went away (drive unplugged, folder deleted): its rescan reports it
                pending.computeIfAbsent(dir, d -> new long[]{now, now})[1] = now;
            }
        }
    }

    private void fireDue(long now) {
        if (overflowPending && now - overflowAt >= debounceNanos) {
            overflowPending = false;
            pending.clear();
            LOG.info("file system events overflowed: full rescan");
            onOverflow.run();
            return;
        }
        List<Path> due = new ArrayList<>();
        for (Map.Entry<Path, long[]> e : pending.entrySet()) {
            long[] t = e.getValue();
            if (now - t[1] >= debounceNanos || now - t[0] >= 10 * debounceNanos) {
                due.add(e.getKey());
            }
        }
        for (Path p : due) {
            pending.remove(p);
        }
        // a folder and one of its ancestors: the ancestor's (recursive) rescan covers both
        for (Path p : due) {
            boolean covered = due.stream().anyMatch(q -> !q.equals(p) && p.startsWith(q));
            if (!covered) {
                onChange.accept(p);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            service.close();
        } catch (IOException e) {
            LOG.debug("closing the watch service: {}", e.toString());
        }
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
