package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.DetectionsConfig;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CustomKeyStoreChangedDetectionTest {
    private static final String ID = CustomKeyStoreChangedDetection.ID;

    private static CloudTrailFixtures.Builder storeOp(String name) {
        return event(name).withoutResources().keyIdAsGiven("unused").param("customKeyStoreId", "cks-1234567890abcdef0");
    }

    @ParameterizedTest
    @CsvSource({"CreateCustomKeyStore,MEDIUM", "UpdateCustomKeyStore,MEDIUM", "ConnectCustomKeyStore,MEDIUM",
            "DisconnectCustomKeyStore,HIGH", "DeleteCustomKeyStore,HIGH"})
    void shouldFireForEveryKeyStoreChange(String eventName, Severity severity) {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(storeOp(eventName).at(T0)).detections()).singleElement().satisfies(d -> {
                assertThat(d.severity()).isEqualTo(severity);
                assertThat(d.attributes()).containsEntry("customKeyStoreId", "cks-1234567890abcdef0");
                assertThat(d.runbook().commands().get(0)).startsWith("aws kms describe-custom-key-stores --region us-east-1");
            });
        }
    }

    @Test
    void shouldFireForAKeyCreatedInAnExternalKeyStoreOnly() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(event("CreateKey").param("origin", "AWS_KMS")).detections()).isEmpty();
            assertThat(h.pipe(event("CreateKey").param("origin", "EXTERNAL_KEY_STORE")).detections()).hasSize(1);
        }
    }

    @Test
    void shouldNotFireForDescribe() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(storeOp("DescribeCustomKeyStores")).detections()).isEmpty();
        }
    }

    @Test
    void shouldGiveSameFingerprintsForOutOfOrderInput() {
        List<CloudTrailEvent> events = Harness.build(List.of(storeOp("CreateCustomKeyStore").at(T0),
                storeOp("ConnectCustomKeyStore").at(T0.plusSeconds(60))));
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID);
        assertThat(Harness.identities(c, List.of(events.get(1), events.get(0)))).isEqualTo(Harness.identities(c, events));
    }

    @Test
    void shouldFireOnceWhenRecordDeliveredTwice() {
        CloudTrailEvent e = storeOp("DeleteCustomKeyStore").build();
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(e).pipe(e).detections()).hasSize(1);
        }
    }

    @Test
    void shouldFireForAServiceActingForAPrincipal() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(storeOp("ConnectCustomKeyStore").invokedBy("cloudformation.amazonaws.com")).detections())
                    .hasSize(1);
        }
    }

    @Test
    void shouldNotFireWhenCallFailed() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(storeOp("ConnectCustomKeyStore").error("CustomKeyStoreInvalidStateException", "x"))
                    .detections()).isEmpty();
        }
    }
}
