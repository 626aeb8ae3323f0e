package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The DescribeKey request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html">DescribeKey</a>
 */
public record DescribeKeyRequest(String keyId,
        List<String> grantTokens) {
    public DescribeKeyRequest {
        grantTokens = grantTokens == null ? null : List.copyOf(grantTokens);
    }
}
