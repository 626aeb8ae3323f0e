package io.kmswatch.emulator.api;

/**
 * The GetKeyPolicy response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html">GetKeyPolicy</a>
 */
public record GetKeyPolicyResponse(String policy,
        String policyName) {
}
