package io.kmswatch.events.inventory;

import io.kmswatch.events.Severity;
import java.util.Objects;

/**
 * One posture finding about one key, from its {@link KeySnapshot}.
 *
 * @param id       the detection id ({@code posture-key-pending-deletion}, {@code posture-rotation-disabled},
 *                 {@code posture-key-public}, {@code posture-grant-external}) or {@code posture-iam-decides}
 *                 (information, never alerted); never null
 * @param control  the Security Hub control it corresponds to ({@code KMS.3}, {@code KMS.4}, {@code KMS.5}), or null
 * @param severity never null
 * @param keyArn   never null
 * @param title    one line; never null
 * @param detail   what exactly (the deletion date, the principals, the grant ids); never null
 */
public record PostureFinding(String id, String control, Severity severity, String keyArn, String title,
                             String detail) {
    public PostureFinding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(keyArn, "keyArn");
        Objects.requireNonNull(title, "title");
        detail = detail == null ? "" : detail;
    }
}
