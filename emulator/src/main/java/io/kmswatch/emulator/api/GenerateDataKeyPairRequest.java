package io.kmswatch.emulator.api;

import java.util.List;
import java.util.Map;

/**
 * The GenerateDataKeyPair request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyPair.html">GenerateDataKeyPair</a>
 */
public record GenerateDataKeyPairRequest(Map<String, String> encryptionContext,
        String keyId,
        String keyPairSpec,
        List<String> grantTokens,
        Boolean dryRun) {
    public GenerateDataKeyPairRequest {
        encryptionContext = encryptionContext == null ? null : Map.copyOf(encryptionContext);
        grantTokens = grantTokens == null ? null : List.copyOf(grantTokens);
    }
}
