package io.kmswatch.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.KeyArns;
import io.kmswatch.events.Resource;

import java.util.Collection;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks an emitted record against the CloudTrail KMS record shape (cloudtrail-format.md §2–6). */
final class TrailRecords {
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final Set<String> NEVER_LOGGED = Set.of("plaintext", "ciphertextBlob", "message", "signature",
            "mac", "privateKeyPlaintext", "encryptedKeyMaterial", "importToken");
    /** Errors of requests refused before any operation ran: the caller may be unknown. */
    static final Set<String> AUTHENTICATION_ERRORS = Set.of("MissingAuthenticationTokenException",
            "IncompleteSignatureException", "UnrecognizedClientException", "InvalidSignatureException");

    private TrailRecords() {
    }

    static void assertShape(CloudTrailEvent e, Collection<String> secrets) {
        JsonNode t = e.toTree();
        assertThat(t.path("eventVersion").asText()).isEqualTo("1.11");
        assertThat(t.path("eventTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(e.eventSource()).isEqualTo("kms.amazonaws.com");
        assertThat(e.eventName()).isNotBlank();
        assertThat(e.awsRegion()).matches("[a-z]+-[a-z]+-\\d");
        assertThat(e.eventId()).matches(UUID);
        assertThat(e.eventIdDerived()).isFalse();
        assertThat(t.path("readOnly").isBoolean()).isTrue();
        assertThat(t.path("managementEvent").asBoolean()).isTrue();
        assertThat(e.eventCategory()).isEqualTo("Management");
        assertThat(e.recipientAccountId()).matches("\\d{12}");
        assertThat(t.has("requestParameters")).isTrue();
        assertThat(t.has("responseElements")).isTrue();
        boolean unknownCaller = "Unknown".equals(t.path("userIdentity").path("type").asText());
        if (unknownCaller) {
            assertThat(e.errorCode()).as("only a refused request has an unknown caller").isIn(AUTHENTICATION_ERRORS);
            assertThat(t.path("userIdentity").has("accountId")).isFalse();
            assertThat(t.path("userIdentity").has("arn")).isFalse();
            assertThat(e.resources()).isEmpty();
            assertThat(t.path("requestParameters").isNull()).isTrue();
        } else {
            assertThat(t.path("userIdentity").path("accountId").asText()).matches("\\d{12}");
        }
        for (Resource r : e.resources()) {
            assertThat(KeyArns.isKeyArn(r.arn())).as("resource ARN %s", r.arn()).isTrue();
            assertThat(r.type()).isEqualTo("AWS::KMS::Key");
            assertThat(r.accountId()).isEqualTo(KeyArns.accountOf(r.arn()));
        }
        if ("AwsApiCall".equals(e.eventType())) {
            assertThat(e.requestId()).matches(UUID);
            if (!unknownCaller) {
                assertThat(t.path("userIdentity").path("type").asText()).isIn("IAMUser", "AssumedRole", "Root");
                assertThat(e.userIdentity().arn()).startsWith("arn:aws:");
            }
            assertThat(e.sourceIpAddress()).isNotBlank();
            if (e.userIdentity().invokedBy() == null) {
                assertThat(t.path("tlsDetails").path("tlsVersion").asText()).startsWith("TLS");
            } else {
                assertThat(e.sourceIpAddress()).isEqualTo(e.userIdentity().invokedBy());
                assertThat(t.has("tlsDetails")).isFalse();
            }
            if (!e.succeeded()) {
                assertThat(e.errorCode()).isNotBlank();
            }
        } else {
            assertThat(e.eventType()).isEqualTo("AwsServiceEvent");
            assertThat(t.path("userIdentity").has("type")).isFalse();
            assertThat(t.path("userIdentity").path("invokedBy").asText()).isEqualTo("AWS Internal");
            assertThat(e.sourceIpAddress()).isEqualTo("AWS Internal");
            assertThat(t.has("requestID")).isFalse();
        }
        if (e.requestParameters() != null && e.requestParameters().isObject()) {
            for (String f : NEVER_LOGGED) {
                assertThat(e.requestParameters().has(f)).as("%s logged in %s", f, e.eventName()).isFalse();
            }
        }
        String raw = e.rawJson();
        for (String s : secrets) {
            assertThat(raw).as("record %s contains a secret", e.eventName()).doesNotContain(s);
        }
    }
}
