package io.kmswatch.emulator.api;

/**
 * The UpdateKeyDescription request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateKeyDescription.html">UpdateKeyDescription</a>
 */
public record UpdateKeyDescriptionRequest(String keyId,
        String description) {
}
