package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The Verify request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_Verify.html">Verify</a>
 */
public record VerifyRequest(String keyId,
        Blob message,
        String messageType,
        Blob signature,
        String signingAlgorithm,
        List<String> grantTokens,
        Boolean dryRun) {
    public VerifyRequest {
        grantTokens = grantTokens == null ? null : List.copyOf(grantTokens);
    }
}
