package io.kmswatch.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.Alert;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Runbook;
import io.kmswatch.events.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplayReportTest {
    @Test
    void shouldRenderTimelineAlertsEvidenceAndEscapeEverything() {
        ReplayStats stats = new ReplayStats();
        CloudTrailEvent disable = CloudTrailFixtures.disableKey().eventId("ev-disable").at(CloudTrailFixtures.T0.plusSeconds(120)).build();
        stats.add(disable);
        for (int i = 0; i < 30; i++) {
            stats.add(CloudTrailFixtures.decrypt().at(CloudTrailFixtures.T0.plusSeconds(i * 20L))
                    .error(i > 8 ? "DisabledException" : null, i > 8 ? "disabled" : null).build());
        }
        Detection d = new Detection("fp", "key-disabled", Severity.HIGH, "Key <disabled>", "A key was disabled & apps fail.",
                CloudTrailFixtures.KEY_ARN, "111122223333", "us-east-1", CloudTrailFixtures.ROLE_ARN,
                disable.eventTime(), disable.eventTime(), 1, 0, List.of("ev-disable"),
                Runbook.of(List.of("Who disabled it?"), List.of("aws kms enable-key --key-id " + CloudTrailFixtures.KEY_ARN)),
                Map.of(), false);

        String html = new ReplayReport(stats, List.of(Alert.from("a1", d, List.of())), List.of("incident/logs")).html();

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("<rect").contains("class=\"alertdot\"")
                .contains("Key &lt;disabled&gt;").contains("apps fail.").contains("A key was disabled &amp; apps fail.")
                .contains("aws kms enable-key --key-id arn:aws:kms").contains("eventID ev-disable")
                .contains("&quot;eventName&quot; : &quot;DisableKey&quot;")
                .contains("DisabledException")
                .doesNotContain("<script").doesNotContain("http://").doesNotContain("https://");
    }

    @Test
    void shouldSaySoWhenThereIsNothing() {
        String html = new ReplayReport(new ReplayStats(), List.of(), List.of("empty")).html();
        assertThat(html).contains("No KMS records in the input.").contains("No alert fired.");
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "2, 1", "5, 1", "6, 2", "10, 2", "11, 5", "25, 5", "26, 10", "120, 50", "5000, 1000"})
    void shouldStepTheCallAxisByWholeNumbersInAtMostFiveIntervals(long max, long step) {
        assertThat(ReplayReport.yStep(max)).isEqualTo(step);
    }

    @Test
    void shouldNotRepeatAnAxisLabelOnASmallScale() {
        String html = ReportFixtures.lateAlertIncident().html();
        Matcher m = Pattern.compile("class=\"ax ytick\"[^>]*>(\\d+)</text>").matcher(html);
        List<String> labels = new ArrayList<>();
        while (m.find()) {
            labels.add(m.group(1));
        }
        assertThat(labels).containsExactly("0", "1", "2");
    }

    @Test
    void shouldGiveTheAlertThatFiresAfterTheRecordsAPanelOfItsOwn() {
        String html = ReportFixtures.lateAlertIncident().html();
        assertThat(html).contains("class=\"later\"").contains("class=\"axisbreak\"").contains("22 days later")
                .contains(ReportFixtures.PENDING_FIRES.toString().substring(0, 10))
                .contains("data-detection=\"key-deletion-pending\"");
    }

    @Test
    void shouldCountInGoodEnglish() {
        String html = ReportFixtures.lateAlertIncident().html();
        assertThat(html).contains("Evidence: 1 record</summary>").contains("Evidence: 5 records</summary>")
                .doesNotContain(" 1 records");
        assertThat(ReplayReport.plural(1, "alert")).isEqualTo("1 alert");
        assertThat(ReplayReport.plural(0, "alert")).isEqualTo("0 alerts");
    }
}
