package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The KMS MultiRegionConfiguration shape.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_MultiRegionConfiguration.html">MultiRegionConfiguration</a>
 */
public record MultiRegionConfiguration(String multiRegionKeyType,
        MultiRegionKey primaryKey,
        List<MultiRegionKey> replicaKeys) {
    public MultiRegionConfiguration {
        replicaKeys = replicaKeys == null ? null : List.copyOf(replicaKeys);
    }
}
