package io.kmswatch.events;

import java.util.HashMap;
import java.util.Map;

/**
 * Every AWS KMS API operation and KMS service event that CloudTrail records, plus {@link #UNKNOWN} so
 * that an operation AWS adds later never breaks parsing (the SDK v2 enum convention).
 */
public enum KmsOperation {
    CANCEL_KEY_DELETION("CancelKeyDeletion", Kind.MANAGEMENT),
    CONNECT_CUSTOM_KEY_STORE("ConnectCustomKeyStore", Kind.MANAGEMENT),
    CREATE_ALIAS("CreateAlias", Kind.MANAGEMENT),
    CREATE_CUSTOM_KEY_STORE("CreateCustomKeyStore", Kind.MANAGEMENT),
    CREATE_GRANT("CreateGrant", Kind.MANAGEMENT),
    CREATE_KEY("CreateKey", Kind.MANAGEMENT),
    DECRYPT("Decrypt", Kind.CRYPTO),
    DELETE_ALIAS("DeleteAlias", Kind.MANAGEMENT),
    DELETE_CUSTOM_KEY_STORE("DeleteCustomKeyStore", Kind.MANAGEMENT),
    DELETE_IMPORTED_KEY_MATERIAL("DeleteImportedKeyMaterial", Kind.MANAGEMENT),
    DERIVE_SHARED_SECRET("DeriveSharedSecret", Kind.CRYPTO),
    DESCRIBE_CUSTOM_KEY_STORES("DescribeCustomKeyStores", Kind.READ),
    DESCRIBE_KEY("DescribeKey", Kind.READ),
    DISABLE_KEY("DisableKey", Kind.MANAGEMENT),
    DISABLE_KEY_ROTATION("DisableKeyRotation", Kind.MANAGEMENT),
    DISCONNECT_CUSTOM_KEY_STORE("DisconnectCustomKeyStore", Kind.MANAGEMENT),
    ENABLE_KEY("EnableKey", Kind.MANAGEMENT),
    ENABLE_KEY_ROTATION("EnableKeyRotation", Kind.MANAGEMENT),
    ENCRYPT("Encrypt", Kind.CRYPTO),
    GENERATE_DATA_KEY("GenerateDataKey", Kind.CRYPTO),
    GENERATE_DATA_KEY_PAIR("GenerateDataKeyPair", Kind.CRYPTO),
    GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT("GenerateDataKeyPairWithoutPlaintext", Kind.CRYPTO),
    GENERATE_DATA_KEY_WITHOUT_PLAINTEXT("GenerateDataKeyWithoutPlaintext", Kind.CRYPTO),
    GENERATE_MAC("GenerateMac", Kind.CRYPTO),
    GENERATE_RANDOM("GenerateRandom", Kind.MANAGEMENT),
    GET_KEY_POLICY("GetKeyPolicy", Kind.READ),
    GET_KEY_ROTATION_STATUS("GetKeyRotationStatus", Kind.READ),
    GET_PARAMETERS_FOR_IMPORT("GetParametersForImport", Kind.READ),
    GET_PUBLIC_KEY("GetPublicKey", Kind.READ),
    IMPORT_KEY_MATERIAL("ImportKeyMaterial", Kind.MANAGEMENT),
    LIST_ALIASES("ListAliases", Kind.READ),
    LIST_GRANTS("ListGrants", Kind.READ),
    LIST_KEY_POLICIES("ListKeyPolicies", Kind.READ),
    LIST_KEY_ROTATIONS("ListKeyRotations", Kind.READ),
    LIST_KEYS("ListKeys", Kind.READ),
    LIST_RESOURCE_TAGS("ListResourceTags", Kind.READ),
    LIST_RETIRABLE_GRANTS("ListRetirableGrants", Kind.READ),
    PUT_KEY_POLICY("PutKeyPolicy", Kind.MANAGEMENT),
    RE_ENCRYPT("ReEncrypt", Kind.CRYPTO),
    REPLICATE_KEY("ReplicateKey", Kind.MANAGEMENT),
    RETIRE_GRANT("RetireGrant", Kind.MANAGEMENT),
    REVOKE_GRANT("RevokeGrant", Kind.MANAGEMENT),
    ROTATE_KEY_ON_DEMAND("RotateKeyOnDemand", Kind.MANAGEMENT),
    SCHEDULE_KEY_DELETION("ScheduleKeyDeletion", Kind.MANAGEMENT),
    SIGN("Sign", Kind.CRYPTO),
    SYNCHRONIZE_MULTI_REGION_KEY("SynchronizeMultiRegionKey", Kind.MANAGEMENT),
    TAG_RESOURCE("TagResource", Kind.MANAGEMENT),
    UNTAG_RESOURCE("UntagResource", Kind.MANAGEMENT),
    UPDATE_ALIAS("UpdateAlias", Kind.MANAGEMENT),
    UPDATE_CUSTOM_KEY_STORE("UpdateCustomKeyStore", Kind.MANAGEMENT),
    UPDATE_KEY_DESCRIPTION("UpdateKeyDescription", Kind.MANAGEMENT),
    UPDATE_PRIMARY_REGION("UpdatePrimaryRegion", Kind.MANAGEMENT),
    VERIFY("Verify", Kind.CRYPTO),
    VERIFY_MAC("VerifyMac", Kind.CRYPTO),
    ROTATE_KEY("RotateKey", Kind.SERVICE),
    DELETE_KEY("DeleteKey", Kind.SERVICE),
    DELETE_EXPIRED_KEY_MATERIAL("DeleteExpiredKeyMaterial", Kind.SERVICE),
    /** An eventName this version does not know. */
    UNKNOWN(null, Kind.UNKNOWN);

    /** What an operation does, for routing and metrics. */
    public enum Kind {
        /** Uses key material: Encrypt, Decrypt, GenerateDataKey*, ReEncrypt, Sign, Verify, GenerateMac, VerifyMac. */
        CRYPTO,
        /** Describe*, Get*, List*. */
        READ,
        /** Changes a key, alias, grant, policy, tag or key store. */
        MANAGEMENT,
        /** Done by KMS itself: RotateKey, DeleteKey, DeleteExpiredKeyMaterial ({@code AwsServiceEvent}). */
        SERVICE,
        /** Not known to this version. */
        UNKNOWN
    }

    private static final Map<String, KmsOperation> BY_VALUE = new HashMap<>();

    static {
        for (KmsOperation op : values()) {
            if (op.value != null) {
                BY_VALUE.put(op.value, op);
            }
        }
    }

    private final String value;
    private final Kind kind;

    KmsOperation(String value, Kind kind) {
        this.value = value;
        this.kind = kind;
    }

    /** The operation for an eventName, or {@link #UNKNOWN}; never null. */
    public static KmsOperation fromValue(String eventName) {
        if (eventName == null) {
            return UNKNOWN;
        }
        return BY_VALUE.getOrDefault(eventName, UNKNOWN);
    }

    /** The AWS name ({@code X-Amz-Target} suffix and CloudTrail eventName), null for {@link #UNKNOWN}. */
    public String value() {
        return value;
    }

    public Kind kind() {
        return kind;
    }

    /** True for operations that use key material. */
    public boolean isCryptographic() {
        return kind == Kind.CRYPTO;
    }

    /** Decrypt and the data-key generators: what a decrypt spike counts. */
    public boolean isDecryptLike() {
        return this == DECRYPT || this == GENERATE_DATA_KEY || this == GENERATE_DATA_KEY_WITHOUT_PLAINTEXT
                || this == GENERATE_DATA_KEY_PAIR || this == GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT;
    }

    @Override
    public String toString() {
        return value == null ? "UNKNOWN" : value;
    }
}
