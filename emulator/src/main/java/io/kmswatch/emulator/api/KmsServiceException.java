package io.kmswatch.emulator.api;

import java.util.Objects;

/**
 * The one exception of the emulator module: an AWS error to send back to the caller (and to record as the
 * CloudTrail {@code errorCode}/{@code errorMessage}). Messages copy AWS wording.
 */
public class KmsServiceException extends io.kmswatch.emulator.EmulatorException {
    private final KmsErrorCode code;
    private final String typeOverride;

    public KmsServiceException(KmsErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.typeOverride = null;
    }

    /** For errors whose {@code __type} comes from elsewhere (the SigV4 verifier's AWS type strings). */
    public KmsServiceException(KmsErrorCode code, String type, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.typeOverride = type;
    }

    public KmsErrorCode code() {
        return code;
    }

    /** The {@code __type} to send. */
    public String type() {
        return typeOverride != null ? typeOverride : code.type();
    }

    /** AWS's "1 validation error detected" message for one constraint. */
    public static KmsServiceException validation(String member, String value, String constraint) {
        String v = value == null ? "null" : value;
        return new KmsServiceException(KmsErrorCode.VALIDATION, "1 validation error detected: Value '" + v
                + "' at '" + member + "' failed to satisfy constraint: " + constraint);
    }

    /** A ValidationException with a free-form AWS message. */
    public static KmsServiceException validation(String message) {
        return new KmsServiceException(KmsErrorCode.VALIDATION, message);
    }

    public static KmsServiceException notFound(String message) {
        return new KmsServiceException(KmsErrorCode.NOT_FOUND, message);
    }

    public static KmsServiceException invalidState(String message) {
        return new KmsServiceException(KmsErrorCode.KMS_INVALID_STATE, message);
    }
}
