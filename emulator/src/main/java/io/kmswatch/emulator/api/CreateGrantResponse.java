package io.kmswatch.emulator.api;

/**
 * The CreateGrant response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html">CreateGrant</a>
 */
public record CreateGrantResponse(String grantToken,
        String grantId) {
}
