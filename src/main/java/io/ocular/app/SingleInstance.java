package io.ocular.app;

import io.ocular.engine.InstanceLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Keeps one window per data directory. The first launch takes an OS file lock on
 * {@code instance.lock} (released by the OS even after a crash, so it is never stale) and listens on a
 * loopback port written, with a random token, to {@code instance.port}. A second launch fails to get the
 * lock, sends its arguments (e.g. a dropped folder) to the first over that port and exits; the first
 * brings its window forward and handles them. No library does this small job for a plain JavaFX app.
 */
public final class SingleInstance implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SingleInstance.class);
    private static final String HELLO = "OCULAR1";
    /**
     * Limits on what a connection may send: anyone on this computer can connect to the loopback port, so a
     * message larger than a few thousand paths, an endless line, or a client that trickles bytes must not
     * exhaust memory or block the next launch. Messages beyond a limit are dropped whole.
     */
    static final int MAX_LINE_BYTES = 8 * 1024;
    static final int MAX_MESSAGE_BYTES = 1024 * 1024;
    static final int MAX_ARGS = 4096;
    static final long CONNECTION_DEADLINE_NANOS = 5_000_000_000L;

    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ServerSocket server;
    private final Thread acceptor;

    private SingleInstance(FileChannel lockChannel, FileLock lock, ServerSocket server, Thread acceptor) {
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.server = server;
        this.acceptor = acceptor;
    }

    /**
     * Tries to become the primary instance for {@code dataDir}.
     *
     * @param onMessage receives the argument lists that later launches forward (on a background thread)
     * @return the guard when this process is the primary instance; empty when another instance runs
     * and has received {@code args}
     */
    public static Optional<SingleInstance> acquire(Path dataDir, List<String> args, Consumer<List<String>> onMessage) {
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(dataDir.resolve(InstanceLock.FILE),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                if (forward(dataDir, args)) {
                    return Optional.empty();
                }
                // The other process holds the lock but does not answer (still starting, or hung): run anyway
                // rather than leave the user with nothing, but without a guard.
                LOG.warn("Another Ocular instance holds {} but does not answer; starting without the guard", dataDir);
                return Optional.of(new SingleInstance(null, null, null, null));
            }
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret); // not generateSeed: that may block on a fresh system's entropy
            String token = HexFormat.of().formatHex(secret);
            Path portFile = dataDir.resolve("instance.port");
            Path tmp = Files.createTempFile(dataDir, "instance", ".tmp");
            Files.writeString(tmp, server.getLocalPort() + " " + token, StandardCharsets.UTF_8);
            Files.move(tmp, portFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Thread acceptor = new Thread(() -> serve(server, token, onMessage), "ocular-single-instance");
            acceptor.setDaemon(true);
            acceptor.start();
            return Optional.of(new SingleInstance(channel, lock, server, acceptor));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the single-instance guard in " + dataDir, e);
        }
    }

    /**
     * Whether a window holds the guard of {@code dataDir} now (another process, or this one). Changes nothing:
     * the lock is taken and released at once when free.
     */
    public static boolean isRunning(Path dataDir) {
        return InstanceLock.isHeld(dataDir);
    }

    /** Whether this process really holds the guard (false only in the degraded case described above). */
    public boolean isPrimary() {
        return lock != null;
    }

    private static void serve(ServerSocket server, String token, Consumer<List<String>> onMessage) {
        byte[] expected = (HELLO + " " + token).getBytes(StandardCharsets.UTF_8);
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(2000);
                BoundedLines in = new BoundedLines(s.getInputStream(), MAX_MESSAGE_BYTES, MAX_LINE_BYTES,
                        System.nanoTime() + CONNECTION_DEADLINE_NANOS);
                String hello = in.readLine();
                if (hello == null || !MessageDigest.isEqual(expected, hello.getBytes(StandardCharsets.UTF_8))) {
                    continue; // not ours: ignore silently
                }
                List<String> received = new ArrayList<>();
                for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                    if (received.size() >= MAX_ARGS) {
                        throw new IOException("too many arguments");
                    }
                    received.add(line);
                }
                new PrintWriter(new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8), true).println("OK");
                onMessage.accept(List.copyOf(received));
            } catch (SocketTimeoutException e) {
                LOG.debug("single-instance client timed out");
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.debug("single-instance connection failed", e);
                }
            } catch (RuntimeException e) {
                LOG.warn("single-instance handler failed", e);
            }
        }
    }

    private static boolean forward(Path dataDir, List<String> args) {
        Path portFile = dataDir.resolve("instance.port");
        for (int attempt = 0; attempt < 20; attempt++) { // the primary may still be writing its port file
            try {
                String[] parts = Files.readString(portFile, StandardCharsets.UTF_8).trim().split(" ");
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(parts[0])), 1000);
                    s.setSoTimeout(3000);
                    PrintWriter out = new PrintWriter(new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8), true);
                    out.println(HELLO + " " + parts[1]);
                    for (String a : args) {
                        out.println(a.replace('\n', ' '));
                    }
                    out.println();
                    String reply = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                    if ("OK".equals(reply)) {
                        return true;
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("forwarding to the running instance failed (attempt {})", attempt, e);
            }
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /**
     * UTF-8 lines from a stream with limits: a line longer than {@code maxLine} bytes, a message longer than
     * {@code maxTotal}, or a connection past its deadline ends with an IOException (nothing is delivered).
     */
    static final class BoundedLines {
        private final InputStream in;
        private final long deadline;
        private int budget;
        private final int maxLine;

        BoundedLines(InputStream in, int maxTotal, int maxLine, long deadlineNanos) {
            this.in = new BufferedInputStream(in);
            this.budget = maxTotal;
            this.maxLine = maxLine;
            this.deadline = deadlineNanos;
        }

        /** The next line without its end, or null at the end of the stream. */
        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                if (System.nanoTime() > deadline) {
                    throw new SocketTimeoutException("connection took too long");
                }
                int b = in.read();
                if (b < 0) {
                    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
                }
                if (--budget < 0) {
                    throw new IOException("message too large");
                }
                if (b == '\n') {
                    String s = line.toString(StandardCharsets.UTF_8);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                if (line.size() >= maxLine) {
                    throw new IOException("line too long");
                }
                line.write(b);
            }
        }
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
            if (acceptor != null) {
                acceptor.interrupt();
            }
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.debug("closing the single-instance guard", e);
        }
    }
}
