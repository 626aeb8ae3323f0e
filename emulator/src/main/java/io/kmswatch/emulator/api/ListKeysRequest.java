package io.kmswatch.emulator.api;

/**
 * The ListKeys request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeys.html">ListKeys</a>
 */
public record ListKeysRequest(Integer limit,
        String marker) {
}
