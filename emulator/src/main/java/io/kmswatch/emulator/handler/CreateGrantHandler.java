package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.*;
import io.kmswatch.emulator.state.*;

/**
 * CreateGrant: gives a grantee principal a set of operations on a key, optionally constrained by encryption
 * context (EncryptionContextSubset or EncryptionContextEquals, not both). A grant with the same Name and
 * parameters on the same key returns the existing grant id.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html">CreateGrant</a>
 */
public final class CreateGrantHandler implements OperationHandler<CreateGrantRequest, CreateGrantResponse> {
    @Override
    public String operation() {
        return "CreateGrant";
    }

    @Override
    public Class<CreateGrantRequest> requestType() {
        return CreateGrantRequest.class;
    }

    @Override
    public CreateGrantResponse handle(CreateGrantRequest r, CallContext ctx) {
        Validation.requireKeyId(r.keyId(), "keyId");
        Validation.required(r.granteePrincipal(), "granteePrincipal");
        Grants.checkPrincipal(r.granteePrincipal(), "granteePrincipal");
        if (r.retiringPrincipal() != null) {
            Grants.checkPrincipal(r.retiringPrincipal(), "retiringPrincipal");
        }
        Validation.required(r.operations(), "operations");
        if (r.operations().isEmpty()) {
            throw Validation.fail("operations", "[]", "Member must have length greater than or equal to 1");
        }
        for (String op : r.operations()) {
            Validation.oneOf(op, "operations", Grants.OPERATIONS);
        }
        Validation.grantTokens(r.grantTokens());
        if (r.name() != null) {
            Validation.length(r.name(), "name", 1, 256);
            if (!r.name().matches("[a-zA-Z0-9:/_-]+")) {
                throw Validation.fail("name", r.name(), "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$");
            }
        }
        java.util.Map<String, String> subset = r.constraints() == null ? null : r.constraints().encryptionContextSubset();
        java.util.Map<String, String> equals = r.constraints() == null ? null : r.constraints().encryptionContextEquals();
        if (subset != null && equals != null) {
            throw KmsServiceException.validation(
                    "EncryptionContextSubset and EncryptionContextEquals cannot both be specified in grant constraints.");
        }
        KmsKey key = ctx.resolveKey(r.keyId(), "keyId", false);
        key.requireStateFor(operation());
        java.util.Map<String, java.util.List<String>> extra = new java.util.LinkedHashMap<>();
        extra.put("kms:GrantIsForAWSResource", java.util.List.of(String.valueOf(ctx.viaService() != null)));
        extra.put("kms:GrantOperations", r.operations());
        extra.put("kms:GranteePrincipal", java.util.List.of(r.granteePrincipal()));
        if (r.retiringPrincipal() != null) {
            extra.put("kms:RetiringPrincipal", java.util.List.of(r.retiringPrincipal()));
        }
        if (subset != null || equals != null) {
            extra.put("kms:GrantConstraintType", java.util.List.of(subset != null ? "EncryptionContextSubset"
                    : "EncryptionContextEquals"));
        }
        ctx.authorize(key, "kms:CreateGrant", null, extra, null);
        CallContext.checkDryRun(r.dryRun());
        Grant created = ctx.services().store().atomically(() -> {
            if (r.name() != null) {
                for (Grant g : ctx.services().store().grants(key.arn())) {
                    if (r.name().equals(g.name()) && g.granteePrincipal().equals(r.granteePrincipal())
                            && new java.util.HashSet<>(g.operations()).equals(new java.util.HashSet<>(r.operations()))) {
                        return g;
                    }
                }
            }
            String grantId = java.util.HexFormat.of().formatHex(io.kmswatch.emulator.crypto.CryptoCore.randomBytes(32));
            Grant g = new Grant(grantId, key.arn(), r.name(), r.granteePrincipal(), r.retiringPrincipal(),
                    r.operations(), subset, equals, ctx.caller().accountId(), ctx.now(), null);
            ctx.services().store().putGrant(g);
            return g;
        });
        return new CreateGrantResponse(GrantTokens.create(key.arn(), created.grantId()), created.grantId());
    }

    @Override
    public com.fasterxml.jackson.databind.JsonNode responseElements(CreateGrantRequest request,
                                                                    CreateGrantResponse response) {
        return io.kmswatch.events.Json.MAPPER.createObjectNode().put("grantId", response.grantId());
    }
}
