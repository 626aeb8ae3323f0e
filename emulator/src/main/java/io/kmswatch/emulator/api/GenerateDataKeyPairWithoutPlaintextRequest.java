package io.kmswatch.emulator.api;

import java.util.List;
import java.util.Map;

/**
 * The GenerateDataKeyPairWithoutPlaintext request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKeyPairWithoutPlaintext.html">GenerateDataKeyPairWithoutPlaintext</a>
 */
public record GenerateDataKeyPairWithoutPlaintextRequest(Map<String, String> encryptionContext,
        String keyId,
        String keyPairSpec,
        List<String> grantTokens,
        Boolean dryRun) {
    public GenerateDataKeyPairWithoutPlaintextRequest {
        encryptionContext = encryptionContext == null ? null : Map.copyOf(encryptionContext);
        grantTokens = grantTokens == null ? null : List.copyOf(grantTokens);
    }
}
