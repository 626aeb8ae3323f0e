package io.kmswatch.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.Json;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON 1.1 wire protocol with hand-made (but correctly signed) requests: status codes, {@code __type},
 * headers, and that no malformed input ever yields a 500 or a stack trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WireProtocolIT {
    private EmulatorFixture fx;
    private final HttpClient http = HttpClient.newHttpClient();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    void start() {
        fx = new EmulatorFixture(EmulatorConfig.defaults());
        fx.emulator.metrics().bindTo(registry);
    }

    @AfterAll
    void stop() {
        fx.close();
    }

    private HttpResponse<String> post(String target, String body) throws IOException, InterruptedException {
        return post(target, body, true);
    }

    private HttpResponse<String> post(String target, String body, boolean sign) throws IOException, InterruptedException {
        URI uri = fx.emulator.endpoint().resolve("/");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest req = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("X-Amz-Target", target).putHeader("Content-Type", "application/x-amz-json-1.1").build();
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (sign) {
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                    .identity(AwsBasicCredentials.create(EmulatorFixture.ADMIN_KEY, EmulatorFixture.ADMIN_SECRET))
                    .request(req).payload(ContentStreamProvider.fromByteArray(bytes))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, target.startsWith("TrentService") ? "kms" : "cloudtrail")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
            signed.request().headers().forEach((k, vs) -> {
                if (!k.equalsIgnoreCase("Host") && !k.equalsIgnoreCase("Content-Length")) {
                    vs.forEach(v -> b.header(k, v));
                }
            });
        } else {
            b.header("X-Amz-Target", target).header("Content-Type", "application/x-amz-json-1.1");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void shouldAnswerSuccessWithJsonContentTypeAndRequestId() throws Exception {
        HttpResponse<String> r = post("TrentService.ListKeys", "{}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(r.headers().firstValue("x-amzn-RequestId")).get().asString().hasSize(36);
        assertThat(json(r).has("Keys")).isTrue();
        HttpResponse<String> empty = post("TrentService.ListKeys", "");
        assertThat(empty.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerUnknownOperationAndMissingAuthentication() throws Exception {
        HttpResponse<String> unknown = post("TrentService.FlyToTheMoon", "{}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).path("__type").asText()).isEqualTo("UnknownOperationException");
        assertThat(unknown.headers().firstValue("x-amzn-ErrorType")).hasValue("UnknownOperationException");
        HttpResponse<String> unsigned = post("TrentService.ListKeys", "{}", false);
        assertThat(unsigned.statusCode()).isEqualTo(400);
        assertThat(json(unsigned).path("__type").asText()).isEqualTo("MissingAuthenticationTokenException");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "TrentService.Encrypt|{",
            "TrentService.Encrypt|[]",
            "TrentService.Encrypt|null",
            "TrentService.Encrypt|\"text\"",
            "TrentService.Encrypt|{\"KeyId\": {\"nested\": 1}}",
            "TrentService.Encrypt|{\"KeyId\": \"alias/x\", \"Plaintext\": \"***not base64***\"}",
            "TrentService.Encrypt|{\"KeyId\": \"alias/x\", \"Plaintext\": \"aGk=\", \"EncryptionContext\": {\"a\": null}}",
            "TrentService.Encrypt|{\"KeyId\": \"alias/x\", \"Plaintext\": \"aGk=\", \"EncryptionContext\": [1]}",
            "TrentService.GenerateDataKey|{\"KeyId\": \"alias/x\", \"NumberOfBytes\": \"many\"}",
            "TrentService.GenerateDataKey|{\"KeyId\": \"alias/x\", \"NumberOfBytes\": 1e400}",
            "TrentService.CreateKey|{\"Tags\": [null]}",
            "TrentService.CreateKey|{\"Tags\": \"x\"}",
            "TrentService.ListKeys|{\"Limit\": true}",
            "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents|{\"MaxResults\": \"x\"}",
            "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents|{\"NextToken\": \"%%%\"}",
            "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents|[1,2]"})
    void shouldNeverAnswerBadInputWithA500(String target, String body) throws Exception {
        HttpResponse<String> r = post(target, body);
        assertThat(r.statusCode()).as(body).isEqualTo(400);
        JsonNode err = json(r);
        assertThat(err.path("__type").asText()).isIn("SerializationException", "ValidationException",
                "InvalidMaxResultsException", "InvalidNextTokenException", "NotFoundException");
        assertThat(r.body()).doesNotContain("at io.kmswatch").doesNotContain("Exception:").doesNotContain("io.kmswatch.");
    }

    @Test
    void shouldRefuseOversizedBodies() throws Exception {
        HttpResponse<String> r = post("TrentService.Encrypt", "{\"KeyId\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).path("__type").asText()).isEqualTo("RequestEntityTooLargeException");
    }

    @Test
    void shouldAnswerATooLargeBodyAnnouncedWith100ContinueWithoutWaitingForIt() throws Exception {
        try (java.net.Socket s = socket()) {
            s.getOutputStream().write(head(2 * 1024 * 1024, "Expect: 100-continue\r\n"));
            s.getOutputStream().flush();
            // the body is never sent: the answer must come on the headers alone
            RawResponse r = RawResponse.read(s.getInputStream());

            assertThat(r.status()).isEqualTo(413);
            assertThat(r.header("x-amzn-ErrorType")).isEqualTo("RequestEntityTooLargeException");
            assertThat(Json.MAPPER.readTree(r.body()).path("__type").asText()).isEqualTo("RequestEntityTooLargeException");
        }
    }

    @Test
    void shouldKeepAKeepAliveConnectionUsableAfterRefusingATooLargeBody() throws Exception {
        try (java.net.Socket s = socket()) {
            int size = 2 * 1024 * 1024;
            s.getOutputStream().write(head(size, ""));
            s.getOutputStream().write(new byte[size]);
            s.getOutputStream().flush();
            RawResponse refused = RawResponse.read(s.getInputStream());
            byte[] small = "{}".getBytes(StandardCharsets.US_ASCII);
            s.getOutputStream().write(head(small.length, ""));
            s.getOutputStream().write(small);
            s.getOutputStream().flush();
            RawResponse next = RawResponse.read(s.getInputStream());

            assertThat(refused.status()).isEqualTo(413);
            // the same connection reads the next request: unsigned, so refused for its missing signature
            assertThat(next.status()).isEqualTo(400);
            assertThat(Json.MAPPER.readTree(next.body()).path("__type").asText())
                    .isEqualTo("MissingAuthenticationTokenException");
        }
    }

    private java.net.Socket socket() throws IOException {
        URI uri = fx.emulator.endpoint();
        java.net.Socket s = new java.net.Socket(uri.getHost(), uri.getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private byte[] head(int contentLength, String extra) {
        URI uri = fx.emulator.endpoint();
        return ("POST / HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "X-Amz-Target: TrentService.ListKeys\r\nContent-Type: application/x-amz-json-1.1\r\n"
                + "Content-Length: " + contentLength + "\r\n" + extra + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** One HTTP/1.1 response with a Content-Length, read off a socket. */
    private record RawResponse(int status, java.util.Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        static RawResponse read(java.io.InputStream in) throws IOException {
            java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed inside a response head: " + head);
                }
                head.write(b);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
            java.util.Map<String, String> headers = new java.util.HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int c = lines[i].indexOf(':');
                if (c > 0) {
                    headers.put(lines[i].substring(0, c).trim().toLowerCase(java.util.Locale.ROOT),
                            lines[i].substring(c + 1).trim());
                }
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers, in.readNBytes(length));
        }
    }

    @Test
    void shouldCountRequestsByOperationAndOutcomeWithDescribedMeters() throws Exception {
        post("TrentService.ListKeys", "{}");
        post("TrentService.DescribeKey", "{\"KeyId\":\"alias/none\"}");
        // The server records a request's meters after its response is written: wait (bounded) for them.
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> registry.find("kmswatch.emulator.requests").tag("operation", "DescribeKey")
                        .tag("outcome", "NotFoundException").counter() != null);
        assertThat(registry.get("kmswatch.emulator.requests").tag("operation", "ListKeys").tag("outcome", "success")
                .counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("kmswatch.emulator.requests").tag("operation", "DescribeKey")
                .tag("outcome", "NotFoundException").counter().count()).isEqualTo(1);
        assertThat(registry.get("kmswatch.emulator.request.duration").tag("operation", "ListKeys").timer().count())
                .isGreaterThanOrEqualTo(1);
        assertThat(registry.get("kmswatch.emulator.trail.records").functionCounter().count()).isGreaterThanOrEqualTo(1);
        assertThat(registry.getMeters()).isNotEmpty().allSatisfy((Meter m) -> {
            assertThat(m.getId().getName()).startsWith("kmswatch.emulator.");
            assertThat(m.getId().getDescription()).isNotBlank();
        });
    }
}
