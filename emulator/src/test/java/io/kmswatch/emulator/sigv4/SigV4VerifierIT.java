package io.kmswatch.emulator.sigv4;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The real SDK v2 KmsClient, over real HTTP, against a JDK HttpServer stub that verifies SigV4 on what arrives:
 * proves the verifier agrees with the SDK on everything the wire adds (Host with port, User-Agent, invocation
 * ids, retry headers).
 */
class SigV4VerifierIT {

    private static final String ACCESS_KEY = "AKIAEXAMPLEAPPROLE01";
    private static final String SECRET = "k4l9ExampleSecretForTheAppRole/abcdefgh";

    private final List<VerifiedRequest> verified = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void startStub() throws IOException {
        SigV4Verifier verifier = new SigV4Verifier(id -> id.equals(ACCESS_KEY) ? Optional.of(SECRET) : Optional.empty(),
                Clock.systemUTC(), Duration.ofMinutes(5));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> answer(verifier, exchange));
        server.start();
    }

    @AfterEach
    void stopStub() {
        server.stop(0);
    }

    @Test
    void shouldAcceptRealKmsClientSignedWithKnownKey() {
        try (KmsClient kms = client(SECRET)) {
            kms.encrypt(r -> r.keyId("alias/prod-encryption-key").plaintext(SdkBytes.fromUtf8String("hello"))
                    .encryptionContext(Map.of("Department", "IT")));
        }

        assertThat(verified).singleElement().satisfies(v -> {
            assertThat(v.accessKeyId()).isEqualTo(ACCESS_KEY);
            assertThat(v.region()).isEqualTo("eu-west-1");
            assertThat(v.service()).isEqualTo("kms");
        });
    }

    @Test
    void shouldRefuseRealKmsClientWithWrongSecret() {
        KmsException e;
        try (KmsClient kms = client("wrong-secret")) {
            e = catchThrowableOfType(KmsException.class, () -> kms.listKeys(r -> { }));
        }

        assertThat(e).isNotNull();
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
        assertThat(verified).isEmpty();
    }

    private KmsClient client(String secret) {
        return KmsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    private void answer(SigV4Verifier verifier, HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        URI uri = exchange.getRequestURI();
        int status;
        String response;
        try {
            verified.add(verifier.verify(new SignedRequest(exchange.getRequestMethod(), uri.getRawPath(),
                    uri.getRawQuery(), exchange.getRequestHeaders(), body)));
            status = 200;
            response = "{\"CiphertextBlob\":\"AQID\",\"KeyId\":\"arn:aws:kms:eu-west-1:111122223333:key/k\","
                    + "\"EncryptionAlgorithm\":\"SYMMETRIC_DEFAULT\",\"Keys\":[],\"Truncated\":false}";
        } catch (SigV4Exception e) {
            status = e.httpStatus();
            response = "{\"__type\":\"" + e.awsErrorType() + "\",\"message\":\"" + e.getMessage() + "\"}";
        } catch (RuntimeException e) {
            // Answer anything unexpected too: a handler that throws makes the JDK server drop the connection,
            // and the client would only see "Unexpected end of file".
            status = 500;
            response = "{\"__type\":\"InternalFailure\",\"message\":\"" + e + "\"}";
        }
        byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
