package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The VerifyMac request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_VerifyMac.html">VerifyMac</a>
 */
public record VerifyMacRequest(Blob message,
        String keyId,
        String macAlgorithm,
        Blob mac,
        List<String> grantTokens,
        Boolean dryRun) {
    public VerifyMacRequest {
        grantTokens = grantTokens == null ? null : List.copyOf(grantTokens);
    }
}
