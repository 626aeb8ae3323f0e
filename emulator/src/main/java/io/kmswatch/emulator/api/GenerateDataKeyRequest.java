package io.kmswatch.emulator.api;

import java.util.List;
import java.util.Map;

/**
 * The GenerateDataKey request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html">GenerateDataKey</a>
 */
public record GenerateDataKeyRequest(String keyId,
        Map<String, String> encryptionContext,
        Integer numberOfBytes,
        String keySpec,
        List<String> grantTokens,
        Boolean dryRun) {
    public GenerateDataKeyRequest {
        encryptionContext = encryptionContext == null ? null : Map.copyOf(encryptionContext);
        grantTokens = grantTokens == null ? null : List.copyOf(grantTokens);
    }
}
