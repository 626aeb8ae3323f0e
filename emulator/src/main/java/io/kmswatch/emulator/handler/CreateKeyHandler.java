package io.kmswatch.emulator.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.CreateKeyRequest;
import io.kmswatch.emulator.api.CreateKeyResponse;
import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.api.Services;
import io.kmswatch.emulator.api.Validation;
import io.kmswatch.emulator.policy.KeyPolicies;
import io.kmswatch.emulator.state.KeyMaterial;
import io.kmswatch.emulator.state.KeyState;
import io.kmswatch.emulator.state.KmsKey;
import io.kmswatch.events.Json;

import java.util.List;
import java.util.Map;

/**
 * CreateKey: symmetric (default), RSA, ECC and HMAC keys, origin AWS_KMS or EXTERNAL (PendingImport),
 * multi-Region primaries ({@code mrk-} ids), the default key policy when none is given.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html">CreateKey</a>
 */
public final class CreateKeyHandler implements OperationHandler<CreateKeyRequest, CreateKeyResponse> {
    @Override
    public String operation() {
        return "CreateKey";
    }

    @Override
    public Class<CreateKeyRequest> requestType() {
        return CreateKeyRequest.class;
    }

    @Override
    public CreateKeyResponse handle(CreateKeyRequest r, CallContext ctx) {
        Validation.oneOf(r.keySpec(), "keySpec", Keys.KEY_SPECS);
        Validation.oneOf(r.customerMasterKeySpec(), "customerMasterKeySpec", Keys.KEY_SPECS);
        Validation.oneOf(r.keyUsage(), "keyUsage", Keys.KEY_USAGES);
        Validation.oneOf(r.origin(), "origin", Keys.ORIGINS);
        Validation.length(r.description(), "description", 0, 8192);
        if (r.keySpec() != null && r.customerMasterKeySpec() != null) {
            throw KmsServiceException.validation(
                    "You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.");
        }
        String spec = r.keySpec() != null ? r.keySpec()
                : r.customerMasterKeySpec() != null ? r.customerMasterKeySpec() : "SYMMETRIC_DEFAULT";
        String usage = r.keyUsage() != null ? r.keyUsage() : "ENCRYPT_DECRYPT";
        String origin = r.origin() != null ? r.origin() : "AWS_KMS";
        checkCompatible(spec, usage);
        if (spec.startsWith("SM2") || spec.startsWith("ML_DSA") || spec.equals("ECC_NIST_EDWARDS25519")
                || usage.equals("KEY_AGREEMENT")) {
            throw new KmsServiceException(KmsErrorCode.UNSUPPORTED_OPERATION,
                    spec + " / " + usage + " is not supported by this emulator.");
        }
        if (origin.equals("AWS_CLOUDHSM") || origin.equals("EXTERNAL_KEY_STORE") || r.customKeyStoreId() != null) {
            throw new KmsServiceException(KmsErrorCode.UNSUPPORTED_OPERATION,
                    "Custom key stores are not supported by this emulator.");
        }
        if (origin.equals("EXTERNAL") && !spec.equals("SYMMETRIC_DEFAULT")) {
            throw new KmsServiceException(KmsErrorCode.UNSUPPORTED_OPERATION,
                    "Imported key material is supported for SYMMETRIC_DEFAULT keys only by this emulator.");
        }
        boolean multiRegion = Boolean.TRUE.equals(r.multiRegion());
        Services s = ctx.services();
        String account = ctx.caller().accountId();
        String keyId = s.keyIds().next(multiRegion,
                id -> s.store().key(KmsKey.arn(ctx.partition(), ctx.region(), account, id)).isPresent());
        Map<String, String> tags = Keys.tags(Map.of(), r.tags());
        String policy = r.policy() != null ? r.policy() : KeyPolicies.defaultKeyPolicy(ctx.partition(), account);
        if (r.policy() != null) {
            Keys.checkPolicySyntax(r.policy());
        }
        ctx.authorizeKeyless("kms:CreateKey");
        boolean external = origin.equals("EXTERNAL");
        List<KeyMaterial> materials = external ? List.of()
                : List.of(s.crypto().newMaterial(spec, 1, null, ctx.now()));
        KmsKey key = new KmsKey.Builder().keyId(keyId).accountId(account).region(ctx.region())
                .partition(ctx.partition()).creationDate(ctx.now()).description(r.description()).keyUsage(usage)
                .keySpec(spec).origin(origin).keyState(external ? KeyState.PENDING_IMPORT : KeyState.ENABLED)
                .policy(policy).tags(tags).materials(materials).primaryRegion(multiRegion ? ctx.region() : null)
                .build();
        if (r.policy() != null) {
            Keys.checkLockout(ctx, key, r.bypassPolicyLockoutSafetyCheck());
        }
        s.store().putKey(key);
        ctx.addResource(key);
        return new CreateKeyResponse(Keys.metadata(key, s));
    }

    private static void checkCompatible(String spec, String usage) {
        boolean ok = switch (usage) {
            case "ENCRYPT_DECRYPT" -> spec.equals("SYMMETRIC_DEFAULT") || spec.startsWith("RSA_") || spec.equals("SM2");
            case "SIGN_VERIFY" -> spec.startsWith("RSA_") || spec.startsWith("ECC_") || spec.equals("SM2")
                    || spec.startsWith("ML_DSA");
            case "GENERATE_VERIFY_MAC" -> spec.startsWith("HMAC_");
            default -> spec.startsWith("ECC_NIST") || spec.equals("SM2");
        };
        if (!ok) {
            throw KmsServiceException.validation("KeyUsage " + usage + " is not compatible with KeySpec " + spec);
        }
    }

    /** KMS logs the effective key spec, usage and origin even when the request left them out. */
    @Override
    public JsonNode requestParameters(CreateKeyRequest request) {
        ObjectNode o = (ObjectNode) OperationHandler.super.requestParameters(request);
        String spec = request.keySpec() != null ? request.keySpec()
                : request.customerMasterKeySpec() != null ? request.customerMasterKeySpec() : "SYMMETRIC_DEFAULT";
        o.put("description", request.description() == null ? "" : request.description());
        o.put("origin", request.origin() == null ? "AWS_KMS" : request.origin());
        o.put("bypassPolicyLockoutSafetyCheck", Boolean.TRUE.equals(request.bypassPolicyLockoutSafetyCheck()));
        o.put("customerMasterKeySpec", spec);
        o.put("keySpec", spec);
        o.put("keyUsage", request.keyUsage() == null ? "ENCRYPT_DECRYPT" : request.keyUsage());
        return o;
    }

    @Override
    public JsonNode responseElements(CreateKeyRequest request, CreateKeyResponse response) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.set("keyMetadata", Keys.trailMetadata(response.keyMetadata()));
        return o;
    }
}
