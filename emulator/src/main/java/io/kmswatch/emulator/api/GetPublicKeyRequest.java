package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The GetPublicKey request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GetPublicKey.html">GetPublicKey</a>
 */
public record GetPublicKeyRequest(String keyId,
        List<String> grantTokens) {
    public GetPublicKeyRequest {
        grantTokens = grantTokens == null ? null : List.copyOf(grantTokens);
    }
}
