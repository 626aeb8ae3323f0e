package io.kmswatch.events;

import static io.kmswatch.events.CloudTrailFixtures.ACCOUNT;
import static io.kmswatch.events.CloudTrailFixtures.KEY_ARN;
import static io.kmswatch.events.CloudTrailFixtures.OTHER_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CloudTrailEventTest {
    private static final String FOREIGN_KEY = "arn:aws:kms:us-east-1:" + OTHER_ACCOUNT + ":key/abcd-0000";

    @Test
    void shouldTakeKeyArnFromResources() {
        CloudTrailEvent e = CloudTrailFixtures.decrypt().keyOnlyInResources().build();
        assertThat(e.keyArn()).isEqualTo(KEY_ARN);
        assertThat(e.keyAccountId()).isEqualTo(ACCOUNT);
        assertThat(e.operation()).isEqualTo(KmsOperation.DECRYPT);
    }

    @Test
    void shouldQualifyABareKeyIdWithTheCallersAccountAndRegion() {
        CloudTrailEvent e = CloudTrailFixtures.disableKey().keyIdAsGiven("1234abcd-12ab-34cd-56ef-1234567890ab").build();
        assertThat(e.keyArn()).isEqualTo(KEY_ARN);
    }

    @Test
    void shouldNotInventAKeyArnForAnAlias() {
        CloudTrailEvent e = CloudTrailFixtures.encrypt().keyIdAsGiven("alias/app").build();
        assertThat(e.keyArn()).isNull();
        assertThat(e.partitionKey()).isEqualTo(ACCOUNT + ":us-east-1");
    }

    @Test
    void shouldTakeKeyArnFromCreateKeyResponse() {
        CloudTrailEvent e = CloudTrailFixtures.event("CreateKey").withoutResources()
                .keyIdAsGiven("ignored-alias-free").response("keyMetadata", java.util.Map.of("arn", KEY_ARN)).build();
        assertThat(e.keyArn()).isEqualTo(KEY_ARN);
    }

    @Test
    void shouldTellCrossAccountCallsApart() {
        CloudTrailEvent foreign = CloudTrailFixtures.decrypt().key(FOREIGN_KEY).build();
        CloudTrailEvent own = CloudTrailFixtures.decrypt().build();
        assertThat(foreign.isCrossAccount()).isTrue();
        assertThat(foreign.callerAccountId()).isEqualTo(ACCOUNT);
        assertThat(foreign.keyAccountId()).isEqualTo(OTHER_ACCOUNT);
        assertThat(own.isCrossAccount()).isFalse();
    }

    @Test
    void shouldUseTheRoleNotTheSessionAsPrincipal() {
        CloudTrailEvent e = CloudTrailFixtures.decrypt().principal("arn:aws:iam::111122223333:role/app").build();
        assertThat(e.userIdentity().arn()).isEqualTo("arn:aws:sts::111122223333:assumed-role/app/session");
        assertThat(e.principal()).isEqualTo("arn:aws:iam::111122223333:role/app");
    }

    @Test
    void shouldClassifyServiceCallers() {
        assertThat(CloudTrailFixtures.decrypt().invokedBy("secretsmanager.amazonaws.com").build().isServiceCaller()).isTrue();
        assertThat(CloudTrailFixtures.event("RotateKey").serviceEvent(ACCOUNT).build().isServiceCaller()).isTrue();
        assertThat(CloudTrailFixtures.decrypt().sourceIp("AWS Internal").build().isServiceCaller()).isTrue();
        assertThat(CloudTrailFixtures.decrypt().build().isServiceCaller()).isFalse();
    }

    @Test
    void shouldReportFailureFromErrorCode() {
        CloudTrailEvent failed = CloudTrailFixtures.decrypt().error("DisabledException", "key is disabled").build();
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.errorCode()).isEqualTo("DisabledException");
        assertThat(CloudTrailFixtures.decrypt().build().succeeded()).isTrue();
    }

    @Test
    void shouldRecogniseTheRootUser() {
        CloudTrailEvent e = CloudTrailFixtures.decrypt().principal("arn:aws:iam::111122223333:root").build();
        assertThat(e.userIdentity().isRoot()).isTrue();
        assertThat(e.principal()).isEqualTo("arn:aws:iam::111122223333:root");
    }

    @Test
    void shouldMapUnknownOperationsToUnknown() {
        assertThat(KmsOperation.fromValue("FutureOperation")).isEqualTo(KmsOperation.UNKNOWN);
        assertThat(KmsOperation.fromValue(null)).isEqualTo(KmsOperation.UNKNOWN);
        assertThat(KmsOperation.fromValue("GenerateDataKeyPairWithoutPlaintext").isDecryptLike()).isTrue();
    }

    @Test
    void shouldParseNestedParametersLazilyAndKeepStringPolicies() {
        CloudTrailEvent e = CloudTrailFixtures.putKeyPolicy("{\"Statement\":[]}").build();
        assertThat(e.requestParameters().path("policy").isTextual()).isTrue();
        assertThat(e.responseElements().isNull()).isTrue();
        assertThat(e.toString()).doesNotContain("Statement");
    }

    @Test
    void shouldRefuseNonObjects() {
        assertThatThrownBy(() -> CloudTrailEvent.parse("[1]")).isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> CloudTrailEvent.parse("{\"eventTime\":")).isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void shouldRoundTripDetectionsAndAlertsAsJson() {
        Detection d = new Detection("fp", "key-disabled", Severity.HIGH, "t", "s", KEY_ARN, ACCOUNT, "us-east-1",
                "p", CloudTrailFixtures.T0, CloudTrailFixtures.T0, 1, 0, java.util.List.of("e1"),
                Runbook.of(java.util.List.of("check"), java.util.List.of("aws kms enable-key")),
                java.util.Map.of("k", "v"), false);
        JsonSerde<Detection> serde = new JsonSerde<>(Detection.class);
        byte[] bytes = serde.serializer().serialize("t", d);
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(d);
        Alert a = Alert.from("a1", d, java.util.List.of("console"));
        JsonSerde<Alert> alerts = new JsonSerde<>(Alert.class);
        assertThat(alerts.deserializer().deserialize("t", alerts.serializer().serialize("t", a))).isEqualTo(a);
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).contains("\"severity\":\"high\"");
    }
}
