package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The GetPublicKey response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GetPublicKey.html">GetPublicKey</a>
 */
public record GetPublicKeyResponse(String keyId,
        Blob publicKey,
        String customerMasterKeySpec,
        String keySpec,
        String keyUsage,
        List<String> encryptionAlgorithms,
        List<String> signingAlgorithms) {
    public GetPublicKeyResponse {
        encryptionAlgorithms = encryptionAlgorithms == null ? null : List.copyOf(encryptionAlgorithms);
        signingAlgorithms = signingAlgorithms == null ? null : List.copyOf(signingAlgorithms);
    }
}
