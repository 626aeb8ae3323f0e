package io.kmswatch.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every way a request can fail SigV4, through real HTTP: the SDK with a wrong secret or an unknown access key,
 * and requests signed by the SDK's own {@link AwsV4HttpSigner} then replayed outside the five-minute window or
 * altered after signing. Each is refused with the error type KMS answers, has no effect, and is itself audited:
 * one CloudTrail record with the error, the claimed access key id and the source address, served by
 * LookupEvents, and never the secret.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SigV4RefusalIT {
    private static final String A = EmulatorFixture.ACCOUNT_A;
    private static final String ALICE_KEY = "AKIAALICEEXAMPLE0001";
    private static final String ALICE_SECRET = "alice-secret";
    private static final String UNKNOWN_KEY = "AKIAUNKNOWNEXAMPLE99";
    private static final String SDK_TARGET = "TrentService.";

    private EmulatorFixture fx;
    private KmsClient admin;
    private CloudTrailClient trail;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void start() {
        fx = new EmulatorFixture(EmulatorFixture.twoAccounts());
        fx.emulator.metrics().bindTo(registry);
        admin = fx.admin();
        trail = fx.cloudTrail(EmulatorFixture.ADMIN_KEY, EmulatorFixture.ADMIN_SECRET);
        // Every secret the refused requests were signed with, or meant to carry, must stay out of the trail.
        for (String s : List.of(EmulatorFixture.ADMIN_SECRET, ALICE_SECRET, "not-the-admin-secret", "whatever-secret")) {
            fx.secrets.add(s);
        }
    }

    @AfterAll
    void stop() {
        fx.recordsSnapshot().forEach(e -> TrailRecords.assertShape(e, fx.secrets));
        admin.close();
        trail.close();
        fx.close();
    }

    @Test
    void shouldRefuseWrongSecretAndAuditItUnderTheClaimedKeyOwner() {
        SdkBytes plaintext = SdkBytes.fromString("payload the wrong secret tried to encrypt", StandardCharsets.UTF_8);
        fx.secret(plaintext);
        String key = admin.createKey(b -> b.description("sigv4 wrong secret")).keyMetadata().arn();
        double before = requests("Encrypt", "InvalidSignatureException");

        KmsException e;
        try (KmsClient wrong = fx.kms(EmulatorFixture.ADMIN_KEY, "not-the-admin-secret")) {
            e = catchThrowableOfType(KmsException.class, () -> wrong.encrypt(b -> b.keyId(key).plaintext(plaintext)));
        }

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
        assertThat(e.awsErrorDetails().errorMessage()).startsWith("The request signature we calculated does not match");
        CloudTrailEvent rec = recordOf(e.requestId());
        assertThat(rec.eventName()).isEqualTo("Encrypt");
        assertThat(rec.errorCode()).isEqualTo("InvalidSignatureException");
        assertThat(rec.errorMessage()).startsWith("The request signature we calculated does not match");
        assertThat(rec.userIdentity().type()).isEqualTo("IAMUser");
        assertThat(rec.userIdentity().arn()).isEqualTo("arn:aws:iam::" + A + ":user/admin");
        assertThat(rec.userIdentity().accessKeyId()).isEqualTo(EmulatorFixture.ADMIN_KEY);
        assertThat(rec.recipientAccountId()).isEqualTo(A);
        assertThat(rec.sourceIpAddress()).isEqualTo("127.0.0.1");
        assertThat(rec.succeeded()).isFalse();
        assertThat(rec.toTree().path("requestParameters").isNull()).as("nothing of the refused body is kept").isTrue();
        assertThat(rec.resources()).isEmpty();
        assertThat(lookupByAccessKey(EmulatorFixture.ADMIN_KEY)).anySatisfy(ev -> {
            assertThat(ev.eventId()).isEqualTo(rec.eventId());
            assertThat(ev.eventName()).isEqualTo("Encrypt");
            assertThat(ev.username()).isEqualTo("admin");
            assertThat(CloudTrailEvent.parse(ev.cloudTrailEvent()).errorCode()).isEqualTo("InvalidSignatureException");
        });
        assertThat(requests("Encrypt", "InvalidSignatureException")).isEqualTo(before + 1);
        assertThat(fx.recordsSnapshot()).noneSatisfy(r -> assertThat(r.succeeded() && "Encrypt".equals(r.eventName())
                && key.equals(r.keyArn())).isTrue());
    }

    @Test
    void shouldRefuseUnknownAccessKeyAndAuditItAsAnUnknownIdentityInTheClaimedRegion() {
        KmsException e;
        try (KmsClient unknown = fx.kms(UNKNOWN_KEY, "whatever-secret", Region.EU_WEST_1)) {
            e = catchThrowableOfType(KmsException.class, () -> unknown.listKeys());
        }

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The security token included in the request is invalid.");
        CloudTrailEvent rec = recordOf(e.requestId());
        assertThat(rec.eventName()).isEqualTo("ListKeys");
        assertThat(rec.errorCode()).isEqualTo("UnrecognizedClientException");
        assertThat(rec.userIdentity().type()).isEqualTo("Unknown");
        assertThat(rec.userIdentity().accessKeyId()).isEqualTo(UNKNOWN_KEY);
        assertThat(rec.userIdentity().arn()).isNull();
        assertThat(rec.awsRegion()).isEqualTo("eu-west-1");
        assertThat(rec.recipientAccountId()).as("the emulator's first account receives what no account owns")
                .isEqualTo(A);
        assertThat(rec.sourceIpAddress()).isEqualTo("127.0.0.1");
        assertThat(rec.toTree().path("readOnly").asBoolean()).isTrue();
        try (CloudTrailClient euTrail = cloudTrail(Region.EU_WEST_1)) {
            List<Event> found = euTrail.lookupEvents(b -> b.lookupAttributes(a -> a
                    .attributeKey(LookupAttributeKey.ACCESS_KEY_ID).attributeValue(UNKNOWN_KEY))).events();
            assertThat(found).extracting(Event::eventId).contains(rec.eventId());
        }
    }

    @Test
    void shouldRefuseARequestReplayedTwentyMinutesAfterSigningAndLeaveTheKeyAlone() throws Exception {
        String key = admin.createKey(b -> b.description("sigv4 replay")).keyMetadata().arn();
        String body = "{\"KeyId\":\"" + key + "\",\"PendingWindowInDays\":7}";
        Clock twentyMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20));

        HttpResponse<String> r = send("ScheduleKeyDeletion", signed("ScheduleKeyDeletion", body,
                EmulatorFixture.ADMIN_KEY, EmulatorFixture.ADMIN_SECRET, twentyMinutesAgo), body);

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = Json.MAPPER.readTree(r.body());
        assertThat(error.path("__type").asText()).isEqualTo("InvalidSignatureException");
        assertThat(error.path("message").asText()).startsWith("Signature expired: ").contains(" is now earlier than ")
                .endsWith("- 5 min.)");
        assertThat(admin.describeKey(b -> b.keyId(key)).keyMetadata().keyState()).isEqualTo(KeyState.ENABLED);
        CloudTrailEvent rec = recordOf(requestId(r));
        assertThat(rec.eventName()).isEqualTo("ScheduleKeyDeletion");
        assertThat(rec.errorCode()).isEqualTo("InvalidSignatureException");
        assertThat(rec.errorMessage()).startsWith("Signature expired: ");
        assertThat(rec.userIdentity().accessKeyId()).isEqualTo(EmulatorFixture.ADMIN_KEY);
        assertThat(rec.toTree().path("readOnly").asBoolean()).isFalse();
        assertThat(lookupByAccessKey(EmulatorFixture.ADMIN_KEY)).extracting(Event::eventId).contains(rec.eventId());
    }

    @Test
    void shouldRefuseARequestSignedTwentyMinutesAheadOfTheServerClock() throws Exception {
        String body = "{}";
        HttpResponse<String> r = send("ListAliases", signed("ListAliases", body, ALICE_KEY, ALICE_SECRET,
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(20))), body);

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = Json.MAPPER.readTree(r.body());
        assertThat(error.path("__type").asText()).isEqualTo("InvalidSignatureException");
        assertThat(error.path("message").asText()).startsWith("Signature not yet current: ");
        CloudTrailEvent rec = recordOf(requestId(r));
        assertThat(rec.userIdentity().arn()).isEqualTo("arn:aws:iam::" + A + ":user/alice");
        assertThat(rec.errorMessage()).startsWith("Signature not yet current: ");
    }

    @Test
    void shouldRefuseABodyAlteredAfterSigningWithoutActingOnEitherBody() throws Exception {
        String key = admin.createKey(b -> b.description("sigv4 altered body")).keyMetadata().keyId();
        String signedBody = "{\"AliasName\":\"alias/as-signed\",\"TargetKeyId\":\"" + key + "\"}";
        String alteredBody = "{\"AliasName\":\"alias/as-altered\",\"TargetKeyId\":\"" + key + "\"}";
        Map<String, List<String>> headers = signed("CreateAlias", signedBody, EmulatorFixture.ADMIN_KEY,
                EmulatorFixture.ADMIN_SECRET, Clock.systemUTC());

        HttpResponse<String> r = send("CreateAlias", headers, alteredBody);

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = Json.MAPPER.readTree(r.body());
        assertThat(error.path("__type").asText()).isEqualTo("InvalidSignatureException");
        assertThat(error.path("message").asText()).startsWith("The request signature we calculated does not match");
        assertThat(admin.listAliases().aliases()).extracting(AliasListEntry::aliasName)
                .doesNotContain("alias/as-signed", "alias/as-altered");
        CloudTrailEvent rec = recordOf(requestId(r));
        assertThat(rec.eventName()).isEqualTo("CreateAlias");
        assertThat(rec.errorCode()).isEqualTo("InvalidSignatureException");
        assertThat(rec.rawJson()).as("the untrusted body is not copied into the record").doesNotContain("as-altered");

        // The same signature with the body it was made for is accepted: the refusal was about the change.
        HttpResponse<String> original = send("CreateAlias", headers, signedBody);
        assertThat(original.statusCode()).isEqualTo(200);
        assertThat(admin.listAliases().aliases()).extracting(AliasListEntry::aliasName).contains("alias/as-signed");
    }

    @Test
    void shouldRefuseAnOperationHeaderAlteredAfterSigning() throws Exception {
        String key = admin.createKey(b -> b.description("sigv4 altered target")).keyMetadata().arn();
        String body = "{\"KeyId\":\"" + key + "\"}";
        Map<String, List<String>> headers = signed("DescribeKey", body, EmulatorFixture.ADMIN_KEY,
                EmulatorFixture.ADMIN_SECRET, Clock.systemUTC());

        HttpResponse<String> r = send("DisableKey", headers, body);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(r.body()).path("__type").asText()).isEqualTo("InvalidSignatureException");
        assertThat(admin.describeKey(b -> b.keyId(key)).keyMetadata().keyState()).isEqualTo(KeyState.ENABLED);
        CloudTrailEvent rec = recordOf(requestId(r));
        assertThat(rec.eventName()).isEqualTo("DisableKey");
        assertThat(rec.errorCode()).isEqualTo("InvalidSignatureException");
    }

    @Test
    void shouldAuditUnsignedAndIncompletelySignedRequests() throws Exception {
        HttpResponse<String> unsigned = send("ListKeys", Map.of(), "{}");
        assertThat(unsigned.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(unsigned.body()).path("__type").asText())
                .isEqualTo("MissingAuthenticationTokenException");
        CloudTrailEvent none = recordOf(requestId(unsigned));
        assertThat(none.errorCode()).isEqualTo("MissingAuthenticationTokenException");
        assertThat(none.userIdentity().type()).isEqualTo("Unknown");
        assertThat(none.userIdentity().accessKeyId()).isNull();

        Map<String, List<String>> headers = signed("ListKeys", "{}", ALICE_KEY, ALICE_SECRET, Clock.systemUTC());
        String authorization = headers.get("Authorization").get(0);
        HttpResponse<String> incomplete = send("ListKeys", Map.of("Authorization",
                List.of(authorization.substring(0, authorization.indexOf(", Signature="))),
                "X-Amz-Date", headers.get("X-Amz-Date")), "{}");
        assertThat(incomplete.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(incomplete.body()).path("__type").asText())
                .isEqualTo("IncompleteSignatureException");
        CloudTrailEvent claimed = recordOf(requestId(incomplete));
        assertThat(claimed.errorCode()).isEqualTo("IncompleteSignatureException");
        assertThat(claimed.userIdentity().arn()).isEqualTo("arn:aws:iam::" + A + ":user/alice");
        assertThat(claimed.userIdentity().accessKeyId()).isEqualTo(ALICE_KEY);
    }

    @ParameterizedTest
    @CsvSource({
            // with its slashes the secret splits the credential scope: IncompleteSignature quotes the credential
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, IncompleteSignatureException",
            // without them it reads as an unknown access key id
            "wJalrXUtnFEMI+K7MDENG+bPxRfiCYEXAMPLEKEY, UnrecognizedClientException"})
    void shouldNeverCopyASecretSentInTheAccessKeyIdSlotIntoTheRecord(String secretAsKeyId, String errorType)
            throws Exception {
        Map<String, List<String>> headers = signed("ListKeys", "{}", secretAsKeyId, "whatever-secret",
                Clock.systemUTC());

        HttpResponse<String> r = send("ListKeys", headers, "{}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(r.body()).path("__type").asText()).isEqualTo(errorType);
        CloudTrailEvent rec = recordOf(requestId(r));
        assertThat(rec.errorCode()).isEqualTo(errorType);
        assertThat(rec.userIdentity().type()).isEqualTo("Unknown");
        assertThat(rec.userIdentity().accessKeyId()).isNull();
        for (String part : secretAsKeyId.split("[/+]")) {
            assertThat(rec.rawJson()).doesNotContain(part);
        }
    }

    @Test
    void shouldAuditAPrincipalPretendingToCallThroughAnAwsService() {
        KmsException e;
        try (KmsClient pretender = KmsClient.builder().endpointOverride(fx.emulator.endpoint()).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(() -> AwsBasicCredentials.create(ALICE_KEY, ALICE_SECRET))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .putHeader(KmsHttpServer.VIA_SERVICE_HEADER, "s3.amazonaws.com")).build()) {
            e = catchThrowableOfType(KmsException.class, () -> pretender.listKeys());
        }

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
        CloudTrailEvent rec = recordOf(e.requestId());
        assertThat(rec.errorCode()).isEqualTo("AccessDeniedException");
        assertThat(rec.userIdentity().arn()).isEqualTo("arn:aws:iam::" + A + ":user/alice");
        assertThat(rec.userIdentity().invokedBy()).as("the claim of a service is not believed").isNull();
        assertThat(rec.sourceIpAddress()).isEqualTo("127.0.0.1");
    }

    private CloudTrailEvent recordOf(String requestId) {
        assertThat(requestId).as("x-amzn-RequestId").isNotBlank();
        List<CloudTrailEvent> matching = fx.recordsSnapshot().stream().filter(r -> requestId.equals(r.requestId()))
                .toList();
        assertThat(matching).as("trail records of request %s", requestId).hasSize(1);
        return matching.get(0);
    }

    private List<Event> lookupByAccessKey(String accessKeyId) {
        return trail.lookupEvents(b -> b.lookupAttributes(a -> a.attributeKey(LookupAttributeKey.ACCESS_KEY_ID)
                .attributeValue(accessKeyId))).events();
    }

    private CloudTrailClient cloudTrail(Region region) {
        return CloudTrailClient.builder().endpointOverride(fx.emulator.endpoint()).region(region)
                .credentialsProvider(() -> AwsBasicCredentials.create(EmulatorFixture.ADMIN_KEY,
                        EmulatorFixture.ADMIN_SECRET))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    private double requests(String operation, String outcome) {
        var counter = registry.find("kmswatch.emulator.requests").tag("operation", operation).tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    /** The headers the SDK's SigV4 signer adds to a KMS request signed at the given clock. */
    private Map<String, List<String>> signed(String operation, String body, String accessKeyId, String secret,
                                             Clock clock) {
        URI uri = fx.emulator.endpoint().resolve("/");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("X-Amz-Target", SDK_TARGET + operation)
                .putHeader("Content-Type", "application/x-amz-json-1.1").build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(accessKeyId, secret))
                .request(request).payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "kms")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        return signed.request().headers();
    }

    /**
     * Posts {@code body} with the given headers; the operation header is set (and so may differ from the one
     * signed), Host and Content-Length come from the HTTP client as with any SDK request.
     */
    private HttpResponse<String> send(String operation, Map<String, List<String>> headers, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(fx.emulator.endpoint().resolve("/"))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", SDK_TARGET + operation);
        headers.forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")
                    && !name.equalsIgnoreCase("X-Amz-Target") && !name.equalsIgnoreCase("Content-Type")) {
                values.forEach(v -> b.header(name, v));
            }
        });
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String requestId(HttpResponse<String> r) {
        return r.headers().firstValue("x-amzn-RequestId").orElse(null);
    }
}
