package io.kmswatch.app.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kmswatch.alerts.sink.WebhookSink;
import io.kmswatch.events.Alert;
import io.kmswatch.events.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The receiving end of the webhook sink, on loopback: a JDK {@code HttpServer} (no real webhook
 * service can run here) that answers every POST with 200 and keeps each delivery as it came, repeats
 * included, so a test can count alert ids and updates and see which were delivered twice.
 */
final class WebhookReceiver implements AutoCloseable {
    /**
     * One POST as received.
     *
     * @param alert          the body
     * @param idempotencyKey the {@code Idempotency-Key} header (the alert id)
     * @param update         the {@code X-Kmswatch-Alert-Update} header ({@code id:status:severity:occurrences})
     * @param received       when it arrived
     */
    record Delivery(Alert alert, String idempotencyKey, String update, Instant received) {
    }

    private final HttpServer server;
    private final List<Delivery> deliveries = new ArrayList<>();

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    static WebhookReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            WebhookReceiver receiver = new WebhookReceiver(server);
            server.createContext("/alerts", receiver::handle);
            server.setExecutor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "webhook-receiver");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the webhook receiver", e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            byte[] bytes = body.readAllBytes();
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            Alert alert = Json.MAPPER.readValue(bytes, Alert.class);
            synchronized (deliveries) {
                deliveries.add(new Delivery(alert, exchange.getRequestHeaders().getFirst(WebhookSink.IDEMPOTENCY_HEADER),
                        exchange.getRequestHeaders().getFirst(WebhookSink.UPDATE_HEADER), Instant.now()));
            }
            exchange.sendResponseHeaders(200, -1);
        }
    }

    /** Where the sink posts: {@code --sink webhook=<url>}. */
    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/alerts");
    }

    /** Every delivery so far, repeats included, in arrival order. */
    List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    /** The first delivery of each update, by update header, in arrival order. */
    Map<String, Delivery> firstOfEachUpdate() {
        Map<String, Delivery> first = new LinkedHashMap<>();
        deliveries().forEach(d -> first.putIfAbsent(d.update(), d));
        return first;
    }

    /**
     * Polls until the deliveries satisfy {@code condition}.
     *
     * @return true when they did within the timeout
     */
    boolean awaitDeliveries(Predicate<List<Delivery>> condition, Duration timeout) {
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> condition.test(deliveries()));
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
