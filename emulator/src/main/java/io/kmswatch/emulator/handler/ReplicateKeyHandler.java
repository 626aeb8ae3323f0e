package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * ReplicateKey: copies a multi-Region primary key into another region: same key id and material, its own policy,
 * description and tags; ciphertexts of either decrypt with the other.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html">ReplicateKey</a>
 */
public final class ReplicateKeyHandler implements OperationHandler<ReplicateKeyRequest, ReplicateKeyResponse> {
    @Override
    public String operation() {
        return "ReplicateKey";
    }

    @Override
    public Class<ReplicateKeyRequest> requestType() {
        return ReplicateKeyRequest.class;
    }

    @Override
    public ReplicateKeyResponse handle(ReplicateKeyRequest r, CallContext ctx) {
        Validation.requireKeyId(r.keyId(), "keyId");
        Validation.required(r.replicaRegion(), "replicaRegion");
        Validation.length(r.replicaRegion(), "replicaRegion", 1, 32);
        if (!r.replicaRegion().matches("^([a-z]+-){2,3}\\d+$")) {
            throw Validation.fail("replicaRegion", r.replicaRegion(), "Member must satisfy regular expression pattern: ^([a-z]+-){2,3}\\d+$");
        }
        Validation.length(r.description(), "description", 0, 8192);
        KmsKey key = ctx.resolveOwnKey(r.keyId(), "keyId");
        if (!key.multiRegion() || !key.region().equals(key.primaryRegion())) {
            throw new KmsServiceException(KmsErrorCode.UNSUPPORTED_OPERATION, key.arn()
                    + " is not a multi-Region primary key.");
        }
        if (r.replicaRegion().equals(key.region())) {
            throw KmsServiceException.validation("The replica region must differ from the primary key region "
                    + key.region() + ".");
        }
        key.requireStateFor(operation());
        if (r.policy() != null) {
            Keys.checkPolicySyntax(r.policy());
        }
        ctx.authorize(key, "kms:ReplicateKey");
        java.util.Map<String, String> tags = Keys.tags(java.util.Map.of(), r.tags());
        String policy = r.policy() != null ? r.policy()
                : io.kmswatch.emulator.policy.KeyPolicies.defaultKeyPolicy(ctx.partition(), key.accountId());
        KmsKey replica = ctx.services().store().atomically(() -> {
            String replicaArn = KmsKey.arn(key.partition(), r.replicaRegion(), key.accountId(), key.keyId());
            if (ctx.services().store().key(replicaArn).isPresent()) {
                throw new KmsServiceException(KmsErrorCode.ALREADY_EXISTS, "Replica key " + replicaArn
                        + " already exists.");
            }
            KmsKey current = ctx.services().store().key(key.arn()).orElse(key);
            KmsKey rep = current.toBuilder().region(r.replicaRegion()).creationDate(ctx.now())
                    .description(r.description() != null ? r.description() : current.description())
                    .policy(policy).tags(tags).rotationEnabled(false).nextRotationDate(null)
                    .rotationPeriodInDays(null).keyState(current.keyState() == KeyState.DISABLED
                            ? KeyState.DISABLED : KeyState.ENABLED).build();
            ctx.services().store().putKey(rep);
            return rep;
        });
        return new ReplicateKeyResponse(Keys.metadata(replica, ctx.services()), policy, Keys.tagList(tags));
    }

    @Override
    public com.fasterxml.jackson.databind.JsonNode responseElements(ReplicateKeyRequest request,
                                                                    ReplicateKeyResponse response) {
        com.fasterxml.jackson.databind.node.ObjectNode o = io.kmswatch.events.Json.MAPPER.createObjectNode();
        o.set("replicaKeyMetadata", Keys.trailMetadata(response.replicaKeyMetadata()));
        return o;
    }
}
