package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.KEY_ARN;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.event;
import static io.kmswatch.events.CloudTrailFixtures.putKeyPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.DetectionsConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyPolicyOpenedDetectionTest {
    private static final String ID = KeyPolicyOpenedDetection.ID;
    private static final String OWN = "{\"Sid\":\"Enable IAM\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
            + "\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";
    private static final String PUBLIC = "{\"Sid\":\"Open\",\"Effect\":\"Allow\",\"Principal\":\"*\","
            + "\"Action\":[\"kms:Decrypt\",\"kms:Encrypt\"],\"Resource\":\"*\"}";
    private static final String EXTERNAL = "{\"Sid\":\"Partner\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
            + "[\"arn:aws:iam::444455556666:root\"]},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}";

    private static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    @Test
    void shouldFireCriticalForPublicPolicyAndNameTheGetPolicyCommand() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(putKeyPolicy(policy(OWN, PUBLIC)).at(T0)).detections()).singleElement().satisfies(d -> {
                assertThat(d.severity()).isEqualTo(Severity.CRITICAL);
                assertThat(d.attributes()).containsEntry("openedTo", "*").containsEntry("statements", "Open");
                assertThat(d.runbook().commands()).contains("aws kms get-key-policy --key-id " + KEY_ARN
                        + " --policy-name default --region us-east-1 --output text");
            });
        }
    }

    @Test
    void shouldFireForExternalAccountUnlessTrusted() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(putKeyPolicy(policy(OWN, EXTERNAL))).detections()).singleElement()
                    .satisfies(d -> assertThat(d.severity()).isEqualTo(Severity.HIGH));
        }
        try (Harness h = new Harness(DetectionsConfig.defaultConfig().onlyEnabled(ID)
                .withTrustedAccounts(List.of("444455556666")))) {
            assertThat(h.pipe(putKeyPolicy(policy(OWN, EXTERNAL))).detections()).isEmpty();
        }
    }

    @Test
    void shouldNotFireForTheDefaultPolicyOrARestrictedStar() {
        String restricted = "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"kms:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"kms:CallerAccount\":\"111122223333\"}}}";
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(putKeyPolicy(policy(OWN)), putKeyPolicy(policy(OWN, restricted))).detections()).isEmpty();
        }
    }

    @Test
    void shouldReadCreateKeyPolicyGivenAsAnObject() {
        try (Harness h = Harness.only(ID)) {
            var b = event("CreateKey").withoutResources().keyIdAsGiven("new")
                    .param("policy", io.kmswatch.events.Json.MAPPER.readTree(policy(PUBLIC)));
            assertThat(h.pipe(b).detections()).hasSize(1);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldGiveSameFingerprintsForOutOfOrderInput() {
        List<CloudTrailEvent> events = Harness.build(List.of(putKeyPolicy(policy(PUBLIC)).at(T0),
                putKeyPolicy(policy(EXTERNAL)).at(T0.plusSeconds(60))));
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID);
        assertThat(Harness.identities(c, List.of(events.get(1), events.get(0)))).isEqualTo(Harness.identities(c, events));
    }

    @Test
    void shouldFireOnceWhenRecordDeliveredTwice() {
        CloudTrailEvent e = putKeyPolicy(policy(PUBLIC)).build();
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(e).pipe(e).detections()).hasSize(1);
        }
    }

    @Test
    void shouldReportAReopeningAfterARestoreAsASecondFinding() {
        try (Harness h = Harness.only(ID)) {
            var found = h.pipe(putKeyPolicy(policy(OWN, EXTERNAL)).at(T0), putKeyPolicy(policy(OWN)).at(T0.plusSeconds(600)),
                    putKeyPolicy(policy(OWN, EXTERNAL)).at(T0.plusSeconds(3600))).detections();
            assertThat(found).hasSize(2);
            assertThat(found.get(0).fingerprint()).isNotEqualTo(found.get(1).fingerprint());
            assertThat(found.get(1).lastEventTime()).isEqualTo(T0.plusSeconds(3600));
        }
    }

    @Test
    void shouldFireForAServiceActingForAPrincipal() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(putKeyPolicy(policy(PUBLIC)).invokedBy("cloudformation.amazonaws.com")).detections())
                    .hasSize(1);
        }
    }

    @Test
    void shouldNotFireWhenPutKeyPolicyFailed() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(putKeyPolicy(policy(PUBLIC)).error("MalformedPolicyDocumentException", "x")).detections())
                    .isEmpty();
        }
    }
}
