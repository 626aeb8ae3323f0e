package io.kmswatch.emulator.api;

/**
 * The Encrypt response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html">Encrypt</a>
 */
public record EncryptResponse(Blob ciphertextBlob,
        String keyId,
        String encryptionAlgorithm) {
}
