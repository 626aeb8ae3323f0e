package io.kmswatch.emulator.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One KMS key in one region: metadata, policy, tags, rotation settings and every material version it ever had
 * (rotation keeps old material so old ciphertexts decrypt). Immutable; changes go through {@link #toBuilder()}
 * and {@link KeyStore#putKey}. A multi-Region replica shares {@code keyId} and materials with its primary and
 * differs in {@code region}; {@code primaryRegion} is null for single-Region keys.
 *
 * <p>Key-state rules live here and in {@link KeyState}, not in handlers.
 */
public record KmsKey(String keyId, String accountId, String region, String partition, Instant creationDate,
                     String description, String keyUsage, String keySpec, String origin, KeyState keyState,
                     Instant deletionDate, Integer pendingWindowInDays, String policy, Map<String, String> tags,
                     boolean rotationEnabled, Integer rotationPeriodInDays, Instant nextRotationDate,
                     List<KeyMaterial> materials, String primaryRegion, String importedMaterialDigest,
                     Instant validTo, String expirationModel, String keyManager) {
    /** {@code keyManager} of customer managed keys; AWS managed keys say {@code AWS}. */
    public static final String CUSTOMER = "CUSTOMER";

    public KmsKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(keyState, "keyState");
        partition = partition == null ? "aws" : partition;
        description = description == null ? "" : description;
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        materials = materials == null ? List.of() : List.copyOf(materials);
        keyManager = keyManager == null ? CUSTOMER : keyManager;
    }

    /** {@code arn:<p>:kms:<region>:<account>:key/<id>}. */
    public String arn() {
        return arn(partition, region, accountId, keyId);
    }

    public static String arn(String partition, String region, String accountId, String keyId) {
        return "arn:" + partition + ":kms:" + region + ":" + accountId + ":key/" + keyId;
    }

    @JsonIgnore
    public boolean enabled() {
        return keyState == KeyState.ENABLED;
    }

    @JsonIgnore
    public boolean multiRegion() {
        return primaryRegion != null;
    }

    @JsonIgnore
    public boolean isSymmetric() {
        return "SYMMETRIC_DEFAULT".equals(keySpec);
    }

    @JsonIgnore
    public boolean isHmac() {
        return keySpec.startsWith("HMAC_");
    }

    @JsonIgnore
    public boolean isAsymmetric() {
        return keySpec.startsWith("RSA_") || keySpec.startsWith("ECC_");
    }

    /** The material new ciphertexts use: the newest version. */
    public KeyMaterial currentMaterial() {
        if (materials.isEmpty()) {
            throw keyState.invalid(arn());
        }
        return materials.get(materials.size() - 1);
    }

    /** The material of a given version, or null when this key never had it. */
    public KeyMaterial material(int version) {
        for (KeyMaterial m : materials) {
            if (m.version() == version) {
                return m;
            }
        }
        return null;
    }

    /**
     * Checks that this key's state allows the operation ({@link KeyState#checkFor}).
     *
     * @throws io.kmswatch.emulator.api.KmsServiceException DisabledException or KMSInvalidStateException
     */
    public void requireStateFor(String operation) {
        keyState.checkFor(operation, arn());
    }

    /**
     * Checks that the key's usage allows {@code operation}, with AWS's message
     * ({@code <arn> key usage is ENCRYPT_DECRYPT which is not valid for Sign.}).
     */
    public void requireUsage(String usage, String operation) {
        if (!usage.equals(keyUsage)) {
            throw new KmsServiceException(KmsErrorCode.INVALID_KEY_USAGE,
                    arn() + " key usage is " + keyUsage + " which is not valid for " + operation + ".");
        }
    }

    /** Checks for a symmetric encryption key (GenerateDataKey*, Encrypt without algorithm…). */
    public void requireSymmetric(String operation) {
        requireUsage("ENCRYPT_DECRYPT", operation);
        if (!isSymmetric()) {
            throw new KmsServiceException(KmsErrorCode.INVALID_KEY_USAGE,
                    arn() + " key spec is " + keySpec + " which is not valid for " + operation + ".");
        }
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public String toString() {
        return "KmsKey[" + arn() + ", " + keySpec + ", " + keyState.value() + ", " + materials.size() + " materials]";
    }

    /** Fluent copy-and-change builder, SDK v2 style (setters without a {@code set} prefix). */
    public static final class Builder {
        private String keyId;
        private String accountId;
        private String region;
        private String partition;
        private Instant creationDate;
        private String description;
        private String keyUsage;
        private String keySpec;
        private String origin;
        private KeyState keyState;
        private Instant deletionDate;
        private Integer pendingWindowInDays;
        private String policy;
        private Map<String, String> tags;
        private boolean rotationEnabled;
        private Integer rotationPeriodInDays;
        private Instant nextRotationDate;
        private List<KeyMaterial> materials;
        private String primaryRegion;
        private String importedMaterialDigest;
        private Instant validTo;
        private String expirationModel;
        private String keyManager;

        public Builder() {
        }

        Builder(KmsKey k) {
            keyId = k.keyId;
            accountId = k.accountId;
            region = k.region;
            partition = k.partition;
            creationDate = k.creationDate;
            description = k.description;
            keyUsage = k.keyUsage;
            keySpec = k.keySpec;
            origin = k.origin;
            keyState = k.keyState;
            deletionDate = k.deletionDate;
            pendingWindowInDays = k.pendingWindowInDays;
            policy = k.policy;
            tags = k.tags;
            rotationEnabled = k.rotationEnabled;
            rotationPeriodInDays = k.rotationPeriodInDays;
            nextRotationDate = k.nextRotationDate;
            materials = k.materials;
            primaryRegion = k.primaryRegion;
            importedMaterialDigest = k.importedMaterialDigest;
            validTo = k.validTo;
            expirationModel = k.expirationModel;
            keyManager = k.keyManager;
        }

        public Builder keyId(String v) { keyId = v; return this; }
        public Builder accountId(String v) { accountId = v; return this; }
        public Builder region(String v) { region = v; return this; }
        public Builder partition(String v) { partition = v; return this; }
        public Builder creationDate(Instant v) { creationDate = v; return this; }
        public Builder description(String v) { description = v; return this; }
        public Builder keyUsage(String v) { keyUsage = v; return this; }
        public Builder keySpec(String v) { keySpec = v; return this; }
        public Builder origin(String v) { origin = v; return this; }
        public Builder keyState(KeyState v) { keyState = v; return this; }
        public Builder deletionDate(Instant v) { deletionDate = v; return this; }
        public Builder pendingWindowInDays(Integer v) { pendingWindowInDays = v; return this; }
        public Builder policy(String v) { policy = v; return this; }
        public Builder tags(Map<String, String> v) { tags = v; return this; }
        public Builder rotationEnabled(boolean v) { rotationEnabled = v; return this; }
        public Builder rotationPeriodInDays(Integer v) { rotationPeriodInDays = v; return this; }
        public Builder nextRotationDate(Instant v) { nextRotationDate = v; return this; }
        public Builder materials(List<KeyMaterial> v) { materials = v; return this; }
        public Builder primaryRegion(String v) { primaryRegion = v; return this; }
        public Builder importedMaterialDigest(String v) { importedMaterialDigest = v; return this; }
        public Builder validTo(Instant v) { validTo = v; return this; }
        public Builder expirationModel(String v) { expirationModel = v; return this; }
        public Builder keyManager(String v) { keyManager = v; return this; }

        public KmsKey build() {
            return new KmsKey(keyId, accountId, region, partition, creationDate, description, keyUsage, keySpec,
                    origin, keyState, deletionDate, pendingWindowInDays, policy, tags, rotationEnabled,
                    rotationPeriodInDays, nextRotationDate, materials, primaryRegion, importedMaterialDigest,
                    validTo, expirationModel, keyManager);
        }
    }
}
