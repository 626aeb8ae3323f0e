package io.kmswatch.emulator.traffic;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.OriginType;

import java.time.Duration;
import java.util.List;

/**
 * Encryption with an attacker's key (the ransomware pattern): the outsider creates a key in their own account
 * that the production account may use, and a production application encrypts with it by ARN.
 */
final class ExternalKeyEncryptionScenario implements Scenario {
    @Override
    public String type() {
        return "external-key-encryption";
    }

    @Override
    public List<String> expectedDetections() {
        // Only external-key-encryption: cross-account-key-use is the key owner's view ("our key used by
        // another account"), and the attacker's key is not ours.
        return List.of("external-key-encryption");
    }

    @Override
    public Duration naturalLength() {
        return Duration.ofMinutes(15);
    }

    @Override
    public void plan(ScenarioPlan plan) {
        String app = Incidents.envelopeApp(plan.world());
        String alias = "attacker-" + plan.index();
        String external = plan.world().profile().accounts().external();
        String production = plan.world().profile().accounts().production();
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":["
                + TrafficWorld.statement("Owner", "arn:aws:iam::" + external + ":root", "\"kms:*\"", null) + ","
                + TrafficWorld.statement("VictimMayEncrypt", "arn:aws:iam::" + production + ":root",
                "[\"kms:Encrypt\",\"kms:GenerateDataKey\",\"kms:DescribeKey\"]", null) + "]}";
        plan.subject(alias, app);
        plan.account(production);
        plan.at(0.0, ctx -> Setup.createKey(ctx, "scenario", TrafficWorld.OUTSIDER, alias, "SYMMETRIC_DEFAULT",
                "ENCRYPT_DECRYPT", policy, List.of(), false, OriginType.AWS_KMS));
        plan.spread(8, 0.2, 0.8, ctx -> ctx.call("scenario", app, "Encrypt", kms -> kms.encrypt(r -> r
                .keyId(ctx.keyArn(alias)).plaintext(SdkBytes.fromUtf8String("customer-record")))));
        plan.spread(4, 0.25, 0.85, ctx -> ctx.call("scenario", app, "GenerateDataKey", kms -> kms.generateDataKey(r -> r
                .keyId(ctx.keyArn(alias)).keySpec(DataKeySpec.AES_256))));
    }
}
