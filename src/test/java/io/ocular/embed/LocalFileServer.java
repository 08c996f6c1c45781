package io.ocular.embed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny HTTP file server on 127.0.0.1 (ephemeral port) for downloader tests: serves byte arrays with
 * Range support, and can misbehave on purpose (cut the first N responses short, ignore Range, stall,
 * redirect, answer an error status). Records every request's path and Range header.
 */
final class LocalFileServer implements AutoCloseable {

    record Request(String path, String range) {
    }

    static final class Behaviour {
        volatile int cutAfterBytes = -1;   // close the connection after this many body bytes...
        final AtomicInteger cutTimes = new AtomicInteger(); // ...for this many responses
        volatile boolean ignoreRange;
        volatile int status = 200;
        volatile String redirectTo;
        volatile long stallMillis;         // pause after cutAfterBytes instead of closing
        volatile int bytesPerWrite = 8192;
        volatile long pauseBetweenWritesMillis;
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    LocalFileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    Behaviour put(String path, byte[] content) {
        files.put(path, content);
        Behaviour b = new Behaviour();
        behaviours.put(path, b);
        return b;
    }

    Behaviour behaviour(String path) {
        return behaviours.computeIfAbsent(path, p -> new Behaviour());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    long rangeRequests() {
        return requests.stream().filter(r -> r.range() != null).count();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(new Request(path, range));
        Behaviour b = behaviour(path);
        try (ex) {
            if (b.redirectTo != null) {
                ex.getResponseHeaders().add("Location", b.redirectTo);
                ex.sendResponseHeaders(302, -1);
                return;
            }
            byte[] content = files.get(path);
            if (content == null || b.status != 200) {
                ex.sendResponseHeaders(content == null ? 404 : b.status, -1);
                return;
            }
            int from = 0;
            Matcher m = range == null ? null : RANGE.matcher(range);
            if (m != null && m.matches() && !b.ignoreRange) {
                from = Integer.parseInt(m.group(1));
                if (from >= content.length) {
                    ex.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                ex.getResponseHeaders().add("Content-Range",
                        "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
                ex.sendResponseHeaders(206, content.length - from);
            } else {
                ex.sendResponseHeaders(200, content.length);
            }
            boolean cut = b.cutAfterBytes >= 0 && b.cutTimes.getAndDecrement() > 0;
            OutputStream out = ex.getResponseBody();
            int sent = 0;
            for (int i = from; i < content.length; ) {
                int n = Math.min(b.bytesPerWrite, content.length - i);
                if (cut && sent + n > b.cutAfterBytes) {
                    n = b.cutAfterBytes - sent;
                    out.write(content, i, n);
                    out.flush();
                    if (b.stallMillis > 0) {
                        sleep(b.stallMillis);
                    }
                    throw new IOException("cut on purpose"); // drops the connection mid-body
                }
                out.write(content, i, n);
                out.flush();
                sent += n;
                i += n;
                if (b.pauseBetweenWritesMillis > 0) {
                    sleep(b.pauseBetweenWritesMillis);
                }
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
