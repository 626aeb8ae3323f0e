package io.kmswatch.emulator.api;

/**
 * The Verify response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_Verify.html">Verify</a>
 */
public record VerifyResponse(String keyId,
        Boolean signatureValid,
        String signingAlgorithm) {
}
