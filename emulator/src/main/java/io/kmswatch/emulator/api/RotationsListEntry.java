package io.kmswatch.emulator.api;

import java.time.Instant;

/**
 * The KMS RotationsListEntry shape.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_RotationsListEntry.html">RotationsListEntry</a>
 */
public record RotationsListEntry(String keyId,
        Instant rotationDate,
        String rotationType,
        String keyMaterialId) {
}
