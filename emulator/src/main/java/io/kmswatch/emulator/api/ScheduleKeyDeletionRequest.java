package io.kmswatch.emulator.api;

/**
 * The ScheduleKeyDeletion request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html">ScheduleKeyDeletion</a>
 */
public record ScheduleKeyDeletionRequest(String keyId,
        Integer pendingWindowInDays) {
}
