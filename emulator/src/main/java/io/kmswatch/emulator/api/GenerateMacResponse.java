package io.kmswatch.emulator.api;

/**
 * The GenerateMac response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateMac.html">GenerateMac</a>
 */
public record GenerateMacResponse(Blob mac,
        String macAlgorithm,
        String keyId) {
}
