package io.kmswatch.emulator.api;

/**
 * The ListKeyRotations request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyRotations.html">ListKeyRotations</a>
 */
public record ListKeyRotationsRequest(String keyId,
        Integer limit,
        String marker) {
}
