package io.kmswatch.emulator.policy;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the evaluator needs to know about one grant on a key.
 *
 * @param grantId                  the grant id; never null
 * @param keyArn                   the key the grant is for; null matches the request's key
 * @param granteePrincipal         who the grant gives its operations to (ARN, or an account's root ARN / id)
 * @param retiringPrincipal        who may retire the grant besides the grantee, or null
 * @param operations               grant operation names without the {@code kms:} prefix, e.g. {@code Decrypt}
 * @param encryptionContextSubset  EncryptionContextSubset constraint; empty when none
 * @param encryptionContextEquals  EncryptionContextEquals constraint; empty when none
 */
public record GrantView(String grantId, String keyArn, String granteePrincipal, String retiringPrincipal,
                        Set<String> operations, Map<String, String> encryptionContextSubset,
                        Map<String, String> encryptionContextEquals) {
    public GrantView {
        Objects.requireNonNull(grantId, "grantId");
        operations = operations == null ? Set.of() : Set.copyOf(operations);
        encryptionContextSubset = encryptionContextSubset == null ? Map.of() : Map.copyOf(encryptionContextSubset);
        encryptionContextEquals = encryptionContextEquals == null ? Map.of() : Map.copyOf(encryptionContextEquals);
    }
}
