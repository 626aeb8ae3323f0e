package io.kmswatch.app.report;

import io.kmswatch.events.Alert;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Runbook;
import io.kmswatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small incident for the report: 90 minutes of a few calls a minute (at most two in one minute), a key
 * disabled, failing calls, another key scheduled for deletion and, 23 days after the last record, the
 * key-deletion-pending alert that the deletion's timer raises; one alert right at the end of the records.
 */
final class ReportFixtures {
    static final Instant T0 = CloudTrailFixtures.T0;
    static final String PENDING_KEY = "arn:aws:kms:us-east-1:111122223333:key/0000aaaa-1111-2222-3333-444455556666";
    /** When key-deletion-pending fires: 23 days after the ScheduleKeyDeletion, days after the last record. */
    static final Instant PENDING_FIRES = T0.plus(Duration.ofMinutes(30)).plus(Duration.ofDays(23));

    private ReportFixtures() {
    }

    static ReplayReport lateAlertIncident() {
        ReplayStats stats = new ReplayStats();
        for (int minute = 0; minute < 90; minute += 3) {
            stats.add(CloudTrailFixtures.decrypt().at(T0.plusSeconds(minute * 60L)).build());
            if (minute % 9 == 0) {
                stats.add(CloudTrailFixtures.generateDataKey().at(T0.plusSeconds(minute * 60L + 20)).build());
            }
        }
        CloudTrailEvent disable = CloudTrailFixtures.disableKey().eventId("ev-disable").at(T0.plus(Duration.ofMinutes(20))).build();
        stats.add(disable);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CloudTrailEvent failed = CloudTrailFixtures.decrypt().eventId("ev-fail-" + i)
                    .at(T0.plus(Duration.ofMinutes(21 + i))).error("DisabledException", "disabled").build();
            stats.add(failed);
            failures.add(failed.eventId());
        }
        CloudTrailEvent schedule = CloudTrailFixtures.scheduleKeyDeletion(30).key(PENDING_KEY).eventId("ev-schedule")
                .at(T0.plus(Duration.ofMinutes(30))).build();
        stats.add(schedule);
        CloudTrailEvent last = CloudTrailFixtures.event("ListKeys").eventId("ev-last").at(T0.plus(Duration.ofMinutes(90))).build();
        stats.add(last);

        List<Alert> alerts = List.of(
                alert("key-disabled", Severity.HIGH, "KMS key disabled", CloudTrailFixtures.KEY_ARN,
                        disable.eventTime(), disable.eventTime(), List.of("ev-disable")),
                alert("key-destruction-chain", Severity.HIGH, "KMS key disabled and scheduled for deletion",
                        CloudTrailFixtures.KEY_ARN, disable.eventTime(), disable.eventTime(), List.of("ev-disable")),
                alert("key-unusable-failures", Severity.HIGH, "5 calls failing on unusable key", CloudTrailFixtures.KEY_ARN,
                        T0.plus(Duration.ofMinutes(21)), T0.plus(Duration.ofMinutes(25)), failures),
                alert("key-deletion-scheduled", Severity.HIGH, "KMS key scheduled for deletion", PENDING_KEY,
                        schedule.eventTime(), schedule.eventTime(), List.of("ev-schedule")),
                alert("key-deletion-pending", Severity.CRITICAL, "KMS key will be deleted in 7 days", PENDING_KEY,
                        schedule.eventTime(), PENDING_FIRES, List.of("ev-schedule")),
                alert("root-key-usage", Severity.HIGH, "Root user called KMS ListKeys", null,
                        last.eventTime(), last.eventTime(), List.of("ev-last")));
        return new ReplayReport(stats, alerts, List.of("incident/logs"));
    }

    private static Alert alert(String detection, Severity severity, String title, String key, Instant first, Instant last,
                               List<String> evidence) {
        Detection d = new Detection("fp-" + detection, detection, severity, title, title + ".", key, "111122223333",
                "us-east-1", CloudTrailFixtures.USER_ARN, first, last, evidence.size(), 0, evidence,
                Runbook.of(List.of("Who did it?"), List.of("aws cloudtrail lookup-events --region us-east-1")), Map.of(), false);
        return Alert.from("id-" + detection, d, List.of());
    }
}
