package io.kmswatch.emulator.api;

/**
 * The ReEncrypt response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ReEncrypt.html">ReEncrypt</a>
 */
public record ReEncryptResponse(Blob ciphertextBlob,
        String sourceKeyId,
        String keyId,
        String sourceEncryptionAlgorithm,
        String destinationEncryptionAlgorithm) {
}
