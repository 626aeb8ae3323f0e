package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The Sign request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html">Sign</a>
 */
public record SignRequest(String keyId,
        Blob message,
        String messageType,
        List<String> grantTokens,
        String signingAlgorithm,
        Boolean dryRun) {
    public SignRequest {
        grantTokens = grantTokens == null ? null : List.copyOf(grantTokens);
    }
}
