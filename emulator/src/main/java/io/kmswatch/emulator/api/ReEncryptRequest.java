package io.kmswatch.emulator.api;

import java.util.List;
import java.util.Map;

/**
 * The ReEncrypt request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ReEncrypt.html">ReEncrypt</a>
 */
public record ReEncryptRequest(Blob ciphertextBlob,
        Map<String, String> sourceEncryptionContext,
        String sourceKeyId,
        String destinationKeyId,
        Map<String, String> destinationEncryptionContext,
        String sourceEncryptionAlgorithm,
        String destinationEncryptionAlgorithm,
        List<String> grantTokens,
        Boolean dryRun) {
    public ReEncryptRequest {
        sourceEncryptionContext = sourceEncryptionContext == null ? null : Map.copyOf(sourceEncryptionContext);
        destinationEncryptionContext = destinationEncryptionContext == null ? null : Map.copyOf(destinationEncryptionContext);
        grantTokens = grantTokens == null ? null : List.copyOf(grantTokens);
    }
}
