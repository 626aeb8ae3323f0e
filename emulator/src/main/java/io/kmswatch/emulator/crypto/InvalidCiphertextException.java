package io.kmswatch.emulator.crypto;

import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;

/**
 * Every way a ciphertext can fail to parse or authenticate: KMS answers them all with the same
 * {@code InvalidCiphertextException} and no detail, so that the error is no oracle.
 */
public final class InvalidCiphertextException extends KmsServiceException {
    public InvalidCiphertextException() {
        super(KmsErrorCode.INVALID_CIPHERTEXT, null);
    }
}
