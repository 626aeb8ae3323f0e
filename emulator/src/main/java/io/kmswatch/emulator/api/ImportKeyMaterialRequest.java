package io.kmswatch.emulator.api;

import java.time.Instant;

/**
 * The ImportKeyMaterial request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ImportKeyMaterial.html">ImportKeyMaterial</a>
 */
public record ImportKeyMaterialRequest(String keyId,
        Blob importToken,
        Blob encryptedKeyMaterial,
        Instant validTo,
        String expirationModel) {
}
