package io.kmswatch.emulator.api;

/**
 * The ImportKeyMaterial response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ImportKeyMaterial.html">ImportKeyMaterial</a>
 */
public record ImportKeyMaterialResponse(String keyId,
        String keyMaterialId) {
}
