package io.kmswatch.emulator.api;

import java.time.Instant;

/**
 * The ScheduleKeyDeletion response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html">ScheduleKeyDeletion</a>
 */
public record ScheduleKeyDeletionResponse(String keyId,
        Instant deletionDate,
        String keyState,
        Integer pendingWindowInDays) {
}
