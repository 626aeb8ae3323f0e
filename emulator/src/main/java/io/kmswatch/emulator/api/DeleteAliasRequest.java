package io.kmswatch.emulator.api;

/**
 * The DeleteAlias request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_DeleteAlias.html">DeleteAlias</a>
 */
public record DeleteAliasRequest(String aliasName) {
}
