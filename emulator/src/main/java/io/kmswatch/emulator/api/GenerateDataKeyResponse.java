package io.kmswatch.emulator.api;

/**
 * The GenerateDataKey response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html">GenerateDataKey</a>
 */
public record GenerateDataKeyResponse(Blob ciphertextBlob,
        Blob plaintext,
        String keyId) {
}
