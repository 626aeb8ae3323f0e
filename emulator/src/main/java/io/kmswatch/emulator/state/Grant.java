package io.kmswatch.emulator.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A grant on a key: the grantee may perform {@code operations} (KMS operation names) subject to the
 * encryption-context constraints; the retiring principal (and the grantee, for RetireGrant) may retire it.
 */
public record Grant(String grantId, String keyArn, String name, String granteePrincipal, String retiringPrincipal,
                    List<String> operations, Map<String, String> encryptionContextSubset,
                    Map<String, String> encryptionContextEquals, String issuingAccount, Instant creationDate,
                    String grantToken) {
    public Grant {
        Objects.requireNonNull(grantId, "grantId");
        Objects.requireNonNull(keyArn, "keyArn");
        operations = List.copyOf(operations);
        encryptionContextSubset = encryptionContextSubset == null ? null : Map.copyOf(encryptionContextSubset);
        encryptionContextEquals = encryptionContextEquals == null ? null : Map.copyOf(encryptionContextEquals);
    }

    @Override
    public String toString() {
        // The grant token is a bearer credential for the grant: keep it out of logs.
        return "Grant[" + grantId + " on " + keyArn + " to " + granteePrincipal + " " + operations + "]";
    }
}
