package io.kmswatch.emulator.state;

import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;

/**
 * A KMS key state and the rules, from the "Key states of AWS KMS keys" table of the developer guide, for
 * which operations it allows. Handlers call these checks instead of repeating them.
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

    /**
     * Cryptographic operations (Encrypt, Decrypt, GenerateDataKey*, Sign, Verify, GenerateMac, VerifyMac,
     * GetPublicKey, ReEncrypt): Disabled gives DisabledException, PendingDeletion/PendingImport/… give
     * KMSInvalidStateException.
     */
    public void checkCryptoUse(String keyArn) {
        switch (this) {
            case ENABLED -> {
            }
            case DISABLED -> throw new KmsServiceException(KmsErrorCode.DISABLED, keyArn + " is disabled.");
            default -> throw invalid(keyArn);
        }
    }

    /**
     * Management operations that change a key (EnableKey, DisableKey, rotation, CreateAlias, UpdateAlias,
     * tags, description, CreateGrant, ReplicateKey…) are refused while the key is pending deletion.
     */
    public void checkManagement(String keyArn) {
        if (this == PENDING_DELETION || this == PENDING_REPLICA_DELETION || this == UNAVAILABLE) {
            throw invalid(keyArn);
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
