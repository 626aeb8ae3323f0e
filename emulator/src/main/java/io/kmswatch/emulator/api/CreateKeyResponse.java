package io.kmswatch.emulator.api;

/**
 * The CreateKey response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html">CreateKey</a>
 */
public record CreateKeyResponse(KeyMetadata keyMetadata) {
}
