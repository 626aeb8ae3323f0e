package io.kmswatch.emulator.api;

/**
 * The GenerateRandom response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateRandom.html">GenerateRandom</a>
 */
public record GenerateRandomResponse(Blob plaintext) {
}
