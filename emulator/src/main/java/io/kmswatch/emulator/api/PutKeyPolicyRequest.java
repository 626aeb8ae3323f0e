package io.kmswatch.emulator.api;

/**
 * The PutKeyPolicy request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html">PutKeyPolicy</a>
 */
public record PutKeyPolicyRequest(String keyId,
        String policyName,
        String policy,
        Boolean bypassPolicyLockoutSafetyCheck) {
}
