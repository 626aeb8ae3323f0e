package io.kmswatch.emulator.trail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmswatch.emulator.EmulatorClock;
import io.kmswatch.emulator.EmulatorConfig;
import io.kmswatch.emulator.Identities;
import io.kmswatch.emulator.api.ApiJson;
import io.kmswatch.emulator.api.Authorizer;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.Caller;
import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.api.Services;
import io.kmswatch.emulator.crypto.CryptoCore;
import io.kmswatch.emulator.handler.Handlers;
import io.kmswatch.emulator.policy.PolicyEvaluator;
import io.kmswatch.emulator.state.InMemoryKeyStore;
import io.kmswatch.emulator.state.KeyIds;
import io.kmswatch.emulator.state.KmsKey;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The records {@link TrailRecordWriter} writes in one pass are the records the emulator built as Jackson trees before
 * ({@link TreeBuiltRecords}), byte for byte, and the events it makes without parsing are the events
 * {@link CloudTrailEvent#parse(byte[])} makes of those bytes. The calls are real: real handlers, policies, keys and
 * identities of several kinds (IAM user, role session, root, a service principal calling through S3, another
 * account), successes, refusals by policy, errors, cross-account calls (two records), grants, and the records of
 * refused requests and of the service's own events.
 */
class TrailRecordWriterTest {
    static final String A = "111122223333";
    static final String B = "444455556666";
    static final String ADMIN = EmulatorConfig.DEFAULT_ACCESS_KEY_ID;
    static final String S3_SERVICE = "AKIAS3SERVICEEXAMP01";
    static final String SESSION = "ASIAAPPSESSIONEXAM01";
    static final String ROOT = "AKIAROOTEXAMPLE00001";
    static final String PARTNER = "AKIAPARTNEREXAMPLE01";
    static final Instant T0 = Instant.parse("2026-03-02T08:00:00.750Z");

    static final String CONFIG = """
            accounts:
              - id: "111122223333"
                users:
                  - name: admin
                    accessKeyId: AKIAIOSFODNN7EXAMPLE
                    secretAccessKey: admin-secret
                    policies: [{Version: "2012-10-17", Statement: [{Effect: Allow, Action: "kms:*", Resource: "*"}]}]
                  - name: s3-service
                    accessKeyId: AKIAS3SERVICEEXAMP01
                    secretAccessKey: s3-secret
                    policies: [{Version: "2012-10-17", Statement: [{Effect: Allow, Action: "kms:*", Resource: "*"}]}]
                    viaServices: [s3.amazonaws.com]
                roles:
                  - name: app
                    policies: [{Version: "2012-10-17", Statement: [{Effect: Allow, Action: "kms:Decrypt", Resource: "*"}]}]
                    sessions:
                      - {name: app-session, accessKeyId: ASIAAPPSESSIONEXAM01, secretAccessKey: app-secret}
                rootAccessKeys:
                  - {accessKeyId: AKIAROOTEXAMPLE00001, secretAccessKey: root-secret}
              - id: "444455556666"
                users:
                  - name: partner
                    accessKeyId: AKIAPARTNEREXAMPLE01
                    secretAccessKey: partner-secret
                    policies: [{Version: "2012-10-17", Statement: [{Effect: Allow, Action: "kms:*", Resource: "*"}]}]
            """;

    Identities identities;
    InMemoryKeyStore store;
    CloudTrailEmitter emitter;
    Services services;
    Map<String, OperationHandler<?, ?>> handlers = Handlers.all();
    List<CloudTrailEvent> compared = new ArrayList<>();
    int requests;

    @BeforeEach
    void setUp() {
        EmulatorConfig config = EmulatorConfig.parse(CONFIG, n -> null, "trail-test.yaml");
        EmulatorClock clock = new EmulatorClock(T0, 1);
        identities = new Identities(config, T0.minusSeconds(3600));
        store = new InMemoryKeyStore();
        emitter = new CloudTrailEmitter(clock, new TrailStore(1000, clock), null, null);
        services = new Services(store, new CryptoCore(), new Authorizer(new PolicyEvaluator(), store), clock, identities,
                config.partition(), emitter, new ConcurrentHashMap<>(), KeyIds.seeded(7L));
    }

    @Test
    void shouldWriteApiCallRecordsAsTheTreesDidForRealCalls() {
        String policy = Json.MAPPER.createObjectNode().put("Version", "2012-10-17").set("Statement",
                Json.MAPPER.createArrayNode()
                        .add(statement("Enable IAM policies", "arn:aws:iam::" + A + ":root", "kms:*"))
                        .add(statement("Partner decrypts", "arn:aws:iam::" + B + ":root", "kms:Decrypt"))).toString();
        JsonNode created = call(ADMIN, "CreateKey", json("Description", "orders \"primary\" key — ünïcödé \u2028 \ud83d\udd11",
                "Policy", policy, "Tags", List.of(Map.of("TagKey", "team", "TagValue", "pay\\ments"))), null, "aws-cli/2.15 Python/3.11", null)
                .response();
        String keyId = created.path("KeyMetadata").path("KeyId").asText();
        String keyArn = created.path("KeyMetadata").path("Arn").asText();
        call(ADMIN, "CreateAlias", json("AliasName", "alias/orders", "TargetKeyId", keyId), null, "ua", "kms.example:4599");

        Map<String, String> context = Map.of("app", "orders", "quote\"and\\slash", "line\nbreak \u0001 \u00e9");
        JsonNode dataKey = call(ADMIN, "GenerateDataKey", json("KeyId", "alias/orders", "KeySpec", "AES_256",
                "EncryptionContext", context), null, null, null).response();
        String blob = dataKey.path("CiphertextBlob").asText();
        call(ADMIN, "Decrypt", json("CiphertextBlob", blob, "EncryptionContext", context), null, "boto3/1.34", null);
        // a wrong context: InvalidCiphertextException
        assertThat(call(ADMIN, "Decrypt", json("CiphertextBlob", blob, "EncryptionContext", Map.of("app", "other")),
                null, "ua", null).events().get(0).errorCode()).isEqualTo("InvalidCiphertextException");
        // a role session the identity policy refuses: AccessDeniedException
        assertThat(call(SESSION, "GenerateDataKey", json("KeyId", keyArn, "KeySpec", "AES_256"), null, "sdk", null)
                .events().get(0).errorCode()).isEqualTo("AccessDeniedException");
        call(SESSION, "Decrypt", json("CiphertextBlob", blob, "EncryptionContext", context), null, "sdk", null);
        // through S3: invokedBy, no tlsDetails
        call(S3_SERVICE, "GenerateDataKey", json("KeyId", keyArn, "KeySpec", "AES_256",
                "EncryptionContext", Map.of("aws:s3:arn", "arn:aws:s3:::bucket/key")), "s3.amazonaws.com", "ua", null);
        // the account root, with a user agent over CloudTrail's 1024 characters
        call(ROOT, "DescribeKey", json("KeyId", keyId), null, "x".repeat(1500) + "é", null);
        // another account: allowed (a record in each trail, one sharedEventID), then refused (the caller's only)
        Call shared = call(PARTNER, "Decrypt", json("CiphertextBlob", blob, "KeyId", keyArn, "EncryptionContext", context),
                null, "partner-sdk", null);
        assertThat(shared.events()).hasSize(2);
        assertThat(shared.events()).extracting(CloudTrailEvent::recipientAccountId).containsExactly(B, A);
        assertThat(shared.events().get(0).sharedEventId()).isNotNull().isEqualTo(shared.events().get(1).sharedEventId());
        assertThat(call(PARTNER, "GenerateDataKey", json("KeyId", keyArn, "KeySpec", "AES_256"), null, "p", null)
                .events()).singleElement().extracting(CloudTrailEvent::errorCode).isEqualTo("AccessDeniedException");
        // grants
        JsonNode grant = call(ADMIN, "CreateGrant", json("KeyId", keyId, "GranteePrincipal", "arn:aws:iam::" + B + ":root",
                "Operations", List.of("Decrypt", "Encrypt"), "Name", "partner-grant",
                "Constraints", Map.of("EncryptionContextSubset", Map.of("app", "orders"))), null, "ua", null).response();
        call(ADMIN, "ListGrants", json("KeyId", keyId), null, "ua", null);
        call(ADMIN, "RevokeGrant", json("KeyId", keyId, "GrantId", grant.path("GrantId").asText()), null, "ua", null);
        // key state changes, with response elements
        call(ADMIN, "EnableKeyRotation", json("KeyId", keyId, "RotationPeriodInDays", 180), null, "ua", null);
        call(ADMIN, "DisableKey", json("KeyId", keyId), null, "ua", null);
        assertThat(call(ADMIN, "GenerateDataKey", json("KeyId", keyId, "KeySpec", "AES_256"), null, "ua", null)
                .events().get(0).errorCode()).isEqualTo("DisabledException");
        call(ADMIN, "ScheduleKeyDeletion", json("KeyId", keyId, "PendingWindowInDays", 7), null, "ua", null);
        call(ADMIN, "CancelKeyDeletion", json("KeyId", keyId), null, "ua", null);
        // no key: NotFoundException, ValidationException; and calls that name none
        call(ADMIN, "DescribeKey", json("KeyId", "alias/missing"), null, "ua", null);
        call(ADMIN, "GenerateDataKey", json("KeySpec", "AES_256"), null, "ua", null);
        call(ADMIN, "ListKeys", json("Limit", 10), null, "ua", null);
        call(ADMIN, "GenerateRandom", json("NumberOfBytes", 16), null, "ua", null);
        // an asymmetric key: Sign, whose message is never logged
        JsonNode rsa = call(ADMIN, "CreateKey", json("KeySpec", "RSA_2048", "KeyUsage", "SIGN_VERIFY"), null, "ua", null)
                .response();
        call(ADMIN, "Sign", json("KeyId", rsa.path("KeyMetadata").path("KeyId").asText(), "Message", "aGVsbG8=",
                "SigningAlgorithm", "RSASSA_PSS_SHA_256"), null, "ua", null);

        assertThat(compared).hasSizeGreaterThan(requests);
        assertThat(compared).extracting(CloudTrailEvent::errorCode).contains(null, "AccessDeniedException",
                "NotFoundException", "ValidationException", "DisabledException", "InvalidCiphertextException");
        assertThat(compared).extracting(e -> e.userIdentity().type()).contains("IAMUser", "AssumedRole", "Root");
        assertThat(compared).anyMatch(e -> e.userIdentity().invokedBy() != null);
        assertThat(compared).anyMatch(e -> !e.additionalEventData().isNull());
        assertThat(compared).anyMatch(e -> !e.responseElements().isNull());
    }

    @Test
    void shouldWriteRefusalsAsTheTreesDid() {
        Caller known = identities.caller(SESSION).orElseThrow();
        List<RefusedRequest> refusals = List.of(
                new RefusedRequest("Decrypt", true, null, null, A, "us-east-1", "203.0.113.9", null, null, "req-1", T0,
                        "MissingAuthenticationTokenException", "Request is missing Authentication Token"),
                new RefusedRequest("unknown", false, null, "AKIAUNKNOWNEXAMPLE01", A, "eu-west-1", "203.0.113.9",
                        "curl/8 \"quoted\"", "h".repeat(300), "req-2", T0,
                        "UnrecognizedClientException", "The security token included in the request is invalid."),
                new RefusedRequest("GenerateDataKey", true, known, SESSION, A, "us-east-1", "203.0.113.9",
                        "u".repeat(2000), "kms.us-east-1.amazonaws.com", "req-3", T0.plusSeconds(61),
                        "InvalidSignatureException", "The request signature we calculated does not match ü ".repeat(30)));
        for (RefusedRequest r : refusals) {
            CloudTrailEvent e = emitter.emitRefusal(r);
            assertSame(e, TreeBuiltRecords.bytes(TreeBuiltRecords.refusal(r, e.eventId())));
        }
    }

    @Test
    void shouldWriteServiceEventsAsTheTreesDid() {
        call(ADMIN, "CreateKey", json("Description", "rotated"), null, "ua", null);
        KmsKey key = store.allKeys().get(0);
        ObjectNode details = Json.MAPPER.createObjectNode().put("keyId", key.arn()).put("isOnDemand", true);
        ObjectNode additional = Json.MAPPER.createObjectNode().put("keyMaterialId", "abc\"def");
        CloudTrailEvent rotate = emitter.emitServiceEvent("RotateKey", key, details, additional);
        assertSame(rotate, TreeBuiltRecords.bytes(TreeBuiltRecords.serviceEvent("RotateKey", key, services.clock().instant()
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS), details, additional, rotate.eventId())));
        CloudTrailEvent delete = emitter.emitServiceEvent("DeleteKey", key, null, null);
        assertSame(delete, TreeBuiltRecords.bytes(TreeBuiltRecords.serviceEvent("DeleteKey", key, delete.eventTime(),
                null, null, delete.eventId())));
        assertThat(delete.keyArn()).isEqualTo(key.arn());
    }

    record Call(JsonNode response, List<CloudTrailEvent> events) {
    }

    /** Runs one operation as the dispatcher does, emits its record(s) and compares each with the tree-built one. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Call call(String accessKey, String operation, String body, String via, String userAgent, String host) {
        Caller caller = identities.caller(accessKey).orElseThrow();
        CallContext ctx = new CallContext(services, caller, "us-east-1", "req-" + (++requests),
                services.clock().instant(), "198.51.100.7", userAgent, via, host);
        OperationHandler handler = handlers.get(operation);
        Object request;
        try {
            request = ApiJson.WIRE.readValue(body, handler.requestType());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Object response = null;
        String code = null;
        String message = null;
        try {
            response = handler.handle(request, ctx);
        } catch (KmsServiceException e) {
            code = e.type();
            message = e.getMessage();
        }
        JsonNode params = handler.requestParameters(request);
        JsonNode elements = response == null ? null : handler.responseElements(request, response);
        List<CloudTrailEvent> events = emitter.emitApiCall(ctx, operation, handler.readOnly(), params, elements, code,
                message);
        for (CloudTrailEvent e : events) {
            assertSame(e, TreeBuiltRecords.bytes(TreeBuiltRecords.apiRecord(ctx, operation, handler.readOnly(), params,
                    elements, code, message, e.recipientAccountId(), e.sharedEventId(), e.eventId())));
        }
        return new Call(response == null ? null : ApiJson.WIRE.valueToTree(response), events);
    }

    /** Same bytes as the tree-built record, and the same model as parsing them gives. */
    void assertSame(CloudTrailEvent written, byte[] treeBuilt) {
        compared.add(written);
        assertThat(new String(written.unsafeRawBytes(), StandardCharsets.UTF_8))
                .isEqualTo(new String(treeBuilt, StandardCharsets.UTF_8));
        assertSameModel(written, CloudTrailEvent.parse(treeBuilt));
    }

    static void assertSameModel(CloudTrailEvent a, CloudTrailEvent parsed) {
        assertThat(a.eventId()).isEqualTo(parsed.eventId());
        assertThat(a.eventIdDerived()).isEqualTo(parsed.eventIdDerived());
        assertThat(a.fieldsVerbatim()).isEqualTo(parsed.fieldsVerbatim()).isTrue();
        assertThat(a.eventTime()).isEqualTo(parsed.eventTime());
        assertThat(a.eventVersion()).isEqualTo(parsed.eventVersion());
        assertThat(a.eventSource()).isEqualTo(parsed.eventSource());
        assertThat(a.eventName()).isEqualTo(parsed.eventName());
        assertThat(a.eventType()).isEqualTo(parsed.eventType());
        assertThat(a.eventCategory()).isEqualTo(parsed.eventCategory());
        assertThat(a.awsRegion()).isEqualTo(parsed.awsRegion());
        assertThat(a.userIdentity()).isEqualTo(parsed.userIdentity());
        assertThat(a.sourceIpAddress()).isEqualTo(parsed.sourceIpAddress());
        assertThat(a.userAgent()).isEqualTo(parsed.userAgent());
        assertThat(a.errorCode()).isEqualTo(parsed.errorCode());
        assertThat(a.errorMessage()).isEqualTo(parsed.errorMessage());
        assertThat(a.requestId()).isEqualTo(parsed.requestId());
        assertThat(a.recipientAccountId()).isEqualTo(parsed.recipientAccountId());
        assertThat(a.sharedEventId()).isEqualTo(parsed.sharedEventId());
        assertThat(a.vpcEndpointId()).isEqualTo(parsed.vpcEndpointId());
        assertThat(a.readOnly()).isEqualTo(parsed.readOnly());
        assertThat(a.managementEvent()).isEqualTo(parsed.managementEvent());
        assertThat(a.resources()).isEqualTo(parsed.resources());
        assertThat(a.requestParameters()).isEqualTo(parsed.requestParameters());
        assertThat(a.responseElements()).isEqualTo(parsed.responseElements());
        assertThat(a.additionalEventData()).isEqualTo(parsed.additionalEventData());
        assertThat(a.serviceEventDetails()).isEqualTo(parsed.serviceEventDetails());
        assertThat(a.keyArn()).isEqualTo(parsed.keyArn());
        assertThat(a.partitionKey()).isEqualTo(parsed.partitionKey());
        assertThat(a.isCrossAccount()).isEqualTo(parsed.isCrossAccount());
        assertThat(a.isServiceCaller()).isEqualTo(parsed.isServiceCaller());
        assertThat(a).isEqualTo(parsed);
    }

    static ObjectNode statement(String sid, String principal, String action) {
        ObjectNode s = Json.MAPPER.createObjectNode().put("Sid", sid).put("Effect", "Allow").put("Action", action)
                .put("Resource", "*");
        s.putObject("Principal").put("AWS", principal);
        return s;
    }

    static String json(Object... membersAndValues) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < membersAndValues.length; i += 2) {
            m.put((String) membersAndValues[i], membersAndValues[i + 1]);
        }
        try {
            return Json.MAPPER.writeValueAsString(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
