package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The GenerateMac request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateMac.html">GenerateMac</a>
 */
public record GenerateMacRequest(Blob message,
        String keyId,
        String macAlgorithm,
        List<String> grantTokens,
        Boolean dryRun) {
    public GenerateMacRequest {
        grantTokens = grantTokens == null ? null : List.copyOf(grantTokens);
    }
}
