package io.kmswatch.emulator.api;

/**
 * The VerifyMac response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_VerifyMac.html">VerifyMac</a>
 */
public record VerifyMacResponse(String keyId,
        Boolean macValid,
        String macAlgorithm) {
}
