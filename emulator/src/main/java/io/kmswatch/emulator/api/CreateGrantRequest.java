package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The CreateGrant request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html">CreateGrant</a>
 */
public record CreateGrantRequest(String keyId,
        String granteePrincipal,
        String retiringPrincipal,
        List<String> operations,
        GrantConstraints constraints,
        List<String> grantTokens,
        String name,
        Boolean dryRun) {
    public CreateGrantRequest {
        operations = operations == null ? null : List.copyOf(operations);
        grantTokens = grantTokens == null ? null : List.copyOf(grantTokens);
    }
}
