package io.ocular.embed;

import io.ocular.model.OcularException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one file over HTTP(S) to {@code <target>.part}, resuming an existing part with an HTTP Range
 * request (206 appends; a server that answers 200 restarts from zero), verifies its SHA-256 and moves it
 * atomically into place. A failed or cancelled transfer keeps the part for the next try; a part whose
 * checksum is wrong is deleted, and the previous target file is never touched until the new one is
 * verified. Progress is reported as bytes, total and rate. Cancellation is cooperative (checked between
 * chunks). Stalled transfers are ended by a watchdog after the read timeout. Redirects are followed, each hop checked (HTTPS only).
 */
public final class ModelDownloader {
    static final int MAX_REDIRECTS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(ModelDownloader.class);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final int CHUNK = 64 * 1024;
    private static final long PROGRESS_INTERVAL_NANOS = 100_000_000L;

    /** Progress of one file: bytes on disk so far, total ({@code -1} when unknown), current rate. */
    public record Progress(String file, long bytes, long total, double bytesPerSecond) {
    }

    /** Receives progress; called on the downloading thread. */
    @FunctionalInterface
    public interface Listener {
        void onProgress(Progress progress);

        Listener NONE = p -> {
        };
    }

    /** Thrown when the caller cancelled; the {@code .part} file is kept so the download can resume. */
    public static final class CancelledException extends OcularException {
        private static final long serialVersionUID = 1L;

        public CancelledException(String message) {
            super(message);
        }
    }

    private final HttpClient client;
    private final Duration readTimeout;
    private final int maxAttempts;
    private final Duration retryDelay;

    /**
     * @param client      the HTTP client (see {@link #defaultClient()})
     * @param readTimeout how long the server may send nothing (headers or body) before the try fails
     * @param maxAttempts tries per file; an interrupted transfer is resumed from its part on the next try
     * @param retryDelay  pause between tries
     */
    public ModelDownloader(HttpClient client, Duration readTimeout, int maxAttempts, Duration retryDelay) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.client = client;
        this.readTimeout = readTimeout;
        this.maxAttempts = maxAttempts;
        this.retryDelay = retryDelay;
    }

    /**
     * An HTTP client with a 20 s connect timeout that does not follow redirects itself: {@link #download}
     * follows them, checking every hop (HTTPS only, see {@link #requireSecure}).
     */
    public static HttpClient defaultClient() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(20))
                .build();
    }

    static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /**
     * Downloads {@code url} to {@code target}.
     *
     * @param expectedSize size in bytes, or {@code -1} when unknown
     * @param sha256       expected SHA-256 (hex); required
     * @return {@code target}
     * @throws CancelledException when {@code cancelled} became true (the part is kept)
     * @throws OcularException    on any failure, with a message that says what to do
     */
    public Path download(URI url, Path target, long expectedSize, String sha256, Listener listener,
                         BooleanSupplier cancelled) {
        if (sha256 == null || sha256.isBlank()) {
            throw new OcularException("Refusing to download " + redact(url) + " without a known SHA-256 checksum: an"
                    + " unverified model file could be damaged or replaced without anyone noticing.");
        }
        String want = sha256.toLowerCase(Locale.ROOT);
        String name = target.getFileName().toString();
        prepareDirectory(target.getParent());
        if (Files.isRegularFile(target) && (expectedSize < 0 || size(target) == expectedSize)
                && want.equals(sha256Of(target))) {
            LOG.info("{} is already present and verified", target);
            return target;
        }
        Path part = partOf(target);
        OcularException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            checkCancelled(cancelled, name);
            try {
                transfer(url, part, expectedSize, name, listener, cancelled);
                last = null;
                break;
            } catch (CancelledException e) {
                throw e;
            } catch (RetryableException e) {
                last = new OcularException(e.getMessage(), e.getCause());
                LOG.warn("Download of {} failed (try {} of {}): {}", redact(url), attempt, maxAttempts, e.getMessage());
                if (attempt < maxAttempts) {
                    pause(cancelled, name);
                }
            }
        }
        if (last != null) {
            throw last;
        }
        verifyAndMove(part, target, expectedSize, want, url);
        return target;
    }

    /** A failure worth another try (network, 5xx, timeout); the part is kept. */
    private static final class RetryableException extends Exception {
        private static final long serialVersionUID = 1L;

        RetryableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void transfer(URI url, Path part, long expectedSize, String name, Listener listener,
                          BooleanSupplier cancelled) throws RetryableException {
        long have = Files.isRegularFile(part) ? size(part) : 0;
        if (expectedSize >= 0 && have > expectedSize) {
            LOG.warn("{} is longer than the expected {} bytes; starting again", part, expectedSize);
            deleteQuietly(part);
            have = 0;
        }
        if (expectedSize >= 0 && have == expectedSize) {
            return; // complete from an earlier run; verification decides
        }
        checkFreeSpace(part, expectedSize < 0 ? 0 : expectedSize - have);
        HttpResponse<InputStream> response;
        try {
            response = sendFollowingRedirects(url, have);
        } catch (HttpTimeoutException e) {
            throw new RetryableException("The server at " + url.getHost() + " did not answer within "
                    + readTimeout.toSeconds() + " s. Check the internet connection and try again.", e);
        } catch (ConnectException e) {
            throw new RetryableException("Could not connect to " + url.getHost() + ". Check the internet"
                    + " connection and try again.", e);
        } catch (IOException e) {
            throw new RetryableException("The download of " + name + " from " + url.getHost() + " failed: "
                    + e.getMessage() + ". Try again; the part downloaded so far is kept.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException("The download of " + name + " was interrupted.");
        }
        int status = response.statusCode();
        boolean append;
        long total;
        if (status == 206 && have > 0) {
            String range = response.headers().firstValue("Content-Range").orElse("");
            Matcher m = CONTENT_RANGE.matcher(range);
            if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                closeQuietly(response.body());
                deleteQuietly(part);
                throw new RetryableException("The server sent the wrong part of " + name + " (" + range
                        + "); starting again from the beginning.", null);
            }
            append = true;
            total = m.group(3).equals("*") ? expectedSize : Long.parseLong(m.group(3));
        } else if (status == 200) {
            append = false; // a server that ignores Range sends the whole file: start again
            if (have > 0) {
                LOG.info("{} ignored the Range request; downloading {} from the beginning", url.getHost(), name);
            }
            have = 0;
            total = response.headers().firstValueAsLong("Content-Length").orElse(expectedSize);
        } else if (status == 416) {
            closeQuietly(response.body());
            deleteQuietly(part);
            throw new RetryableException("The server refused to resume " + name + " (HTTP 416); starting again.",
                    null);
        } else {
            closeQuietly(response.body());
            throw httpError(status, url, name);
        }
        if (expectedSize >= 0 && total >= 0 && total != expectedSize) {
            closeQuietly(response.body());
            throw new OcularException("The server offers " + name + " with " + total + " bytes, but the model"
                    + " catalogue expects " + expectedSize + " bytes. The file at " + redact(url) + " has changed; nothing"
                    + " was installed.");
        }
        copyBody(response.body(), part, append, have, total, name, listener, cancelled);
    }

    private void copyBody(InputStream body, Path part, boolean append, long have, long total, String name,
                          Listener listener, BooleanSupplier cancelled) throws RetryableException {
        AtomicLong lastActivity = new AtomicLong(System.nanoTime());
        AtomicBoolean timedOut = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        Thread watchdog = new Thread(() -> {
            long limit = readTimeout.toNanos();
            while (!done.get()) {
                if (System.nanoTime() - lastActivity.get() > limit) {
                    timedOut.set(true);
                    closeQuietly(body);
                    return;
                }
                try {
                    Thread.sleep(Math.max(10, Math.min(1000, readTimeout.toMillis() / 4)));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "ocular-download-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        long bytes = have;
        long start = System.nanoTime();
        long sessionBytes = 0;
        long lastReport = 0;
        OpenOptionsHolder options = new OpenOptionsHolder(append);
        try (InputStream in = body; OutputStream out = Files.newOutputStream(part, options.options)) {
            byte[] buffer = new byte[CHUNK];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                lastActivity.set(System.nanoTime());
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw writeError(part, e);
                }
                bytes += n;
                sessionBytes += n;
                long now = System.nanoTime();
                if (now - lastReport >= PROGRESS_INTERVAL_NANOS) {
                    lastReport = now;
                    listener.onProgress(new Progress(name, bytes, total, rate(sessionBytes, now - start)));
                }
                if (cancelled.getAsBoolean()) {
                    throw new CancelledException("The download of " + name + " was cancelled; it will resume"
                            + " from " + bytes + " bytes next time.");
                }
                if (total >= 0 && bytes > total) {
                    break;
                }
            }
        } catch (OcularException e) {
            throw e;
        } catch (AccessDeniedException e) {
            throw new OcularException("Cannot write " + part + ": permission denied. Choose a data folder you"
                    + " can write to.", e);
        } catch (IOException e) {
            if (timedOut.get()) {
                throw new RetryableException("The server stopped sending " + name + " (nothing for "
                        + readTimeout.toSeconds() + " s). Try again; the part downloaded so far is kept.", e);
            }
            throw new RetryableException("The transfer of " + name + " broke off after " + bytes + " bytes ("
                    + e.getMessage() + "). Try again; it will resume where it stopped.", e);
        } finally {
            done.set(true);
            watchdog.interrupt();
        }
        listener.onProgress(new Progress(name, bytes, total, rate(sessionBytes, System.nanoTime() - start)));
        if (total >= 0 && bytes < total) {
            throw new RetryableException("The transfer of " + name + " ended early (" + bytes + " of " + total
                    + " bytes). Try again; it will resume where it stopped.", null);
        }
    }

    private static final class OpenOptionsHolder {
        final StandardOpenOption[] options;

        OpenOptionsHolder(boolean append) {
            options = append
                    ? new StandardOpenOption[]{StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND}
                    : new StandardOpenOption[]{StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING};
        }
    }

    private static double rate(long bytes, long nanos) {
        return nanos <= 0 ? 0 : bytes * 1e9 / nanos;
    }

    /** Sends the GET, following up to {@value #MAX_REDIRECTS} redirects, each checked by {@link #requireSecure}. */
    private HttpResponse<InputStream> sendFollowingRedirects(URI url, long have) throws IOException,
            InterruptedException {
        URI current = url;
        for (int hop = 0; ; hop++) {
            requireSecure(current, url);
            HttpRequest.Builder request = HttpRequest.newBuilder(current).GET().timeout(readTimeout)
                    .header("User-Agent", "Ocular model downloader");
            if (have > 0) {
                request.header("Range", "bytes=" + have + "-");
            }
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            requireSecure(response.uri(), url); // a client configured to follow redirects itself
            int status = response.statusCode();
            if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
                return response;
            }
            closeQuietly(response.body());
            String location = response.headers().firstValue("Location").orElse(null);
            if (location == null || hop >= MAX_REDIRECTS) {
                throw new OcularException("The server at " + url.getHost() + " redirected the download of " + redact(url)
                        + (location == null ? " without saying where" : " more than " + MAX_REDIRECTS + " times")
                        + "; nothing was downloaded.");
            }
            try {
                current = current.resolve(location);
            } catch (IllegalArgumentException e) {
                throw new OcularException("The server at " + url.getHost() + " redirected the download to an"
                        + " invalid address; nothing was downloaded.", e);
            }
        }
    }

    /**
     * Models are downloaded over HTTPS only, redirects included: a catalogue entry or a redirect to plain
     * http is refused before anything is sent. Plain http is allowed to this computer's loopback address
     * only (the tests' local server); the SHA-256 check protects the content either way.
     */
    static void requireSecure(URI uri, URI requested) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https") || (scheme.equals("http") && isLoopback(uri.getHost()))) {
            return;
        }
        throw new OcularException("Ocular downloads models only over HTTPS; refusing "
                + (uri.equals(requested) ? redact(uri) : redact(requested) + ", which redirects to " + redact(uri)) + ". Nothing was downloaded.");
    }

    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.matches("127(\\.\\d{1,3}){3}") || h.equals("[::1]") || h.equals("::1");
    }

    /**
     * A URL as shown in messages and logs: without user info, query or fragment, which may carry credentials
     * (signed download links, user:password@host).
     */
    static String redact(URI u) {
        if (u == null) {
            return "?";
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme() + "://";
        String host = u.getHost() == null ? "" : u.getHost();
        String port = u.getPort() < 0 ? "" : ":" + u.getPort();
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        String rest = (u.getRawQuery() == null ? "" : "?...");
        return u.getHost() == null ? scheme + "..." : scheme + host + port + path + rest;
    }

    private static OcularException httpError(int status, URI url, String name) {
        if (status == 404 || status == 410) {
            return new OcularException("The file " + name + " was not found at " + redact(url) + " (HTTP " + status
                    + "). The model catalogue may be out of date; update Ocular or import the model from a file.");
        }
        if (status == 401 || status == 403) {
            return new OcularException("The server refused access to " + redact(url) + " (HTTP " + status + ").");
        }
        if (status >= 500) {
            return new OcularException("The server at " + url.getHost() + " had an error (HTTP " + status
                    + "). Try again later; the part downloaded so far is kept.");
        }
        return new OcularException("Unexpected answer HTTP " + status + " for " + redact(url) + ".");
    }

    private OcularException writeError(Path part, IOException e) {
        String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (msg.contains("no space") || msg.contains("disk full") || msg.contains("not enough space")) {
            return new OcularException("The disk is full: could not write " + part + ". Free some space and try"
                    + " again; the part downloaded so far is kept.", e);
        }
        return new OcularException("Could not write " + part + ": " + e.getMessage(), e);
    }

    private void verifyAndMove(Path part, Path target, long expectedSize, String want, URI url) {
        long got = size(part);
        if (expectedSize >= 0 && got != expectedSize) {
            deleteQuietly(part);
            throw new OcularException("The download of " + target.getFileName() + " has " + got + " bytes instead"
                    + " of " + expectedSize + ". It was discarded; nothing was installed.");
        }
        String actual = sha256Of(part);
        if (!want.equals(actual)) {
            deleteQuietly(part);
            throw new OcularException("The download of " + target.getFileName() + " from " + url.getHost()
                    + " is damaged or not the expected file (SHA-256 " + actual + ", expected " + want
                    + "). It was discarded; nothing was installed.");
        }
        try {
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new OcularException("Could not move the verified download into place at " + target + ": "
                    + e.getMessage(), e);
        }
    }

    private static void prepareDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (FileSystemException e) {
            throw new OcularException("Cannot create the folder " + dir + " for the download ("
                    + e.getClass().getSimpleName() + (e.getReason() != null ? ": " + e.getReason() : "")
                    + "). Choose a data folder you can write to.", e);
        } catch (IOException e) {
            throw new OcularException("Cannot create the folder " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new OcularException("Cannot write to the folder " + dir + ". Choose a data folder you can"
                    + " write to.");
        }
    }

    private static void checkFreeSpace(Path part, long needed) {
        if (needed <= 0) {
            return;
        }
        try {
            long free = Files.getFileStore(part.getParent()).getUsableSpace();
            if (free < needed) {
                throw new OcularException("Not enough disk space for " + part.getFileName() + ": it needs "
                        + mb(needed) + " more, but only " + mb(free) + " are free in " + part.getParent() + ".");
            }
        } catch (IOException e) {
            LOG.debug("Could not read free space of {}", part.getParent(), e);
        }
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    static String sha256Of(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                md.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new OcularException("Could not read " + file + " to verify it: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private void pause(BooleanSupplier cancelled, String name) {
        long end = System.nanoTime() + retryDelay.toNanos();
        while (System.nanoTime() < end) {
            checkCancelled(cancelled, name);
            try {
                Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException("The download of " + name + " was interrupted.");
            }
        }
    }

    private static void checkCancelled(BooleanSupplier cancelled, String name) {
        if (cancelled.getAsBoolean()) {
            throw new CancelledException("The download of " + name + " was cancelled.");
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("Could not delete {}", p, e);
        }
    }
}
