package io.kmswatch.emulator.traffic;

import io.kmswatch.emulator.EmulatorConfig;
import io.kmswatch.emulator.EmulatorException;
import io.kmswatch.emulator.policy.PolicyDecision;
import io.kmswatch.emulator.policy.PolicyDocument;
import io.kmswatch.emulator.policy.PolicyEvaluator;
import io.kmswatch.emulator.policy.PolicyRequest;
import io.kmswatch.emulator.traffic.TrafficWorld.KeyPlan;
import io.kmswatch.emulator.traffic.TrafficWorld.Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrafficWorldTest {

    private final TrafficWorld world = TrafficWorld.create(TrafficProfile.defaults(), 42);
    private final PolicyEvaluator evaluator = new PolicyEvaluator();

    @Test
    void shouldDeriveSameCredentialsFromSameSeed() {
        assertThat(TrafficWorld.create(TrafficProfile.defaults(), 42).principals()).isEqualTo(world.principals());
    }

    @Test
    void shouldDeriveOtherCredentialsFromOtherSeed() {
        Principal other = TrafficWorld.create(TrafficProfile.defaults(), 43).principal("orders-api");

        assertThat(other.accessKeyId()).isNotEqualTo(world.principal("orders-api").accessKeyId());
        assertThat(other.arn()).isEqualTo(world.principal("orders-api").arn());
    }

    @Test
    void shouldGiveRoleSessionsTemporaryKeysAndEachDirectCallerItsOwnAddress() {
        assertThat(world.principal("orders-api").accessKeyId()).startsWith("ASIA").hasSize(20);
        assertThat(world.principal("kms-admin").accessKeyId()).startsWith("AKIA");
        assertThat(world.principal("orders-api").arn())
                .isEqualTo("arn:aws:sts::111122223333:assumed-role/orders-api/orders-api-session");
        assertThat(world.principal(TrafficWorld.ROOT).arn()).isEqualTo("arn:aws:iam::111122223333:root");
        assertThat(world.principal("data-lake").viaService()).isEqualTo("s3.amazonaws.com");
        assertThat(world.principals().stream().map(Principal::sourceIp).distinct().count())
                .isEqualTo(world.principals().size());
        assertThat(world.principal("orders-api").toString()).doesNotContain(world.principal("orders-api").secretAccessKey());
    }

    @Test
    void shouldBeAcceptedByTheEmulatorConfig() {
        EmulatorConfig config = world.emulatorConfig(EmulatorConfig.defaults());

        assertThat(config.accounts()).extracting(EmulatorConfig.AccountConfig::id)
                .containsExactly("111122223333", "222233334444", "333344445555", "444455556666", "999900001111");
        assertThat(config.accounts().get(0).roles()).extracting(EmulatorConfig.RoleConfig::name).contains("orders-api");
    }

    @Test
    void shouldWriteKeyPoliciesInTheGuidesAdminUserSplit() {
        for (KeyPlan key : world.keys()) {
            PolicyDocument doc = PolicyDocument.parseKeyPolicy(world.keyPolicy(key));
            assertThat(doc.statements()).extracting(s -> s.sid())
                    .startsWith("Enable IAM User Permissions", "Allow administration of the key", "Allow use of the key");
        }
    }

    @Test
    void shouldLetTheApplicationUseItsKeyAndNotTheIntern() {
        KeyPlan orders = world.keys().stream().filter(k -> k.alias().equals("orders-api")).findFirst().orElseThrow();

        assertThat(decide(world.principal("orders-api"), "kms:Decrypt", orders).allowed()).isTrue();
        assertThat(decide(world.principal("intern"), "kms:Decrypt", orders).allowed()).isFalse();
        assertThat(decide(world.principal("intern"), "kms:DescribeKey", orders).allowed()).isTrue();
        assertThat(decide(world.principal(TrafficWorld.OUTSIDER), "kms:Decrypt", orders).allowed()).isFalse();
    }

    @Test
    void shouldShareTheSharedKeyWithThePartnerOnly() {
        KeyPlan shared = world.keys().stream().filter(k -> k.alias().equals(TrafficWorld.SHARED_KEY)).findFirst().orElseThrow();

        assertThat(decide(world.principal("partner-analytics"), "kms:Decrypt", shared).allowed()).isTrue();
        assertThat(decide(world.principal("partner-analytics"), "kms:ScheduleKeyDeletion", shared).allowed()).isFalse();
        assertThat(decide(world.principal(TrafficWorld.OUTSIDER), "kms:Decrypt", shared).allowed()).isFalse();
    }

    @Test
    void shouldLoadProfileFromYaml(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("world.yaml");
        Files.writeString(file, """
                accounts: {production: "123456789012"}
                applications:
                  - {name: shop, workload: envelope, weight: 10}
                  - {name: ops, workload: admin}
                  - {name: acme, workload: partner}
                  - {name: temp, workload: mistakes}
                """);

        TrafficWorld custom = TrafficWorld.create(TrafficProfile.load(file), 1);

        assertThat(custom.principal("shop").accountId()).isEqualTo("123456789012");
        assertThat(custom.keys()).extracting(KeyPlan::alias).containsExactly("shop", TrafficWorld.SHARED_KEY);
    }

    @Test
    void shouldRejectProfileWithoutAnAdministrator() {
        assertThatThrownBy(() -> new TrafficProfile(null, null, List.of(
                new TrafficProfile.Application("shop", TrafficProfile.Workload.ENVELOPE, 1.0))))
                .isInstanceOf(EmulatorException.class).hasMessageContaining("admin");
    }

    private PolicyDecision decide(Principal p, String action, KeyPlan key) {
        String keyArn = "arn:aws:kms:us-east-1:" + key.accountId() + ":key/00000000-0000-0000-0000-000000000000";
        return evaluator.evaluate(new PolicyRequest(p.arn(), p.accountId(), action, keyArn, key.accountId(),
                world.keyPolicy(key), p.identityPolicy() == null ? List.of() : List.of(p.identityPolicy()), List.of(),
                Map.of(), Map.of()));
    }
}
