package io.kmswatch.emulator.api;

/**
 * The RevokeGrant request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_RevokeGrant.html">RevokeGrant</a>
 */
public record RevokeGrantRequest(String keyId,
        String grantId,
        Boolean dryRun) {
}
