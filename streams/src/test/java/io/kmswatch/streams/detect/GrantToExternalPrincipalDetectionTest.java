package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.KEY_ARN;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.createGrant;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.streams.DetectionsConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrantToExternalPrincipalDetectionTest {
    private static final String ID = GrantToExternalPrincipalDetection.ID;
    private static final String EXTERNAL = "arn:aws:iam::444455556666:role/partner";

    @Test
    void shouldFireForGranteeInAnotherAccountWithRevokeCommand() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(createGrant(EXTERNAL, "Decrypt").at(T0)).detections()).singleElement().satisfies(d -> {
                assertThat(d.attributes()).containsEntry("grantee", EXTERNAL);
                assertThat(d.runbook().commands()).anyMatch(c -> c.startsWith("aws kms revoke-grant --key-id " + KEY_ARN));
            });
        }
    }

    @Test
    void shouldFireForExternalRetiringPrincipal() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(createGrant("arn:aws:iam::111122223333:role/app", "Decrypt")
                    .param("retiringPrincipal", EXTERNAL)).detections()).hasSize(1);
        }
    }

    @Test
    void shouldNotFireForOwnTrustedOrServiceGrantees() {
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID).withTrustedAccounts(List.of("777788889999"));
        try (Harness h = new Harness(c)) {
            assertThat(h.pipe(createGrant("arn:aws:iam::111122223333:role/app", "Decrypt"),
                    createGrant("arn:aws:iam::777788889999:role/ci", "Decrypt"),
                    createGrant("111122223333:aws:ec2-infrastructure:i-0123", "Decrypt"),
                    createGrant("logs.us-east-1.amazonaws.com", "Encrypt")).detections()).isEmpty();
        }
    }

    @Test
    void shouldGiveSameFingerprintsForOutOfOrderInput() {
        List<CloudTrailEvent> events = Harness.build(List.of(createGrant(EXTERNAL, "Decrypt").at(T0),
                createGrant("arn:aws:iam::444455556666:role/other", "Decrypt").at(T0.plusSeconds(60))));
        DetectionsConfig c = DetectionsConfig.defaultConfig().onlyEnabled(ID);
        assertThat(Harness.identities(c, List.of(events.get(1), events.get(0)))).isEqualTo(Harness.identities(c, events));
    }

    @Test
    void shouldFireOnceWhenRecordDeliveredTwice() {
        CloudTrailEvent e = createGrant(EXTERNAL, "Decrypt").build();
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(e).pipe(e).detections()).hasSize(1);
        }
    }

    @Test
    void shouldNotFireForGrantsAnAllowedServiceCreatesForAPrincipal() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(createGrant(EXTERNAL, "Decrypt").invokedBy("ec2.amazonaws.com")).detections()).isEmpty();
            assertThat(h.pipe(createGrant(EXTERNAL, "Decrypt").invokedBy("unknown.example.com")).detections()).hasSize(1);
        }
    }

    @Test
    void shouldNotFireWhenCreateGrantFailed() {
        try (Harness h = Harness.only(ID)) {
            assertThat(h.pipe(createGrant(EXTERNAL, "Decrypt").error("AccessDeniedException", "no")).detections()).isEmpty();
        }
    }
}
