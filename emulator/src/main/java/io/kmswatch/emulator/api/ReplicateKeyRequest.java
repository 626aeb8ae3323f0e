package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The ReplicateKey request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html">ReplicateKey</a>
 */
public record ReplicateKeyRequest(String keyId,
        String replicaRegion,
        String policy,
        Boolean bypassPolicyLockoutSafetyCheck,
        String description,
        List<Tag> tags) {
    public ReplicateKeyRequest {
        tags = tags == null ? null : List.copyOf(tags);
    }
}
