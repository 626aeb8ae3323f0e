package io.kmswatch.emulator.sigv4;

import io.kmswatch.emulator.sigv4.SigV4Exception.Code;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Requests signed by the real AWS SDK v2 signer, verified (or refused) by {@link SigV4Verifier}. */
class SigV4VerifierTest {

    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Instant NOW = Instant.parse("2026-03-14T15:09:26Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final byte[] BODY = "{\"KeyId\":\"alias/prod-encryption-key\",\"Plaintext\":\"aGVsbG8=\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final SigV4Verifier verifier = new SigV4Verifier(
            id -> id.equals(ACCESS_KEY) ? Optional.of(SECRET) : Optional.empty(), CLOCK, Duration.ofMinutes(5));

    @Test
    void shouldVerifyKmsRequestSignedBySdk() {
        VerifiedRequest verified = verifier.verify(sign(kmsRequest("Encrypt").build(), BODY, SECRET, "kms", NOW));

        assertThat(verified).isEqualTo(new VerifiedRequest(ACCESS_KEY, "us-east-1", "kms", NOW));
    }

    @Test
    void shouldVerifyCloudTrailRequestSignedBySdk() {
        SdkHttpFullRequest request = kmsRequest("x").putHeader("X-Amz-Target",
                "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents").build();

        VerifiedRequest verified = verifier.verify(sign(request, "{}".getBytes(StandardCharsets.UTF_8), SECRET,
                "cloudtrail", NOW));

        assertThat(verified.service()).isEqualTo("cloudtrail");
    }

    @Test
    void shouldVerifyWhenPathAndQueryNeedEncoding() {
        SdkHttpFullRequest request = kmsRequest("Encrypt")
                .encodedPath("/a%20b/c%2Fd/~tilde/")
                .putRawQueryParameter("b", "2")
                .putRawQueryParameter("a", List.of("z", "y x", "ü/+="))
                .putRawQueryParameter("empty", (String) null)
                .build();

        assertThat(verifier.verify(sign(request, BODY, SECRET, "kms", NOW)).accessKeyId()).isEqualTo(ACCESS_KEY);
    }

    @Test
    void shouldVerifyWhenHeaderValuesHaveRunsOfSpacesAndRepeats() {
        SdkHttpFullRequest request = kmsRequest("Encrypt")
                .putHeader("X-Custom", List.of("  a   b  c ", "second   value"))
                .build();

        assertThat(verifier.verify(sign(request, BODY, SECRET, "kms", NOW)).region()).isEqualTo("us-east-1");
    }

    @Test
    void shouldVerifyWhenHeaderNamesArriveInAnotherCase() {
        SignedRequest signed = sign(kmsRequest("Decrypt").build(), BODY, SECRET, "kms", NOW);
        Map<String, List<String>> shouted = new LinkedHashMap<>();
        signed.headers().forEach((name, values) -> shouted.put(name.toUpperCase(Locale.ROOT), values));

        VerifiedRequest verified = verifier.verify(new SignedRequest(signed.method(), signed.path(),
                signed.rawQuery(), shouted, signed.body()));

        assertThat(verified.accessKeyId()).isEqualTo(ACCESS_KEY);
    }

    @Test
    void shouldVerifyWhenSessionTokenAndContentSha256AreSigned() {
        SdkHttpFullRequest request = kmsRequest("GenerateDataKey")
                .putHeader("x-amz-content-sha256", HexFormat.of().formatHex(sha256(BODY)))
                .build();
        AwsSessionCredentialsIdentity session = AwsSessionCredentialsIdentity.create(ACCESS_KEY, SECRET, "FQoGZXIvYXdzEXAMPLETOKEN");

        SignedRequest signed = sign(request, BODY, session, "kms", NOW);

        assertThat(signed.headers().keySet()).anyMatch(h -> h.equalsIgnoreCase("x-amz-security-token"));
        assertThat(verifier.verify(signed).accessKeyId()).isEqualTo(ACCESS_KEY);
    }

    @Test
    void shouldAcceptRequestJustInsideTheSkew() {
        Instant signedAt = NOW.minus(Duration.ofMinutes(5));

        assertThat(verifier.verify(sign(kmsRequest("Encrypt").build(), BODY, SECRET, "kms", signedAt)).signedAt())
                .isEqualTo(signedAt);
    }

    @Test
    void shouldRefuseWrongSecretAsInvalidSignature() {
        SignedRequest signed = sign(kmsRequest("Encrypt").build(), BODY, "not-the-secret", "kms", NOW);

        assertRefused(signed, Code.INVALID_SIGNATURE, "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS "
                        + "Secret Access Key and signing method. Consult the service documentation for details.");
    }

    @Test
    void shouldRefuseUnknownAccessKeyAsUnrecognizedClient() {
        SignedRequest signed = sign(kmsRequest("Encrypt").build(), BODY,
                AwsCredentialsIdentity.create("AKIAUNKNOWNKEY000000", SECRET), "kms", NOW);

        assertRefused(signed, Code.UNRECOGNIZED_CLIENT, "UnrecognizedClientException",
                "The security token included in the request is invalid.");
    }

    @Test
    void shouldRefuseBodyAlteredAfterSigning() {
        SignedRequest signed = sign(kmsRequest("Encrypt").build(), BODY, SECRET, "kms", NOW);
        byte[] altered = new String(BODY, StandardCharsets.UTF_8).replace("prod", "test").getBytes(StandardCharsets.UTF_8);

        assertRefused(new SignedRequest(signed.method(), signed.path(), signed.rawQuery(), signed.headers(), altered),
                Code.INVALID_SIGNATURE, "InvalidSignatureException", null);
    }

    @Test
    void shouldRefuseSignedHeaderAlteredAfterSigning() {
        SignedRequest signed = sign(kmsRequest("Encrypt").build(), BODY, SECRET, "kms", NOW);
        Map<String, List<String>> headers = new LinkedHashMap<>(signed.headers());
        headers.replaceAll((name, values) -> name.equalsIgnoreCase("X-Amz-Target")
                ? List.of("TrentService.ScheduleKeyDeletion") : values);

        assertRefused(new SignedRequest(signed.method(), signed.path(), signed.rawQuery(), headers, signed.body()),
                Code.INVALID_SIGNATURE, "InvalidSignatureException", null);
    }

    @Test
    void shouldRefuseQueryAlteredAfterSigning() {
        SignedRequest signed = sign(kmsRequest("Encrypt").putRawQueryParameter("a", "1").build(), BODY, SECRET, "kms", NOW);

        assertRefused(new SignedRequest(signed.method(), signed.path(), "a=2", signed.headers(), signed.body()),
                Code.INVALID_SIGNATURE, "InvalidSignatureException", null);
    }

    @Test
    void shouldRefuseRequestOlderThanSkewAsExpired() {
        SignedRequest signed = sign(kmsRequest("Encrypt").build(), BODY, SECRET, "kms", NOW.minus(Duration.ofMinutes(6)));

        assertRefused(signed, Code.SIGNATURE_EXPIRED, "InvalidSignatureException",
                "Signature expired: 20260314T150326Z is now earlier than 20260314T150426Z (20260314T150926Z - 5 min.)");
    }

    @Test
    void shouldRefuseRequestFromTooFarInTheFuture() {
        SignedRequest signed = sign(kmsRequest("Encrypt").build(), BODY, SECRET, "kms", NOW.plus(Duration.ofMinutes(6)));

        assertRefused(signed, Code.SIGNATURE_EXPIRED, "InvalidSignatureException",
                "Signature not yet current: 20260314T151526Z is still later than 20260314T151426Z "
                        + "(20260314T150926Z + 5 min.)");
    }

    @Test
    void shouldRefuseMissingAuthorizationAsMissingAuthenticationToken() {
        SignedRequest signed = sign(kmsRequest("Encrypt").build(), BODY, SECRET, "kms", NOW);
        Map<String, List<String>> headers = new LinkedHashMap<>(signed.headers());
        headers.keySet().removeIf(name -> name.equalsIgnoreCase("Authorization"));

        assertRefused(new SignedRequest("POST", "/", null, headers, BODY), Code.MISSING_AUTHENTICATION_TOKEN,
                "MissingAuthenticationTokenException", "Request is missing Authentication Token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer abc", "AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo="})
    void shouldRefuseNonSigV4AuthorizationAsMissingAuthenticationToken(String authorization) {
        SignedRequest request = new SignedRequest("POST", "/", null,
                Map.of("Authorization", List.of(authorization), "X-Amz-Date", List.of("20260314T150926Z")), BODY);

        assertRefused(request, Code.MISSING_AUTHENTICATION_TOKEN, "MissingAuthenticationTokenException", null);
    }

    @Test
    void shouldRefuseAuthorizationWithoutSignatureAsIncomplete() {
        String auth = "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20260314/us-east-1/kms/aws4_request, "
                + "SignedHeaders=host;x-amz-date";
        SignedRequest request = new SignedRequest("POST", "/", null, Map.of("Authorization", List.of(auth),
                "X-Amz-Date", List.of("20260314T150926Z"), "Host", List.of("localhost")), BODY);

        assertRefused(request, Code.INCOMPLETE_SIGNATURE, "IncompleteSignatureException",
                "Authorization header requires 'Signature' parameter. Authorization=" + auth);
    }

    @Test
    void shouldRefuseRequestWithoutDateAsIncomplete() {
        String auth = "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20260314/us-east-1/kms/aws4_request, "
                + "SignedHeaders=host, Signature=abc";

        SigV4Exception e = refuse(new SignedRequest("POST", "/", null, Map.of("Authorization", List.of(auth)), BODY));

        assertThat(e.code()).isEqualTo(Code.INCOMPLETE_SIGNATURE);
        assertThat(e.getMessage()).startsWith("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }

    @Test
    void shouldRefuseUnreadableDateAsIncomplete() {
        SignedRequest signed = sign(kmsRequest("Encrypt").build(), BODY, SECRET, "kms", NOW);
        Map<String, List<String>> headers = new LinkedHashMap<>(signed.headers());
        headers.replaceAll((name, values) -> name.equalsIgnoreCase("X-Amz-Date") ? List.of("2026-03-14") : values);

        assertRefused(new SignedRequest("POST", "/", null, headers, BODY), Code.INCOMPLETE_SIGNATURE,
                "IncompleteSignatureException",
                "Date must be in ISO-8601 'basic format'. Got '2026-03-14'. See http://en.wikipedia.org/wiki/ISO_8601");
    }

    @Test
    void shouldRefuseCredentialScopedToAnotherServiceThanTheTarget() {
        SignedRequest signed = sign(kmsRequest("Encrypt").build(), BODY, SECRET, "cloudtrail", NOW);

        assertRefused(signed, Code.INVALID_SIGNATURE, "InvalidSignatureException",
                "Credential should be scoped to correct service: 'kms'.");
    }

    @Test
    void shouldRefuseCredentialWithWrongNumberOfElementsAsIncomplete() {
        String auth = "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20260314/us-east-1/kms, "
                + "SignedHeaders=host;x-amz-date, Signature=abc";
        SignedRequest request = new SignedRequest("POST", "/", null, Map.of("Authorization", List.of(auth),
                "X-Amz-Date", List.of("20260314T150926Z"), "Host", List.of("localhost")), BODY);

        assertRefused(request, Code.INCOMPLETE_SIGNATURE, "IncompleteSignatureException",
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '"
                        + ACCESS_KEY + "/20260314/us-east-1/kms'");
    }

    @Test
    void shouldRefuseUnsignedHost() {
        String auth = "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20260314/us-east-1/kms/aws4_request, "
                + "SignedHeaders=x-amz-date, Signature=abc";
        SignedRequest request = new SignedRequest("POST", "/", null, Map.of("Authorization", List.of(auth),
                "X-Amz-Date", List.of("20260314T150926Z"), "Host", List.of("localhost")), BODY);

        assertRefused(request, Code.INVALID_SIGNATURE, "InvalidSignatureException",
                "'Host' must be a 'SignedHeader' in the AWS Authorization.");
    }

    @Test
    void shouldRefuseSignatureDifferingOnlyInCase() {
        SignedRequest signed = sign(kmsRequest("Encrypt").build(), BODY, SECRET, "kms", NOW);
        Map<String, List<String>> headers = new LinkedHashMap<>(signed.headers());
        headers.replaceAll((name, values) -> {
            if (!name.equalsIgnoreCase("Authorization")) {
                return values;
            }
            String auth = values.get(0);
            int at = auth.indexOf("Signature=") + "Signature=".length();
            return List.of(auth.substring(0, at) + auth.substring(at).toUpperCase(Locale.ROOT));
        });

        assertRefused(new SignedRequest("POST", "/", null, headers, BODY), Code.INVALID_SIGNATURE,
                "InvalidSignatureException", null);
    }

    @Test
    void shouldAnswerEveryRefusalWithHttp400() {
        SigV4Exception e = refuse(sign(kmsRequest("Encrypt").build(), BODY, "wrong", "kms", NOW));

        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).doesNotContain(SECRET);
    }

    private void assertRefused(SignedRequest request, Code code, String type, String message) {
        SigV4Exception e = refuse(request);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.awsErrorType()).isEqualTo(type);
        if (message != null) {
            assertThat(e.getMessage()).isEqualTo(message);
        }
    }

    private SigV4Exception refuse(SignedRequest request) {
        SigV4Exception e = catchThrowableOfType(SigV4Exception.class, () -> verifier.verify(request));
        assertThat(e).as("verification should fail").isNotNull();
        return e;
    }

    static SdkHttpFullRequest.Builder kmsRequest(String operation) {
        return SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .protocol("http")
                .host("localhost")
                .port(4599)
                .encodedPath("/")
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "TrentService." + operation)
                .putHeader("User-Agent", "aws-sdk-java/2.57.8  test   agent");
    }

    private static SignedRequest sign(SdkHttpRequest request, byte[] body, String secret, String service, Instant at) {
        return sign(request, body, AwsCredentialsIdentity.create(ACCESS_KEY, secret), service, at);
    }

    /** Signs with the SDK's own signer, then hands the verifier what a server would have received. */
    static SignedRequest sign(SdkHttpRequest request, byte[] body, AwsCredentialsIdentity identity, String service,
                              Instant at) {
        software.amazon.awssdk.http.auth.spi.signer.SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(identity)
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
        SdkHttpRequest wire = signed.request();
        String rawQuery = wire.encodedQueryParameters().orElse(null);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        wire.forEachHeader((name, values) -> headers.put(name, new ArrayList<>(values)));
        byte[] sent = signed.payload().map(SigV4VerifierTest::read).orElse(body);
        return new SignedRequest(wire.method().name(), wire.encodedPath(), rawQuery, headers, sent);
    }

    private static byte[] read(ContentStreamProvider provider) {
        try (InputStream in = provider.newStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
