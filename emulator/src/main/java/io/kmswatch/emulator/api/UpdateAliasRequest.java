package io.kmswatch.emulator.api;

/**
 * The UpdateAlias request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_UpdateAlias.html">UpdateAlias</a>
 */
public record UpdateAliasRequest(String aliasName,
        String targetKeyId) {
}
