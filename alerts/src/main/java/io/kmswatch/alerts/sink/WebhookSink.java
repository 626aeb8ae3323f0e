package io.kmswatch.alerts.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kmswatch.alerts.AlertDeliveryException;
import io.kmswatch.events.Alert;
import io.kmswatch.events.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Generic webhook: {@code POST url} with the {@link Alert} JSON as body, the configured headers, and
 * {@code Idempotency-Key: <alert id>} so a receiver can drop repeats (delivery is at-least-once). A
 * resolve or an escalation of the same alert carries the same id; receivers that need to tell
 * updates apart use the header {@value #UPDATE_HEADER} ({@code <id>:<status>:<severity>:<occurrences>}).
 */
public final class WebhookSink implements AlertSink {
    /** The idempotency header: the alert id. */
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    /** Identifies one update of an alert. */
    public static final String UPDATE_HEADER = "X-Kmswatch-Alert-Update";

    private final String name;
    private final URI url;
    private final Map<String, String> headers;
    private final HttpClient client;
    private final Duration timeout;

    public WebhookSink(String name, URI url, Map<String, String> headers, Duration timeout) {
        this.name = name;
        this.url = url;
        this.headers = Map.copyOf(headers);
        this.timeout = timeout;
        this.client = HttpPost.client(timeout);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Alert alert) {
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(alert);
        } catch (JsonProcessingException e) {
            throw new AlertDeliveryException(name + ": cannot write alert JSON: " + e.getOriginalMessage(), false, e);
        }
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(IDEMPOTENCY_HEADER, alert.id());
        h.put(UPDATE_HEADER, updateKey(alert));
        HttpPost.post(name, client, url, body, h, timeout);
    }

    /** {@code <id>:<status>:<severity>:<occurrences>}: one alert update. */
    public static String updateKey(Alert a) {
        return a.id() + ":" + a.status().label() + ":" + a.severity().label() + ":" + a.occurrences();
    }
}
