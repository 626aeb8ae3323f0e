package io.kmswatch.emulator.api;

import java.time.Instant;
import java.util.List;

/**
 * The KMS GrantListEntry shape.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantListEntry.html">GrantListEntry</a>
 */
public record GrantListEntry(String keyId,
        String grantId,
        String name,
        Instant creationDate,
        String granteePrincipal,
        String retiringPrincipal,
        String issuingAccount,
        List<String> operations,
        GrantConstraints constraints) {
    public GrantListEntry {
        operations = operations == null ? null : List.copyOf(operations);
    }
}
