package io.kmswatch.emulator.traffic;

import io.kmswatch.emulator.traffic.TrafficProfile.Application;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.MacAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One unit of each application's everyday work, as the AWS services and SDKs really call KMS. Each method
 * makes one to three calls through the {@link TrafficContext}.
 */
final class Workloads {

    private Workloads() {
    }

    /** Runs one unit of an application's workload. */
    static void run(TrafficContext ctx, Application app) {
        String w = app.workload().name().toLowerCase(java.util.Locale.ROOT);
        switch (app.workload()) {
            case ENVELOPE -> envelope(ctx, w, app.name(), app.name(), Map.of("app", app.name()), 0.8);
            case S3 -> envelope(ctx, w, app.name(), app.name(),
                    Map.of("aws:s3:arn", "arn:aws:s3:::" + app.name() + "-bucket/part-" + ctx.random().nextInt(5000)), 0.6);
            case EBS -> ebs(ctx, w, app.name());
            case LAMBDA -> lambdaColdStart(ctx, w, app.name());
            case SECRETS -> envelope(ctx, w, app.name(), app.name(), Map.of("SecretARN", "arn:aws:secretsmanager:"
                    + ctx.world().profile().region() + ":" + ctx.world().principal(app.name()).accountId()
                    + ":secret:db-password-" + ctx.random().nextInt(4)), 0.9);
            case SIGNING -> sign(ctx, w, app.name());
            case HMAC -> hmac(ctx, w, app.name());
            case PARTNER -> partner(ctx, w, app.name());
            case STAGING -> envelope(ctx, w, app.name(), app.name(), Map.of("app", app.name()), 0.7);
            case ADMIN -> admin(ctx, w, app.name());
            case MISTAKES -> mistake(ctx, w, app.name());
        }
    }

    /** GenerateDataKey, and with probability {@code decryptShare} a Decrypt of an earlier data key. */
    static void envelope(TrafficContext ctx, String workload, String principal, String alias,
                         Map<String, String> context, double decryptShare) {
        String keyArn = ctx.keyArn(alias);
        ctx.call(workload, principal, "GenerateDataKey", kms -> kms.generateDataKey(r -> r
                        .keyId("alias/" + alias).keySpec(DataKeySpec.AES_256).encryptionContext(context)))
                .ifPresent(r -> ctx.remember(alias, r.ciphertextBlob(), context));
        if (ctx.random().nextDouble() < decryptShare) {
            decrypt(ctx, workload, principal, alias, keyArn);
        }
    }

    /** Decrypt of a stored data key of {@code alias}. */
    static void decrypt(TrafficContext ctx, String workload, String principal, String alias, String keyArn) {
        decryptFrom(ctx, workload, principal, null, alias, keyArn);
    }

    static void decryptFrom(TrafficContext ctx, String workload, String principal, String sourceIp, String alias,
                            String keyArn) {
        ctx.anyCiphertext(alias).ifPresent(c -> ctx.call(workload, principal, sourceIp, "Decrypt", kms -> kms.decrypt(r -> r
                .keyId(keyArn).ciphertextBlob(c.blob()).encryptionContext(c.encryptionContext()))));
    }

    private static void ebs(TrafficContext ctx, String workload, String principal) {
        Map<String, String> context = Map.of("aws:ebs:id", String.format("vol-%017x", ctx.random().nextLong() >>> 8));
        ctx.call(workload, principal, "GenerateDataKeyWithoutPlaintext", kms -> kms.generateDataKeyWithoutPlaintext(r -> r
                        .keyId("alias/" + principal).keySpec(DataKeySpec.AES_256).encryptionContext(context)))
                .ifPresent(r -> ctx.remember(principal, r.ciphertextBlob(), context));
        decrypt(ctx, workload, principal, principal, ctx.keyArn(principal));
    }

    private static void lambdaColdStart(TrafficContext ctx, String workload, String principal) {
        if (ctx.anyCiphertext(principal).isEmpty()) {
            Map<String, String> context = Map.of("LambdaFunctionName", principal);
            ctx.call(workload, principal, "Encrypt", kms -> kms.encrypt(r -> r.keyId("alias/" + principal)
                            .plaintext(SdkBytes.fromUtf8String("DB_PASSWORD=example")).encryptionContext(context)))
                    .ifPresent(r -> ctx.remember(principal, r.ciphertextBlob(), context));
        }
        decrypt(ctx, workload, principal, principal, ctx.keyArn(principal));
    }

    private static void sign(TrafficContext ctx, String workload, String principal) {
        byte[] artifact = ("build-" + ctx.random().nextInt(100_000)).getBytes(StandardCharsets.UTF_8);
        ctx.call(workload, principal, "Sign", kms -> kms.sign(r -> r.keyId("alias/" + principal)
                        .message(SdkBytes.fromByteArray(artifact)).messageType(MessageType.RAW)
                        .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256)))
                .ifPresent(s -> {
                    if (ctx.random().nextDouble() < 0.5) {
                        ctx.call(workload, principal, "Verify", kms -> kms.verify(r -> r.keyId("alias/" + principal)
                                .message(SdkBytes.fromByteArray(artifact)).messageType(MessageType.RAW)
                                .signature(s.signature()).signingAlgorithm(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256)));
                    }
                });
    }

    private static void hmac(TrafficContext ctx, String workload, String principal) {
        byte[] payload = ("{\"event\":\"order.paid\",\"id\":" + ctx.random().nextInt(1_000_000) + "}")
                .getBytes(StandardCharsets.UTF_8);
        ctx.call(workload, principal, "GenerateMac", kms -> kms.generateMac(r -> r.keyId("alias/" + principal)
                        .message(SdkBytes.fromByteArray(payload)).macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256)))
                .ifPresent(m -> ctx.call(workload, principal, "VerifyMac", kms -> kms.verifyMac(r -> r
                        .keyId("alias/" + principal).message(SdkBytes.fromByteArray(payload))
                        .macAlgorithm(MacAlgorithmSpec.HMAC_SHA_256).mac(m.mac()))));
    }

    /** The trusted partner's cross-account use of the shared key (by ARN, as cross-account calls must). */
    static void partner(TrafficContext ctx, String workload, String principal) {
        String keyArn = ctx.keyArn(TrafficWorld.SHARED_KEY);
        Map<String, String> context = Map.of("partner", principal);
        ctx.call(workload, principal, "GenerateDataKey", kms -> kms.generateDataKey(r -> r.keyId(keyArn)
                        .keySpec(DataKeySpec.AES_256).encryptionContext(context)))
                .ifPresent(r -> ctx.remember(TrafficWorld.SHARED_KEY + "@partner", r.ciphertextBlob(), context));
        ctx.anyCiphertext(TrafficWorld.SHARED_KEY + "@partner").ifPresent(c -> ctx.call(workload, principal, "Decrypt",
                kms -> kms.decrypt(r -> r.keyId(keyArn).ciphertextBlob(c.blob()).encryptionContext(c.encryptionContext()))));
    }

    private static void admin(TrafficContext ctx, String workload, String principal) {
        double roll = ctx.random().nextDouble();
        List<String> aliases = List.copyOf(ctx.keyArns().keySet().stream().sorted().toList());
        if (roll < 0.5 && !aliases.isEmpty()) {
            String alias = aliases.get(ctx.random().nextInt(aliases.size()));
            String arn = ctx.keyArn(alias);
            if (arn.contains(":" + ctx.world().principal(principal).accountId() + ":")) {
                ctx.call(workload, principal, "DescribeKey", kms -> kms.describeKey(r -> r.keyId(arn)));
            }
        } else if (roll < 0.7) {
            ctx.call(workload, principal, "ListAliases", kms -> kms.listAliases(r -> r.limit(50)));
        } else if (roll < 0.85) {
            ctx.call(workload, principal, "ListKeys", kms -> kms.listKeys(r -> r.limit(50)));
        } else if (roll < 0.95) {
            ctx.call(workload, principal, "GetKeyRotationStatus", kms -> kms.getKeyRotationStatus(r -> r
                    .keyId(ctx.keyArn(ctx.world().profile().first(TrafficProfile.Workload.ENVELOPE).name()))));
        } else {
            Setup.routineKey(ctx, principal, "routine-" + Integer.toHexString(ctx.random().nextInt(0x10000)));
        }
    }

    private static void mistake(TrafficContext ctx, String workload, String principal) {
        String victim = ctx.world().profile().first(TrafficProfile.Workload.ENVELOPE).name();
        if (ctx.random().nextBoolean()) {
            ctx.call(workload, principal, "DescribeKey", kms -> kms.describeKey(r -> r.keyId("alias/" + victim)));
        } else {
            // The intern's IAM policy allows Describe*/List* only: this Decrypt is an honest AccessDenied.
            decrypt(ctx, workload, principal, victim, ctx.keyArn(victim));
        }
    }
}
