package io.kmswatch.alerts.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kmswatch.alerts.AlertDeliveryException;
import io.kmswatch.events.AlertStatus;
import io.kmswatch.events.Severity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The real SDK v2 CloudWatch client against a loopback stub that records each request. The pinned
 * SDK speaks CloudWatch's Smithy RPC v2 CBOR protocol ({@code POST /service/GraniteServiceVersion20100801/operation/PutMetricData},
 * {@code smithy-protocol: rpc-v2-cbor}, CBOR body); the stub decodes the body and answers as the
 * service does.
 */
@Timeout(60)
class CloudWatchSinkIT {
    private static final Instant NOW = Instant.parse("2026-11-29T06:00:00Z");
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

    private record Request(String method, String path, Map<String, List<String>> headers, JsonNode body) {
    }

    private HttpServer server;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final AtomicInteger status = new AtomicInteger(200);

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stopStub() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()),
                body.length == 0 ? null : CBOR.readTree(body)));
        int s = status.get();
        ex.getResponseHeaders().add("smithy-protocol", "rpc-v2-cbor");
        ex.getResponseHeaders().add("Content-Type", "application/cbor");
        byte[] out = s == 200 ? CBOR.writeValueAsBytes(Map.of())
                : CBOR.writeValueAsBytes(Map.of("__type", s == 400 ? "com.amazonaws.cloudwatch#InvalidParameterValueException"
                : "com.amazonaws.cloudwatch#InternalServiceFault", "message", "stub says no"));
        ex.sendResponseHeaders(s, out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    private CloudWatchSink sink() {
        SinkConfig.CloudWatch cfg = new SinkConfig.CloudWatch("KmsWatchTest", "us-east-1",
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
        return new CloudWatchSink("cw", CloudWatchSink.client(cfg, Duration.ofSeconds(5),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "test-secret"))),
                cfg.namespace(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void shouldPutAlertCountByDetectionAndSeverity() {
        try (CloudWatchSink sink = sink()) {
            sink.deliver(SinkFormatTest.alert(AlertStatus.FIRING, Severity.HIGH));
            sink.deliver(SinkFormatTest.alert(AlertStatus.RESOLVED, Severity.HIGH));
        }

        assertThat(requests).hasSize(2);
        Request first = requests.peek();
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).endsWith("/operation/PutMetricData");
        assertThat(first.headers().get("Authorization").get(0)).startsWith("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/")
                .contains("/us-east-1/monitoring/aws4_request");
        JsonNode body = first.body();
        assertThat(body.path("Namespace").asText()).isEqualTo("KmsWatchTest");
        JsonNode datum = body.path("MetricData").get(0);
        assertThat(datum.path("MetricName").asText()).isEqualTo(CloudWatchSink.FIRED);
        assertThat(datum.path("Value").asDouble()).isEqualTo(1.0);
        assertThat(datum.path("Unit").asText()).isEqualTo("Count");
        assertThat(datum.path("Dimensions")).hasSize(2);
        assertThat(datum.path("Dimensions").get(0).path("Name").asText()).isEqualTo("Detection");
        assertThat(datum.path("Dimensions").get(0).path("Value").asText()).isEqualTo("key-disabled");
        assertThat(datum.path("Dimensions").get(1).path("Name").asText()).isEqualTo("Severity");
        assertThat(datum.path("Dimensions").get(1).path("Value").asText()).isEqualTo("high");
        assertThat(body.toString()).doesNotContain("1234abcd").doesNotContain("0123456789abcdef");
        assertThat(requests.stream().skip(1).findFirst().orElseThrow().body().path("MetricData").get(0)
                .path("MetricName").asText()).isEqualTo(CloudWatchSink.RESOLVED);
    }

    @Test
    void shouldTreatServerFaultAsRetryableAndBadParameterAsPermanent() {
        try (CloudWatchSink sink = sink()) {
            status.set(500);
            assertThatThrownBy(() -> sink.deliver(SinkFormatTest.alert(AlertStatus.FIRING, Severity.HIGH)))
                    .isInstanceOfSatisfying(AlertDeliveryException.class, e -> assertThat(e.retryable()).isTrue());
            status.set(400);
            assertThatThrownBy(() -> sink.deliver(SinkFormatTest.alert(AlertStatus.FIRING, Severity.HIGH)))
                    .isInstanceOfSatisfying(AlertDeliveryException.class, e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).contains("400").contains("permanent");
                    });
        }
        // One request per call: the SDK's own retries are off, the delivery loop retries.
        assertThat(requests).hasSize(2);
    }
}
