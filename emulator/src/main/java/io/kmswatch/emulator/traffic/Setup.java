package io.kmswatch.emulator.traffic;

import io.kmswatch.emulator.traffic.TrafficWorld.KeyPlan;
import software.amazon.awssdk.services.kms.model.CreateKeyResponse;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.Tag;

import java.util.List;
import java.util.Optional;

/**
 * Builds the world in the emulator when a run starts: every planned key with its alias, tags and key policy,
 * rotation turned on for most, and the grant the EBS workload uses. All of it through the SDK, as the
 * administrators, so the trail starts with the organisation's own setup.
 */
final class Setup {
    static final String WORKLOAD = "setup";

    private Setup() {
    }

    static void run(TrafficContext ctx) {
        TrafficWorld world = ctx.world();
        String admin = world.profile().first(TrafficProfile.Workload.ADMIN).name();
        for (KeyPlan key : world.keys()) {
            createKey(ctx, WORKLOAD, key.admin(), key.alias(), key.keySpec(), key.keyUsage(), world.keyPolicy(key),
                    List.of(tag("Application", key.user()), tag("Environment",
                            key.accountId().equals(world.profile().accounts().staging()) ? "staging" : "production")),
                    key.rotation(), OriginType.AWS_KMS);
        }
        world.profile().applications().stream().filter(a -> a.workload() == TrafficProfile.Workload.SECRETS).forEach(app ->
                // A grant bound to the secrets' encryption context, as Secrets Manager rotation setups use.
                ctx.call(WORKLOAD, admin, "CreateGrant", kms -> kms.createGrant(r -> r.keyId(ctx.keyArn(app.name()))
                        .granteePrincipal(world.principal(app.name()).policyArn())
                        .operations(GrantOperation.DECRYPT, GrantOperation.GENERATE_DATA_KEY)
                        .constraints(c -> c.encryptionContextSubset(java.util.Map.of("SecretARN", "arn:aws:secretsmanager:"
                                + world.profile().region() + ":" + world.principal(app.name()).accountId()
                                + ":secret:db-password-0")))
                        .name("rotation-" + app.name()))));
        world.profile().applications().stream().filter(a -> a.workload() == TrafficProfile.Workload.EBS).forEach(app -> {
            // What EC2 does on the customer's behalf for an encrypted volume: a grant to the role that attaches it.
            ctx.call(WORKLOAD, admin, "CreateGrant", kms -> kms.createGrant(r -> r.keyId(ctx.keyArn(app.name()))
                    .granteePrincipal(world.principal(app.name()).policyArn())
                    .operations(GrantOperation.DECRYPT, GrantOperation.GENERATE_DATA_KEY_WITHOUT_PLAINTEXT)
                    .name("ebs-attach-" + app.name())));
        });
    }

    /**
     * Creates a key with an alias and tags, and turns rotation on when asked.
     *
     * @return the key ARN, or empty when CreateKey failed
     */
    static Optional<String> createKey(TrafficContext ctx, String workload, String admin, String alias, String keySpec,
                                      String keyUsage, String policy, List<Tag> tags, boolean rotation, OriginType origin) {
        Optional<String> arn = ctx.call(workload, admin, "CreateKey", kms -> kms.createKey(r -> {
            r.keySpec(KeySpec.fromValue(keySpec)).keyUsage(KeyUsageType.fromValue(keyUsage)).origin(origin)
                    .description(alias + " key").tags(tags);
            if (policy != null) {
                r.policy(policy);
            }
        })).map(CreateKeyResponse::keyMetadata).map(m -> {
            ctx.observeServerTime(m.creationDate());
            return m.arn();
        });
        arn.ifPresent(a -> {
            ctx.registerKey(alias, a);
            ctx.call(workload, admin, "CreateAlias", kms -> kms.createAlias(r -> r.aliasName("alias/" + alias).targetKeyId(a)));
            if (rotation) {
                ctx.call(workload, admin, "EnableKeyRotation", kms -> kms.enableKeyRotation(r -> r.keyId(a)));
            }
        });
        return arn;
    }

    /** An administrator's routine new key: CreateKey, CreateAlias, TagResource, EnableKeyRotation. */
    static void routineKey(TrafficContext ctx, String admin, String alias) {
        if (ctx.findKeyArn(alias).isPresent()) {
            return;
        }
        createKey(ctx, "admin", admin, alias, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", null, List.of(), true,
                OriginType.AWS_KMS).ifPresent(arn -> ctx.call("admin", admin, "TagResource", kms -> kms.tagResource(r -> r
                .keyId(arn).tags(tag("Owner", "platform-team"), tag("CostCenter", "cc-" + (ctx.random().nextInt(90) + 10))))));
    }

    static Tag tag(String key, String value) {
        return Tag.builder().tagKey(key).tagValue(value).build();
    }
}
