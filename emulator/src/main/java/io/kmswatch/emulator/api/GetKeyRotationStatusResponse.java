package io.kmswatch.emulator.api;

import java.time.Instant;

/**
 * The GetKeyRotationStatus response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html">GetKeyRotationStatus</a>
 */
public record GetKeyRotationStatusResponse(Boolean keyRotationEnabled,
        String keyId,
        Integer rotationPeriodInDays,
        Instant nextRotationDate,
        Instant onDemandRotationStartDate) {
}
