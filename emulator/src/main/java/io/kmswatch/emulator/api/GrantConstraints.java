package io.kmswatch.emulator.api;

import java.util.Map;

/**
 * The KMS GrantConstraints shape.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantConstraints.html">GrantConstraints</a>
 */
public record GrantConstraints(Map<String, String> encryptionContextSubset,
        Map<String, String> encryptionContextEquals) {
    public GrantConstraints {
        encryptionContextSubset = encryptionContextSubset == null ? null : Map.copyOf(encryptionContextSubset);
        encryptionContextEquals = encryptionContextEquals == null ? null : Map.copyOf(encryptionContextEquals);
    }
}
