package io.kmswatch.emulator.api;

/**
 * The Decrypt response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html">Decrypt</a>
 */
public record DecryptResponse(String keyId,
        Blob plaintext,
        String encryptionAlgorithm,
        String keyMaterialId) {
}
