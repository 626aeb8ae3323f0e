package io.kmswatch.emulator.api;

import java.util.List;
import java.util.Map;

/**
 * The Encrypt request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html">Encrypt</a>
 */
public record EncryptRequest(String keyId,
        Blob plaintext,
        Map<String, String> encryptionContext,
        List<String> grantTokens,
        String encryptionAlgorithm,
        Boolean dryRun) {
    public EncryptRequest {
        encryptionContext = encryptionContext == null ? null : Map.copyOf(encryptionContext);
        grantTokens = grantTokens == null ? null : List.copyOf(grantTokens);
    }
}
