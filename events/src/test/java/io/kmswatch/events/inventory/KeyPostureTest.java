package io.kmswatch.events.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyPostureTest {
    private static final String ACCOUNT = "111122223333";
    private static final String ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String DEFAULT_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Enable IAM User"
            + " Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},"
            + "\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";
    private static final String PUBLIC_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"open\","
            + "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}";

    static KeySnapshot key(String manager, String state, String origin, String spec, Boolean rotation, String role,
                           String policy, List<KeyGrant> grants) {
        return new KeySnapshot(Instant.parse("2026-03-02T08:00:00Z"), ARN, ACCOUNT, "us-east-1", "1234abcd-12ab-34cd-56ef-1234567890ab",
                manager, state, origin, spec, "ENCRYPT_DECRYPT", "", null,
                "PendingDeletion".equals(state) ? Instant.parse("2026-03-09T08:00:00Z") : null,
                "PendingDeletion".equals(state) ? 7 : null, rotation, 365, null, role, null, List.of(), Map.of(), policy,
                grants, Map.of());
    }

    @Test
    void shouldFindNothingButIamDelegationOnAWellKeptKey() {
        KeyPosture p = KeyPosture.of(key("CUSTOMER", "Enabled", "AWS_KMS", "SYMMETRIC_DEFAULT", true, null,
                DEFAULT_POLICY, List.of()), a -> false);
        assertThat(p.findings()).extracting(PostureFinding::id).containsExactly(KeyPosture.IAM_DECIDES);
        assertThat(p.alertedIds()).isEmpty();
        assertThat(p.iamDecides()).isTrue();
    }

    @Test
    void shouldReportPendingDeletionRotationOffPublicAndExternalGrant() {
        KeyGrant external = new KeyGrant("g1", null, "arn:aws:iam::444455556666:role/app", null,
                "arn:aws:iam::111122223333:root", List.of("Decrypt"), null);
        KeyGrant service = new KeyGrant("g2", null, "arn:aws:iam::111122223333:role/app", "s3.amazonaws.com",
                "arn:aws:iam::111122223333:root", List.of("Decrypt"), null);
        KeyPosture p = KeyPosture.of(key("CUSTOMER", "Disabled", "AWS_KMS", "SYMMETRIC_DEFAULT", false, null,
                PUBLIC_POLICY, List.of(external, service)), a -> false);
        assertThat(p.alertedIds()).containsExactly(KeyPosture.ROTATION_DISABLED, KeyPosture.PUBLIC,
                KeyPosture.GRANT_EXTERNAL);
        assertThat(p.externalGrants()).containsExactly(external);
        assertThat(p.findings()).filteredOn(f -> f.id().equals(KeyPosture.PUBLIC)).extracting(PostureFinding::control)
                .containsExactly("KMS.5");

        KeyPosture pending = KeyPosture.of(key("CUSTOMER", "PendingDeletion", "AWS_KMS", "SYMMETRIC_DEFAULT", false, null,
                DEFAULT_POLICY, List.of()), a -> false);
        assertThat(pending.alertedIds()).containsExactly(KeyPosture.PENDING_DELETION);
    }

    @Test
    void shouldTreatTrustedAccountGrantsAsInternal() {
        KeyGrant partner = new KeyGrant("g1", null, "arn:aws:iam::444455556666:role/app", null, null, List.of("Decrypt"), null);
        KeyPosture p = KeyPosture.of(key("CUSTOMER", "Enabled", "AWS_KMS", "SYMMETRIC_DEFAULT", true, null,
                DEFAULT_POLICY, List.of(partner)), "444455556666"::equals);
        assertThat(p.alertedIds()).isEmpty();
    }

    @Test
    void shouldNotJudgeAwsManagedKeysNorKeysThatCannotRotate() {
        assertThat(KeyPosture.of(key("AWS", "PendingDeletion", "AWS_KMS", "SYMMETRIC_DEFAULT", false, null, PUBLIC_POLICY,
                List.of()), a -> false).findings()).isEmpty();
        assertThat(KeyPosture.of(key("CUSTOMER", "Enabled", "EXTERNAL", "SYMMETRIC_DEFAULT", false, null, null,
                List.of()), a -> false).findings()).isEmpty();
        assertThat(KeyPosture.of(key("CUSTOMER", "Enabled", "AWS_KMS", "RSA_2048", false, null, null,
                List.of()), a -> false).findings()).isEmpty();
        assertThat(KeyPosture.of(key("CUSTOMER", "Enabled", "AWS_KMS", "SYMMETRIC_DEFAULT", false, "REPLICA", null,
                List.of()), a -> false).findings()).isEmpty();
    }

    @Test
    void shouldRoundTripThroughJson() throws Exception {
        KeySnapshot k = key("CUSTOMER", "PendingDeletion", "AWS_KMS", "SYMMETRIC_DEFAULT", false, "PRIMARY", PUBLIC_POLICY,
                List.of(new KeyGrant("g", "n", "p", null, null, List.of("Encrypt"), Instant.EPOCH)));
        assertThat(Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(k), KeySnapshot.class)).isEqualTo(k);
    }
}
