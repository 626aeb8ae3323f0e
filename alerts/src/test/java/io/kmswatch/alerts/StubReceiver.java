package io.kmswatch.alerts;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP receiver (JDK HttpServer) standing in for Slack and webhooks. Paths:
 * {@code /ok} and {@code /am-hook} 200; {@code /slack} 200 {@code ok}; {@code /bad} 400 {@code invalid_payload};
 * {@code /limited} 429 with {@code Retry-After: 1} on the first request of each idempotency key, then
 * 200; {@code /flaky} 500 twice per key, then 200; {@code /down} always 500; {@code /hang} never
 * answers (until {@link #close}); {@code /slow} 200 after 30 ms. Every request is recorded.
 */
final class StubReceiver implements AutoCloseable {
    /** One request as received. */
    record Received(String path, String idempotencyKey, String body, Instant at) {
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> perKey = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    StubReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    List<Received> received(String path) {
        return received.stream().filter(r -> r.path.equals(path)).toList();
    }

    long distinctKeys(String path) {
        return received(path).stream().map(Received::idempotencyKey).distinct().count();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(path, key, body, Instant.now()));
        int n = perKey.computeIfAbsent(path + "|" + key, k -> new AtomicInteger()).incrementAndGet();
        switch (path) {
            case "/ok", "/slack", "/am-hook" -> reply(ex, 200, path.equals("/slack") ? "ok" : "");
            case "/bad" -> reply(ex, 400, "invalid_payload");
            case "/limited" -> {
                if (n == 1) {
                    ex.getResponseHeaders().add("Retry-After", "1");
                    reply(ex, 429, "rate_limited");
                } else {
                    reply(ex, 200, "ok");
                }
            }
            case "/flaky" -> reply(ex, n <= 2 ? 500 : 200, n <= 2 ? "rollup_error" : "ok");
            case "/down" -> reply(ex, 500, "rollup_error");
            case "/hang" -> {
                try {
                    closing.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
            }
            case "/slow" -> {
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                reply(ex, 200, "");
            }
            default -> reply(ex, 404, "no such path");
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
        ex.close();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
