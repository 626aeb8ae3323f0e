package io.kmswatch.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.emulator.crypto.CiphertextBlob;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Bad requests against a running emulator over real HTTP, each correctly signed unless the case is
 * about the signature: oversize bodies and encryption contexts, malformed JSON, wrong content types,
 * missing and repeated headers, base64 garbage, ciphertext from another key, forged ciphertext blobs.
 * Each gets the status and {@code __type} real KMS answers with (see {@code KmsErrorCode}), never a
 * 500 or a stack trace, and the server answers a good request right after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadRequestsIT {
    private static final String JSON_11 = "application/x-amz-json-1.1";
    private static final int MAX_BODY = EmulatorConfig.defaults().maxBodyBytes();

    private EmulatorFixture fx;
    private EmulatorFixture elsewhere;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private String keyA;
    private String keyB;
    private String aliasB;
    private byte[] blobA;
    private byte[] blobFromElsewhere;

    @BeforeAll
    void start() {
        fx = new EmulatorFixture(EmulatorConfig.defaults());
        elsewhere = new EmulatorFixture(EmulatorConfig.defaults());
        KmsClient kms = fx.admin();
        keyA = kms.createKey(b -> b.description("bad-requests A")).keyMetadata().arn();
        keyB = kms.createKey(b -> b.description("bad-requests B")).keyMetadata().arn();
        aliasB = "alias/bad-requests-b";
        kms.createAlias(b -> b.aliasName(aliasB).targetKeyId(keyB));
        blobA = kms.encrypt(b -> b.keyId(keyA).plaintext(SdkBytes.fromUtf8String("secret of A"))
                .encryptionContext(Map.of("purpose", "test"))).ciphertextBlob().asByteArray();
        KmsClient other = elsewhere.admin();
        String otherKey = other.createKey(b -> b.description("another emulator's key")).keyMetadata().arn();
        blobFromElsewhere = other.encrypt(b -> b.keyId(otherKey).plaintext(SdkBytes.fromUtf8String("elsewhere")))
                .ciphertextBlob().asByteArray();
    }

    @AfterAll
    void stop() {
        fx.close();
        elsewhere.close();
    }

    /** One bad request and the answer KMS gives it. */
    record Case(String name, Supplier<Request> request, int status, String type, String messagePart) {
        @Override
        public String toString() {
            return name;
        }
    }

    List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // --- oversize bodies: refused after reading at most the limit, the rest drained
        c.add(new Case("body over the 1 MiB limit", () -> encrypt("\"KeyId\":\"" + "k".repeat(2 * MAX_BODY) + "\""),
                413, "RequestEntityTooLargeException", "exceeds the limit of " + MAX_BODY + " bytes"));
        c.add(new Case("1 MB encryption context", () -> encrypt("\"KeyId\":\"" + keyA + "\",\"Plaintext\":\"aGk=\","
                + "\"EncryptionContext\":{\"blob\":\"" + "c".repeat(1024 * 1024) + "\"}"),
                413, "RequestEntityTooLargeException", "exceeds the limit"));
        // --- malformed JSON
        for (String body : List.of("{", "{\"KeyId\":}", "{} trailing", "[]", "\"text\"", "{\"KeyId\":\"a\",}",
                "{\"Unknown\":" + "[".repeat(100) + "]".repeat(100) + "}")) {
            c.add(new Case("malformed JSON " + abbreviate(body), () -> req("TrentService.Encrypt", body), 400,
                    "SerializationException", "Malformed request body"));
        }
        c.add(new Case("JSON null", () -> req("TrentService.Encrypt", "null"), 400, "SerializationException",
                "Start of structure or map found where not expected."));
        c.add(new Case("a member given twice", () -> encrypt("\"KeyId\":\"" + keyA + "\",\"KeyId\":\"" + keyB
                + "\",\"Plaintext\":\"aGk=\""), 400, "SerializationException", "Duplicate field 'KeyId'"));
        c.add(new Case("Latin-1 byte in the body", () -> new Request("TrentService.Encrypt",
                ("{\"KeyId\":\"" + keyA + "\",\"Plaintext\":\"aGk=\",\"EncryptionContext\":{\"name\":\"Jos\u00e9\"}}")
                        .getBytes(StandardCharsets.ISO_8859_1)), 400, "SerializationException", "Invalid UTF-8"));
        c.add(new Case("NUL byte in the body", () -> new Request("TrentService.Encrypt",
                ("{\"KeyId\":\"" + keyA + "\",\"Plaintext\":\"aGk=\",\"EncryptionContext\":{\"a\":\"x\0y\"}}")
                        .getBytes(StandardCharsets.UTF_8)), 400, "SerializationException", "CTRL-CHAR"));
        c.add(new Case("number for a string member", () -> encrypt("\"KeyId\":42,\"Plaintext\":\"aGk=\""), 400,
                "SerializationException", "Value at 'KeyId' can not be converted to String"));
        c.add(new Case("boolean for a string in a map", () -> encrypt("\"KeyId\":\"" + keyA
                + "\",\"Plaintext\":\"aGk=\",\"EncryptionContext\":{\"a\":true}"), 400, "SerializationException",
                "can not be converted to String"));
        c.add(new Case("string for a number member", () -> req("TrentService.GenerateDataKey",
                "{\"KeyId\":\"" + keyA + "\",\"NumberOfBytes\":\"many\"}"), 400, "SerializationException",
                "Value at 'NumberOfBytes' can not be converted to Integer"));
        c.add(new Case("list for a map member", () -> encrypt("\"KeyId\":\"" + keyA
                + "\",\"Plaintext\":\"aGk=\",\"EncryptionContext\":[1]"), 400, "SerializationException",
                "Value at 'EncryptionContext' can not be converted to Map"));
        c.add(new Case("empty body for Encrypt", () -> req("TrentService.Encrypt", ""), 400, "ValidationException",
                "Member must not be null"));
        // --- content types
        for (String type : List.of("application/json", "text/plain", "application/x-www-form-urlencoded",
                "application/x-amz-json-1.0", "application/x-amz-cbor-1.1")) {
            c.add(new Case("Content-Type " + type, () -> listKeys().contentType(type), 400,
                    "UnknownOperationException", "Unsupported Content-Type '" + type + "'"));
        }
        c.add(new Case("no Content-Type", () -> listKeys().contentType(null), 400, "UnknownOperationException",
                "Missing Content-Type header"));
        // --- missing and repeated headers
        c.add(new Case("no X-Amz-Target", () -> listKeys().without("X-Amz-Target"), 400, "UnknownOperationException",
                "Missing X-Amz-Target header."));
        c.add(new Case("no Authorization", () -> listKeys().unsigned(), 400, "MissingAuthenticationTokenException",
                "Request is missing Authentication Token"));
        c.add(new Case("no X-Amz-Date", () -> listKeys().without("X-Amz-Date"), 400, "IncompleteSignatureException",
                "requires existence of either a 'X-Amz-Date' or a 'Date' header"));
        c.add(new Case("X-Amz-Target twice", () -> listKeys().alsoSigned("X-Amz-Target", "TrentService.DisableKey"),
                400, "UnknownOperationException", "The request has 2 'X-Amz-Target' headers; it must have one."));
        c.add(new Case("Content-Type twice", () -> listKeys().alsoSigned("Content-Type", "text/plain"), 400,
                "UnknownOperationException", "The request has 2 'Content-Type' headers; it must have one."));
        c.add(new Case("X-Amz-Date twice", () -> listKeys().alsoUnsigned("X-Amz-Date", "20200101T000000Z"), 400,
                "IncompleteSignatureException", "The request has 2 'X-Amz-Date' headers; it must have one."));
        c.add(new Case("Authorization twice", () -> listKeys().alsoUnsigned("Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIAOTHER/20200101/us-east-1/kms/aws4_request, SignedHeaders=host,"
                        + " Signature=00"), 400, "IncompleteSignatureException",
                "The request has 2 'Authorization' headers; it must have one."));
        // --- base64 garbage in blob members
        for (String garbage : List.of("***not base64***", "%%%%", "aGk=***", "aGVs\\nbG8=", "-_-_", "aG k=")) {
            c.add(new Case("Plaintext " + garbage, () -> encrypt("\"KeyId\":\"" + keyA + "\",\"Plaintext\":\""
                    + garbage + "\""), 400, "SerializationException", "Value at 'Plaintext' can not be converted:"
                    + " not valid base64"));
        }
        c.add(new Case("CiphertextBlob not base64", () -> req("TrentService.Decrypt", "{\"CiphertextBlob\":\"@@@@\"}"),
                400, "SerializationException", "Value at 'CiphertextBlob' can not be converted: not valid base64"));
        c.add(new Case("empty Plaintext", () -> encrypt("\"KeyId\":\"" + keyA + "\",\"Plaintext\":\"\""), 400,
                "ValidationException", "Member must have length greater than or equal to 1"));
        // --- ciphertext from another key
        c.add(new Case("Decrypt naming another key", () -> decrypt(blobA, "\"KeyId\":\"" + keyB + "\","), 400,
                "IncorrectKeyException", "does not identify a KMS key that can perform this operation"));
        c.add(new Case("Decrypt naming another key's alias", () -> decrypt(blobA, "\"KeyId\":\"" + aliasB + "\","),
                400, "IncorrectKeyException", "does not identify a KMS key"));
        c.add(new Case("ReEncrypt from another key", () -> req("TrentService.ReEncrypt", "{\"CiphertextBlob\":\""
                + b64(blobA) + "\",\"SourceKeyId\":\"" + keyB + "\",\"DestinationKeyId\":\"" + keyB
                + "\",\"SourceEncryptionContext\":{\"purpose\":\"test\"}}"), 400, "IncorrectKeyException",
                "does not identify a KMS key"));
        c.add(new Case("ciphertext of another emulator's key", () -> decrypt(blobFromElsewhere, ""), 400,
                "InvalidCiphertextException", null));
        c.add(new Case("right blob, wrong encryption context", () -> req("TrentService.Decrypt",
                "{\"CiphertextBlob\":\"" + b64(blobA) + "\",\"EncryptionContext\":{\"purpose\":\"Test\"}}"), 400,
                "InvalidCiphertextException", null));
        // --- forged blobs
        c.add(new Case("forged blob naming key A", () -> decrypt(forged(), ""), 400, "InvalidCiphertextException",
                null));
        c.add(new Case("one bit flipped in the sealed bytes", () -> decrypt(flipped(blobA.length - 20), ""), 400,
                "InvalidCiphertextException", null));
        c.add(new Case("one bit flipped in the header", () -> decrypt(flipped(5), ""), 400,
                "InvalidCiphertextException", null));
        c.add(new Case("material version changed", () -> decrypt(withMaterialVersion(7), ""), 400,
                "InvalidCiphertextException", null));
        c.add(new Case("tag cut off", () -> decrypt(Arrays.copyOf(blobA, blobA.length - 16), ""), 400,
                "InvalidCiphertextException", null));
        c.add(new Case("unknown format version", () -> decrypt(withByte(0, (byte) 2), ""), 400,
                "InvalidCiphertextException", null));
        c.add(new Case("random bytes", () -> decrypt(random(80), ""), 400, "InvalidCiphertextException", null));
        c.add(new Case("blob over 6144 bytes", () -> decrypt(random(6145), ""), 400, "ValidationException",
                "Member must have length less than or equal to 6144"));
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldAnswerAsKmsDoesAndKeepServing(Case c) throws Exception {
        HttpResponse<String> r = send(c.request().get());

        assertThat(r.statusCode()).as("status; body %s", r.body()).isEqualTo(c.status());
        JsonNode error = Json.MAPPER.readTree(r.body());
        assertThat(error.path("__type").asText()).as(r.body()).isEqualTo(c.type());
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue(c.type());
        assertThat(r.headers().firstValue("Content-Type")).hasValue(JSON_11);
        if (c.messagePart() != null) {
            assertThat(error.path("message").asText()).contains(c.messagePart());
        }
        assertThat(r.body()).doesNotContain("io.kmswatch").doesNotContain("\tat ").doesNotContain("secret of A");

        HttpResponse<String> next = send(listKeys());
        assertThat(next.statusCode()).as("a good request right after: %s", next.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(next.body()).path("Keys").isArray()).isTrue();
    }

    @Test
    void shouldAcceptAContentTypeWithParametersAsTheProtocolRequires() throws Exception {
        HttpResponse<String> r = send(listKeys().contentType("application/x-amz-json-1.1; charset=utf-8"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        HttpResponse<String> upper = send(listKeys().contentType("Application/X-Amz-Json-1.1"));
        assertThat(upper.statusCode()).as(upper.body()).isEqualTo(200);
    }

    @Test
    void shouldEncryptUnderAHalfMegabyteEncryptionContextAndRequireItExactly() throws Exception {
        String value = "v".repeat(512 * 1024);
        HttpResponse<String> enc = send(encrypt("\"KeyId\":\"" + keyA + "\",\"Plaintext\":\"aGVsbG8=\","
                + "\"EncryptionContext\":{\"big\":\"" + value + "\"}"));
        assertThat(enc.statusCode()).as(enc.body()).isEqualTo(200);
        String blob = Json.MAPPER.readTree(enc.body()).path("CiphertextBlob").asText();

        HttpResponse<String> dec = send(req("TrentService.Decrypt", "{\"CiphertextBlob\":\"" + blob
                + "\",\"EncryptionContext\":{\"big\":\"" + value + "\"}}"));
        HttpResponse<String> off = send(req("TrentService.Decrypt", "{\"CiphertextBlob\":\"" + blob
                + "\",\"EncryptionContext\":{\"big\":\"" + value.substring(1) + "w\"}}"));

        assertThat(dec.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(dec.body()).path("Plaintext").asText()).isEqualTo("aGVsbG8=");
        assertThat(off.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(off.body()).path("__type").asText()).isEqualTo("InvalidCiphertextException");
        // the calls are on the trail, context and all (CloudTrail logs encryption context in the clear)
        List<CloudTrailEvent> decrypts = fx.recordsSnapshot().stream()
                .filter(e -> "Decrypt".equals(e.eventName()))
                .filter(e -> e.requestParameters().path("encryptionContext").path("big").asText().length() >= value.length())
                .toList();
        assertThat(decrypts).extracting(CloudTrailEvent::errorCode).containsExactlyInAnyOrder(null,
                "InvalidCiphertextException");
    }

    // ---- requests ------------------------------------------------------------------------------------

    /** A request to send: correctly signed unless told otherwise, with headers to add or drop. */
    static final class Request {
        final String target;
        final byte[] body;
        String contentType = JSON_11;
        boolean sign = true;
        final List<String[]> signedExtra = new ArrayList<>();
        final List<String[]> unsignedExtra = new ArrayList<>();
        final List<String> dropped = new ArrayList<>();

        Request(String target, byte[] body) {
            this.target = target;
            this.body = body;
        }

        Request contentType(String type) {
            contentType = type;
            return this;
        }

        Request unsigned() {
            sign = false;
            return this;
        }

        /** Sent without this header, which was signed. */
        Request without(String header) {
            dropped.add(header.toLowerCase(Locale.ROOT));
            return this;
        }

        /** A second value of a header, included in the signature. */
        Request alsoSigned(String header, String value) {
            signedExtra.add(new String[] {header, value});
            return this;
        }

        /** A second value of a header, added after signing. */
        Request alsoUnsigned(String header, String value) {
            unsignedExtra.add(new String[] {header, value});
            return this;
        }
    }

    private static Request req(String target, String body) {
        return new Request(target, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Request listKeys() {
        return req("TrentService.ListKeys", "{}");
    }

    private static Request encrypt(String members) {
        return req("TrentService.Encrypt", "{" + members + "}");
    }

    private static Request decrypt(byte[] blob, String members) {
        return req("TrentService.Decrypt", "{" + members + "\"CiphertextBlob\":\"" + b64(blob) + "\"}");
    }

    private HttpResponse<String> send(Request q) throws IOException, InterruptedException {
        URI uri = fx.emulator.endpoint().resolve("/");
        SdkHttpRequest.Builder sdk = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("X-Amz-Target", q.target);
        if (q.contentType != null) {
            sdk.putHeader("Content-Type", q.contentType);
        }
        q.signedExtra.forEach(h -> sdk.appendHeader(h[0], h[1]));
        Map<String, List<String>> headers = q.sign
                ? AwsV4HttpSigner.create().sign(r -> r
                        .identity(AwsBasicCredentials.create(EmulatorFixture.ADMIN_KEY, EmulatorFixture.ADMIN_SECRET))
                        .request(sdk.build()).payload(ContentStreamProvider.fromByteArray(q.body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "kms")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request().headers()
                : sdk.build().headers();
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofByteArray(q.body));
        Set<String> restricted = Set.of("host", "content-length", "connection", "expect", "upgrade");
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!restricted.contains(lower) && !q.dropped.contains(lower)) {
                values.forEach(v -> b.header(name, v));
            }
        });
        q.unsignedExtra.forEach(h -> b.header(h[0], h[1]));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---- blobs ---------------------------------------------------------------------------------------

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** A well-formed blob naming key A, with a random IV, ciphertext and tag. */
    private byte[] forged() {
        String keyId = keyA.substring(keyA.indexOf("/") + 1);
        return CiphertextBlob.assemble(CiphertextBlob.header(EmulatorFixture.ACCOUNT_A, keyId, 1), random(12 + 24 + 16));
    }

    private byte[] flipped(int at) {
        return withByte(at, (byte) (blobA[at] ^ 1));
    }

    private byte[] withByte(int at, byte value) {
        byte[] b = blobA.clone();
        b[at] = value;
        return b;
    }

    private byte[] withMaterialVersion(int version) {
        byte[] b = blobA.clone();
        int at = 2 + (b[1] & 0xff);
        b[at] = (byte) (version >>> 24);
        b[at + 1] = (byte) (version >>> 16);
        b[at + 2] = (byte) (version >>> 8);
        b[at + 3] = (byte) version;
        return b;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static String abbreviate(String s) {
        return s.length() <= 24 ? s : s.substring(0, 24) + "…";
    }
}
