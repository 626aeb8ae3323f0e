package io.kmswatch.emulator.api;

/**
 * The GenerateDataKeyWithoutPlaintext response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyWithoutPlaintext.html">GenerateDataKeyWithoutPlaintext</a>
 */
public record GenerateDataKeyWithoutPlaintextResponse(Blob ciphertextBlob,
        String keyId) {
}
