package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The ReplicateKey response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html">ReplicateKey</a>
 */
public record ReplicateKeyResponse(KeyMetadata replicaKeyMetadata,
        String replicaPolicy,
        List<Tag> replicaTags) {
    public ReplicateKeyResponse {
        replicaTags = replicaTags == null ? null : List.copyOf(replicaTags);
    }
}
