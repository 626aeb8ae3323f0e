package io.kmswatch.emulator.handler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmswatch.emulator.api.ApiJson;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.KeyMetadata;
import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.emulator.api.MultiRegionConfiguration;
import io.kmswatch.emulator.api.MultiRegionKey;
import io.kmswatch.emulator.api.Services;
import io.kmswatch.emulator.api.Tag;
import io.kmswatch.emulator.api.Validation;
import io.kmswatch.emulator.crypto.CryptoCore;
import io.kmswatch.emulator.policy.MalformedPolicyException;
import io.kmswatch.emulator.policy.PolicyDocument;
import io.kmswatch.emulator.state.KeyMaterial;
import io.kmswatch.emulator.state.KeyState;
import io.kmswatch.emulator.state.KmsKey;
import io.kmswatch.events.Json;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers shared by handlers: key metadata, policy checks, tags, rotation. */
final class Keys {
    static final List<String> KEY_SPECS = List.of("SYMMETRIC_DEFAULT", "RSA_2048", "RSA_3072", "RSA_4096",
            "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", "ECC_NIST_EDWARDS25519",
            "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2", "ML_DSA_44", "ML_DSA_65", "ML_DSA_87");
    static final List<String> KEY_USAGES = List.of("ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC",
            "KEY_AGREEMENT");
    static final List<String> ORIGINS = List.of("AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE");
    static final List<String> ENCRYPTION_ALGORITHMS = List.of("SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1",
            "RSAES_OAEP_SHA_256", "SM2PKE");
    /** Every value of the model's SigningAlgorithmSpec, in its order, as the validation message lists them. */
    static final List<String> SIGNING_ALGORITHMS = List.of("RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384",
            "RSASSA_PSS_SHA_512", "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384",
            "RSASSA_PKCS1_V1_5_SHA_512", "ECDSA_SHA_256", "ECDSA_SHA_384", "ECDSA_SHA_512", "SM2DSA",
            "ML_DSA_SHAKE_256", "ED25519_SHA_512", "ED25519_PH_SHA_512");
    static final List<String> MAC_ALGORITHMS = List.of("HMAC_SHA_224", "HMAC_SHA_256", "HMAC_SHA_384",
            "HMAC_SHA_512");
    static final List<String> DATA_KEY_PAIR_SPECS = List.of("RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256",
            "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", "SM2", "ECC_NIST_EDWARDS25519");
    static final int MAX_POLICY_BYTES = 32768;

    private Keys() {
    }

    /** KeyMetadata as DescribeKey/CreateKey return it. */
    static KeyMetadata metadata(KmsKey k, Services s) {
        boolean pending = k.keyState() == KeyState.PENDING_DELETION;
        MultiRegionConfiguration mr = null;
        if (k.multiRegion()) {
            String primaryArn = KmsKey.arn(k.partition(), k.primaryRegion(), k.accountId(), k.keyId());
            List<MultiRegionKey> replicas = new ArrayList<>();
            for (KmsKey other : s.store().allKeys()) {
                if (other.keyId().equals(k.keyId()) && other.accountId().equals(k.accountId())
                        && !other.region().equals(k.primaryRegion())) {
                    replicas.add(new MultiRegionKey(other.arn(), other.region()));
                }
            }
            replicas.sort(java.util.Comparator.comparing(MultiRegionKey::region));
            mr = new MultiRegionConfiguration(k.region().equals(k.primaryRegion()) ? "PRIMARY" : "REPLICA",
                    new MultiRegionKey(primaryArn, k.primaryRegion()), replicas);
        }
        String usage = k.keyUsage();
        return new KeyMetadata(k.accountId(), k.keyId(), k.arn(), k.creationDate(), k.enabled(), k.description(),
                usage, k.keyState().value(), pending ? k.deletionDate() : null, k.validTo(), k.origin(),
                "EXTERNAL".equals(k.origin()) && !k.materials().isEmpty() ? k.expirationModel() : null,
                k.keyManager(), k.keySpec(), k.keySpec(),
                "ENCRYPT_DECRYPT".equals(usage) ? CryptoCore.encryptionAlgorithms(k.keySpec()) : null,
                "SIGN_VERIFY".equals(usage) ? CryptoCore.signingAlgorithms(k.keySpec()) : null,
                "GENERATE_VERIFY_MAC".equals(usage) ? List.of(CryptoCore.macAlgorithm(k.keySpec())) : null,
                k.multiRegion(), mr, pending ? k.pendingWindowInDays() : null,
                k.isSymmetric() && !k.materials().isEmpty() ? k.currentMaterial().materialId() : null);
    }

    /** CloudTrail form of key metadata: camelCase, human dates. */
    static ObjectNode trailMetadata(KeyMetadata m) {
        return ApiJson.TRAIL.valueToTree(m);
    }

    /**
     * Validates a key policy's size and grammar.
     *
     * @throws KmsServiceException MalformedPolicyDocumentException
     */
    static void checkPolicySyntax(String policy) {
        if (policy.isEmpty() || policy.getBytes(StandardCharsets.UTF_8).length > MAX_POLICY_BYTES) {
            throw Validation.fail("policy", "(policy)", "Member must have length less than or equal to "
                    + MAX_POLICY_BYTES);
        }
        for (int i = 0; i < policy.length(); i++) {
            char c = policy.charAt(i);
            if (c != '\t' && c != '\n' && c != '\r' && (c < 0x20 || c > 0x7e)) {
                throw new KmsServiceException(KmsErrorCode.MALFORMED_POLICY_DOCUMENT,
                        "The key policy contains characters that are not printable ASCII.");
            }
        }
        try {
            PolicyDocument.parseKeyPolicy(policy);
        } catch (MalformedPolicyException e) {
            throw new KmsServiceException(KmsErrorCode.MALFORMED_POLICY_DOCUMENT, e.getMessage());
        }
    }

    /**
     * The policy lockout safety check: unless bypassed, the new policy must let the caller call PutKeyPolicy
     * again.
     */
    static void checkLockout(CallContext ctx, KmsKey keyWithNewPolicy, Boolean bypass) {
        if (Boolean.TRUE.equals(bypass)) {
            return;
        }
        try {
            ctx.services().authorizer().authorize(ctx, keyWithNewPolicy, "kms:PutKeyPolicy", null, null, List.of());
        } catch (KmsServiceException e) {
            throw new KmsServiceException(KmsErrorCode.MALFORMED_POLICY_DOCUMENT,
                    "The new key policy will not allow you to update the key policy in the future.");
        }
    }

    /** Validates tags and returns them as a map (TagException / LimitExceededException as AWS). */
    static Map<String, String> tags(Map<String, String> existing, List<Tag> add) {
        Map<String, String> out = new LinkedHashMap<>(existing);
        if (add == null) {
            return out;
        }
        for (Tag t : add) {
            if (t == null || t.tagKey() == null || t.tagValue() == null) {
                throw Validation.fail("tags", null, "Member must not be null");
            }
            Validation.length(t.tagKey(), "tagKey", 1, 128);
            Validation.length(t.tagValue(), "tagValue", 0, 256);
            if (t.tagKey().startsWith("aws:")) {
                throw new KmsServiceException(KmsErrorCode.TAG, "Tags beginning with aws: are reserved.");
            }
            out.put(t.tagKey(), t.tagValue());
        }
        if (out.size() > 50) {
            throw new KmsServiceException(KmsErrorCode.LIMIT_EXCEEDED, "A KMS key can have at most 50 tags.");
        }
        return out;
    }

    static List<Tag> tagList(Map<String, String> tags) {
        List<Tag> out = new ArrayList<>();
        tags.forEach((k, v) -> out.add(new Tag(k, v)));
        return out;
    }

    /**
     * Adds new material to a symmetric key (and its multi-Region replicas, which share material), and emits the
     * {@code RotateKey} service event.
     */
    static KmsKey rotate(Services s, KmsKey key, String rotationType, Instant now) {
        return s.store().atomically(() -> {
            KmsKey current = s.store().key(key.arn()).orElse(key);
            KeyMaterial previous = current.currentMaterial();
            int version = current.materials().stream().mapToInt(KeyMaterial::version).max().orElse(0) + 1;
            KeyMaterial m = s.crypto().newMaterial(current.keySpec(), version, rotationType, now);
            List<KeyMaterial> materials = new ArrayList<>(current.materials());
            materials.add(m);
            KmsKey.Builder b = current.toBuilder().materials(materials);
            if (current.rotationEnabled() && "AUTOMATIC".equals(rotationType)) {
                b.nextRotationDate(now.plus(Duration.ofDays(current.rotationPeriodInDays())));
            }
            KmsKey rotated = b.build();
            s.store().putKey(rotated);
            if (rotated.multiRegion()) {
                for (KmsKey other : s.store().allKeys()) {
                    if (other.keyId().equals(rotated.keyId()) && other.accountId().equals(rotated.accountId())
                            && !other.region().equals(rotated.region())) {
                        s.store().putKey(other.toBuilder().materials(materials).build());
                    }
                }
            }
            ObjectNode details = Json.MAPPER.createObjectNode();
            details.put("keyId", rotated.keyId());
            details.put("rotationType", rotationType);
            details.put("keyOrigin", rotated.origin());
            details.put("previousKeyMaterialId", previous.materialId());
            details.put("currentKeyMaterialId", m.materialId());
            s.trail().emitServiceEvent("RotateKey", rotated, details, null);
            return rotated;
        });
    }

    /** Only symmetric AWS_KMS keys rotate (rotation and on-demand rotation share this rule). */
    static void requireRotatable(KmsKey key) {
        if (!key.isSymmetric() || !"AWS_KMS".equals(key.origin())) {
            throw new KmsServiceException(KmsErrorCode.UNSUPPORTED_OPERATION, key.arn()
                    + " key spec/origin " + key.keySpec() + "/" + key.origin() + " is not valid for this operation.");
        }
        if (key.multiRegion() && !key.region().equals(key.primaryRegion())) {
            throw new KmsServiceException(KmsErrorCode.UNSUPPORTED_OPERATION, key.arn()
                    + " is a multi-Region replica key; manage rotation on its primary key.");
        }
    }

}
