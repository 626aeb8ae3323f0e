package io.kmswatch.emulator.api;

import java.util.List;
import java.util.Map;

/**
 * The Decrypt request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html">Decrypt</a>
 */
public record DecryptRequest(Blob ciphertextBlob,
        Map<String, String> encryptionContext,
        List<String> grantTokens,
        String keyId,
        String encryptionAlgorithm,
        Boolean dryRun) {
    public DecryptRequest {
        encryptionContext = encryptionContext == null ? null : Map.copyOf(encryptionContext);
        grantTokens = grantTokens == null ? null : List.copyOf(grantTokens);
    }
}
