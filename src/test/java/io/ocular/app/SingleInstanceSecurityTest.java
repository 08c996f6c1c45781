package io.ocular.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Security review (docs/decisions/0130) of the single-instance hand-off: loopback only, a secret token,
 * bounded messages, a slow or hostile client cannot block the next launch, and the token never reaches a log.
 */
class SingleInstanceSecurityTest {
    @TempDir
    Path dataDir;

    private String[] portAndToken() throws Exception {
        return Files.readString(dataDir.resolve("instance.port"), StandardCharsets.UTF_8).trim().split(" ");
    }

    private static void send(int port, byte[] bytes) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
            s.shutdownOutput();
            s.getInputStream().read(); // until the server closes
        } catch (java.io.IOException e) {
            // the server may drop an oversized message mid-write: that is the point
        }
    }

    private static void forwardAndExpect(Path dataDir, LinkedBlockingQueue<List<String>> received, String arg)
            throws Exception {
        assertThat(SingleInstance.acquire(dataDir, List.of(arg), l -> { })).isEmpty();
        assertThat(received.poll(10, TimeUnit.SECONDS)).containsExactly(arg);
    }

    @Test
    void listensOnLoopbackOnlyWithAnOwnerOnlyTokenFile() throws Exception {
        try (SingleInstance guard = SingleInstance.acquire(dataDir, List.of(), l -> { }).orElseThrow()) {
            int port = Integer.parseInt(portAndToken()[0]);
            assertThat(portAndToken()[1]).hasSize(32).matches("[0-9a-f]+");
            if (Files.getFileStore(dataDir).supportsFileAttributeView("posix")) {
                assertThat(Files.getPosixFilePermissions(dataDir.resolve("instance.port")))
                        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            }
            Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                    .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
            assumeTrue(external.isPresent(), "no non-loopback address to try");
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(external.get(), port), 1000);
                }
            }).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void wrongTokensOversizedAndEndlessMessagesAreDroppedAndTheNextLaunchStillGetsThrough() throws Exception {
        LinkedBlockingQueue<List<String>> received = new LinkedBlockingQueue<>();
        try (SingleInstance guard = SingleInstance.acquire(dataDir, List.of(), received::add).orElseThrow()) {
            String[] pt = portAndToken();
            int port = Integer.parseInt(pt[0]);
            String hello = "OCULAR1 " + pt[1] + "\n";
            send(port, ("OCULAR1 " + "0".repeat(32) + "\n/evil\n\n").getBytes(StandardCharsets.UTF_8));
            send(port, (hello + "x".repeat(SingleInstance.MAX_LINE_BYTES + 10) + "\n\n").getBytes(StandardCharsets.UTF_8));
            send(port, (hello + ("/p\n").repeat(SingleInstance.MAX_ARGS + 1) + "\n").getBytes(StandardCharsets.UTF_8));
            byte[] endless = new byte[SingleInstance.MAX_MESSAGE_BYTES + 4096];
            java.util.Arrays.fill(endless, (byte) 'a');
            send(port, endless); // no line end at all
            assertThat(received.poll(500, TimeUnit.MILLISECONDS)).isNull();
            forwardAndExpect(dataDir, received, "/photos/ok");
            assertThat(received).isEmpty();
        }
    }

    @Test
    void aClientThatTricklesCannotBlockTheNextLaunch() throws Exception {
        LinkedBlockingQueue<List<String>> received = new LinkedBlockingQueue<>();
        try (SingleInstance guard = SingleInstance.acquire(dataDir, List.of(), received::add).orElseThrow();
             Socket slow = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(portAndToken()[0]))) {
            Thread trickle = new Thread(() -> {
                try {
                    OutputStream out = slow.getOutputStream();
                    for (int i = 0; i < 100; i++) {
                        out.write('O');
                        out.flush();
                        Thread.sleep(500); // always within the 2 s read timeout
                    }
                } catch (Exception e) {
                    // dropped by the server: expected
                }
            });
            trickle.setDaemon(true);
            trickle.start();
            long t0 = System.nanoTime();
            forwardAndExpect(dataDir, received, "/photos/after-slow-client");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(20);
        }
    }

    @Test
    void theTokenNeverReachesTheLog() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(SingleInstance.class);
        Level before = logger.getLevel();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        logger.setLevel(Level.TRACE);
        LinkedBlockingQueue<List<String>> received = new LinkedBlockingQueue<>();
        try (SingleInstance guard = SingleInstance.acquire(dataDir, List.of(), received::add).orElseThrow()) {
            String token = portAndToken()[1];
            send(Integer.parseInt(portAndToken()[0]), ("OCULAR1 " + token + "\n" + "y".repeat(20_000)).getBytes(StandardCharsets.UTF_8));
            forwardAndExpect(dataDir, received, "/photos/x");
            for (ILoggingEvent e : events.list) {
                String all = e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                        : ThrowableProxyUtil.asString(e.getThrowableProxy()));
                assertThat(all).doesNotContain(token);
            }
        } finally {
            logger.detachAppender(events);
            logger.setLevel(before);
        }
    }
}
