package io.kmswatch.emulator.api;

/**
 * The KMS MultiRegionKey shape.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_MultiRegionKey.html">MultiRegionKey</a>
 */
public record MultiRegionKey(String arn,
        String region) {
}
