package io.kmswatch.emulator.api;

/**
 * The GenerateDataKeyPairWithoutPlaintext response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyPairWithoutPlaintext.html">GenerateDataKeyPairWithoutPlaintext</a>
 */
public record GenerateDataKeyPairWithoutPlaintextResponse(Blob privateKeyCiphertextBlob,
        Blob publicKey,
        String keyId,
        String keyPairSpec) {
}
