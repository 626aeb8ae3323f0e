package io.kmswatch.emulator.api;

/**
 * The Sign response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html">Sign</a>
 */
public record SignResponse(String keyId,
        Blob signature,
        String signingAlgorithm) {
}
