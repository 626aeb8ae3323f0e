package io.kmswatch.emulator.api;

/**
 * The GenerateDataKeyPair response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyPair.html">GenerateDataKeyPair</a>
 */
public record GenerateDataKeyPairResponse(Blob privateKeyCiphertextBlob,
        Blob privateKeyPlaintext,
        Blob publicKey,
        String keyId,
        String keyPairSpec) {
}
