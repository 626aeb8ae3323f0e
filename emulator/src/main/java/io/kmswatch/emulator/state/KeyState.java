package io.kmswatch.emulator.state;

import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;

import java.util.Map;
import java.util.Set;

/**
 * A KMS key state and the rules, from the "Key states of AWS KMS keys" table of the developer guide, for
 * which operations it allows: the one place those rules live. Handlers call {@link #checkFor} (through
 * {@link KmsKey#requireStateFor}) instead of repeating them.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html">Key states</a>
 */
public enum KeyState {
    ENABLED("Enabled"),
    DISABLED("Disabled"),
    PENDING_DELETION("PendingDeletion"),
    PENDING_IMPORT("PendingImport"),
    PENDING_REPLICA_DELETION("PendingReplicaDeletion"),
    UNAVAILABLE("Unavailable");

    private final String value;

    KeyState(String value) {
        this.value = value;
    }

    /** The AWS wire value, e.g. {@code PendingDeletion}. */
    public String value() {
        return value;
    }

    public static KeyState fromValue(String v) {
        for (KeyState s : values()) {
            if (s.value.equals(v)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown key state " + v);
    }

    /** What an operation needs of its key's state; one rule per column pattern of the AWS key-state table. */
    private enum Rule {
        /** Enabled only: Disabled gives DisabledException, any other state KMSInvalidStateException. */
        CRYPTOGRAPHIC,
        /** Refused while the key is pending deletion (or replica deletion, or unavailable). */
        MANAGEMENT,
        /** Refused while the key is pending deletion or pending import. */
        NOT_PENDING,
        /** Refused while the key is already pending deletion. */
        NOT_PENDING_DELETION,
        /** Allowed only while the key is pending deletion. */
        PENDING_DELETION_ONLY,
        /** Every state. */
        ANY
    }

    /**
     * The rule of each operation that uses an existing key, after the "Key states of AWS KMS keys" table. An
     * operation not listed here does not use an existing key (CreateKey, ListKeys, GenerateRandom).
     */
    private static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry("Encrypt", Rule.CRYPTOGRAPHIC),
            Map.entry("Decrypt", Rule.CRYPTOGRAPHIC),
            Map.entry("ReEncrypt", Rule.CRYPTOGRAPHIC),
            Map.entry("GenerateDataKey", Rule.CRYPTOGRAPHIC),
            Map.entry("GenerateDataKeyWithoutPlaintext", Rule.CRYPTOGRAPHIC),
            Map.entry("GenerateDataKeyPair", Rule.CRYPTOGRAPHIC),
            Map.entry("GenerateDataKeyPairWithoutPlaintext", Rule.CRYPTOGRAPHIC),
            Map.entry("Sign", Rule.CRYPTOGRAPHIC),
            Map.entry("Verify", Rule.CRYPTOGRAPHIC),
            Map.entry("GenerateMac", Rule.CRYPTOGRAPHIC),
            Map.entry("VerifyMac", Rule.CRYPTOGRAPHIC),
            Map.entry("GetPublicKey", Rule.CRYPTOGRAPHIC),
            Map.entry("EnableKeyRotation", Rule.CRYPTOGRAPHIC),
            Map.entry("DisableKeyRotation", Rule.CRYPTOGRAPHIC),
            Map.entry("RotateKeyOnDemand", Rule.CRYPTOGRAPHIC),
            Map.entry("CreateAlias", Rule.MANAGEMENT),
            Map.entry("UpdateAlias", Rule.MANAGEMENT),
            Map.entry("CreateGrant", Rule.MANAGEMENT),
            Map.entry("PutKeyPolicy", Rule.MANAGEMENT),
            Map.entry("TagResource", Rule.MANAGEMENT),
            Map.entry("UntagResource", Rule.MANAGEMENT),
            Map.entry("UpdateKeyDescription", Rule.MANAGEMENT),
            Map.entry("ReplicateKey", Rule.MANAGEMENT),
            Map.entry("GetParametersForImport", Rule.MANAGEMENT),
            Map.entry("ImportKeyMaterial", Rule.MANAGEMENT),
            Map.entry("DeleteImportedKeyMaterial", Rule.MANAGEMENT),
            Map.entry("EnableKey", Rule.NOT_PENDING),
            Map.entry("DisableKey", Rule.NOT_PENDING),
            Map.entry("GetKeyRotationStatus", Rule.NOT_PENDING),
            Map.entry("ScheduleKeyDeletion", Rule.NOT_PENDING_DELETION),
            Map.entry("CancelKeyDeletion", Rule.PENDING_DELETION_ONLY),
            Map.entry("DescribeKey", Rule.ANY),
            Map.entry("GetKeyPolicy", Rule.ANY),
            Map.entry("ListKeyPolicies", Rule.ANY),
            Map.entry("ListKeyRotations", Rule.ANY),
            Map.entry("ListGrants", Rule.ANY),
            Map.entry("ListResourceTags", Rule.ANY),
            Map.entry("RetireGrant", Rule.ANY),
            Map.entry("RevokeGrant", Rule.ANY),
            Map.entry("DeleteAlias", Rule.ANY));

    /** The operations that use an existing key, each with a rule here. */
    public static Set<String> operations() {
        return RULES.keySet();
    }

    /**
     * Checks that a key in this state may be used by an operation, as the key-state table says.
     *
     * @param operation the KMS operation name ({@code Encrypt}, {@code DisableKey}…)
     * @param keyArn    the key's ARN, for the message
     * @throws KmsServiceException DisabledException or KMSInvalidStateException when the state forbids it
     * @throws IllegalArgumentException when the operation has no rule (a programming error)
     */
    public void checkFor(String operation, String keyArn) {
        Rule rule = RULES.get(operation);
        if (rule == null) {
            throw new IllegalArgumentException("no key-state rule for " + operation);
        }
        switch (rule) {
            case CRYPTOGRAPHIC -> {
                if (this == DISABLED) {
                    throw new KmsServiceException(KmsErrorCode.DISABLED, keyArn + " is disabled.");
                }
                if (this != ENABLED) {
                    throw invalid(keyArn);
                }
            }
            case MANAGEMENT -> {
                if (this == PENDING_DELETION || this == PENDING_REPLICA_DELETION || this == UNAVAILABLE) {
                    throw invalid(keyArn);
                }
            }
            case NOT_PENDING -> {
                if (this == PENDING_DELETION || this == PENDING_IMPORT) {
                    throw invalid(keyArn);
                }
            }
            case NOT_PENDING_DELETION -> {
                if (this == PENDING_DELETION) {
                    throw invalid(keyArn);
                }
            }
            case PENDING_DELETION_ONLY -> {
                if (this != PENDING_DELETION) {
                    throw KmsServiceException.invalidState(keyArn + " is not pending deletion.");
                }
            }
            case ANY -> {
            }
        }
    }

    public KmsServiceException invalid(String keyArn) {
        return KmsServiceException.invalidState(keyArn + " is " + describe() + ".");
    }

    private String describe() {
        return switch (this) {
            case PENDING_DELETION -> "pending deletion";
            case PENDING_IMPORT -> "pending import";
            case PENDING_REPLICA_DELETION -> "pending replica deletion";
            case DISABLED -> "disabled";
            case UNAVAILABLE -> "unavailable";
            case ENABLED -> "enabled";
        };
    }
}
