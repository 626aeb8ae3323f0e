package io.kmswatch.emulator.api;

/**
 * The CancelKeyDeletion response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_CancelKeyDeletion.html">CancelKeyDeletion</a>
 */
public record KeyIdResponse(String keyId) {
}
