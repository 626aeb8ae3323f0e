package io.kmswatch.alerts.sink;

import io.kmswatch.alerts.AlertDeliveryException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP POST with the delivery loop's failure classes: 2xx accepted; 408, 429 and 5xx retryable
 * (with {@code Retry-After}, seconds or HTTP-date, when given); other statuses permanent; I/O
 * errors and timeouts retryable. Messages carry the sink name, the status and the start of the
 * response body, never the URL (Slack's carries its token).
 */
final class HttpPost {
    private static final int BODY_EXCERPT = 200;

    private HttpPost() {
    }

    /** A client for one sink: HTTP/1.1 (webhook receivers rarely speak h2c), bounded connect time. */
    static HttpClient client(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Posts {@code body} as JSON.
     *
     * @return the response body
     * @throws AlertDeliveryException when the receiver did not accept
     */
    static String post(String sink, HttpClient client, URI uri, byte[] body, Map<String, String> headers,
                       Duration timeout) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "kmswatch-alerts")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(rb::header);
        HttpResponse<String> resp;
        try {
            resp = client.send(rb.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new AlertDeliveryException(sink + ": no answer within " + timeout, true, e);
        } catch (IOException e) {
            throw new AlertDeliveryException(sink + ": " + describe(e), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlertDeliveryException(sink + ": interrupted", true, e);
        }
        int status = resp.statusCode();
        if (status >= 200 && status < 300) {
            return resp.body();
        }
        boolean retryable = status == 408 || status == 429 || status >= 500;
        Duration retryAfter = retryAfter(resp.headers().firstValue("Retry-After"), Instant.now()).orElse(null);
        String excerpt = resp.body() == null ? "" : resp.body().strip();
        if (excerpt.length() > BODY_EXCERPT) {
            excerpt = excerpt.substring(0, BODY_EXCERPT) + "…";
        }
        throw new AlertDeliveryException(sink + ": HTTP " + status + (excerpt.isEmpty() ? "" : " " + excerpt)
                + (retryable ? "" : " (permanent)"), retryable, retryAfter, null);
    }

    /**
     * An I/O failure as the error of a dead-letter record: its type and message. The JDK client's
     * {@link ConnectException} carries no message (nor does its cause), so it is named for what it
     * means: nothing accepted the connection.
     */
    static String describe(IOException e) {
        String message = e.getMessage();
        if ((message == null || message.isBlank()) && e instanceof ConnectException) {
            message = "connection refused or host unreachable";
        }
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " " + message);
    }

    /** Parses {@code Retry-After}: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
    static Optional<Duration> retryAfter(Optional<String> header, Instant now) {
        if (header.isEmpty() || header.get().isBlank()) {
            return Optional.empty();
        }
        String v = header.get().trim();
        if (v.matches("\\d+")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
