package io.kmswatch.app.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.Detection;
import io.kmswatch.events.Runbook;
import io.kmswatch.events.ScenarioLabel;
import io.kmswatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoreboardTest {
    private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");
    private static final String KEY = "arn:aws:kms:us-east-1:111122223333:key/a";
    private static final String OTHER_KEY = "arn:aws:kms:us-east-1:111122223333:key/b";

    private static Detection det(String id, String fp, String key, Instant at) {
        return new Detection(fp, id, Severity.HIGH, "t", "s", key, "111122223333", "us-east-1", "p", at, at, 1, 0,
                List.of(), Runbook.empty(), Map.of(), false);
    }

    private static ScenarioLabel label(String type, List<String> expected, String key, Instant start, Instant end) {
        return new ScenarioLabel(type + "-1", type, expected, key, null, "111122223333", start, end);
    }

    private final Scoreboard board = new Scoreboard(Duration.ofMinutes(5));

    @Test
    void shouldCountTruePositivesFalsePositivesAndMisses() {
        List<ScenarioLabel> labels = List.of(
                label("key-disabled-cleanup", List.of("key-disabled", "key-unusable-failures"), KEY, T0, T0.plusSeconds(600)),
                label("planned-retirement", List.of(), OTHER_KEY, T0, T0.plusSeconds(600)));
        List<Detection> detections = List.of(
                det("key-disabled", "fp1", KEY, T0.plusSeconds(30)),
                det("key-disabled", "fp1", KEY, T0.plusSeconds(90)),
                det("key-deletion-scheduled", "fp2", OTHER_KEY, T0.plusSeconds(60)),
                det("key-disabled", "fp3", KEY, T0.plusSeconds(7200)));

        Scoreboard.Result r = board.score(labels, detections);

        Scoreboard.Score disabled = r.scores().stream().filter(s -> s.detection().equals("key-disabled")).findFirst().orElseThrow();
        assertThat(disabled.truePositives()).isEqualTo(1);
        assertThat(disabled.falsePositives()).isEqualTo(1);
        assertThat(disabled.medianTimeToDetect()).isEqualTo(Duration.ofSeconds(30));
        Scoreboard.Score unusable = r.scores().stream().filter(s -> s.detection().equals("key-unusable-failures")).findFirst().orElseThrow();
        assertThat(unusable.falseNegatives()).isEqualTo(1);
        assertThat(unusable.recall()).isZero();
        assertThat(r.lookAlikeHits()).extracting(Scoreboard.LookAlikeHit::detection).containsExactly("key-deletion-scheduled");
        assertThat(r.missed()).containsExactly("key-disabled-cleanup (key-disabled-cleanup-1): key-unusable-failures");
        assertThat(r.findings()).isEqualTo(3);
    }

    @Test
    void shouldIgnoreResolutionsAndScorePerfectRunAsOne() {
        List<ScenarioLabel> labels = List.of(label("rotation-disabled", List.of("key-rotation-disabled"), KEY, T0, T0));
        Detection fired = det("key-rotation-disabled", "fp", KEY, T0);
        Detection resolved = new Detection("fp", "key-rotation-disabled", Severity.HIGH, "t", "s", KEY, null, null, null,
                T0, T0.plusSeconds(5), 1, 0, List.of(), Runbook.empty(), Map.of(), true);

        Scoreboard.Result r = board.score(labels, List.of(fired, resolved));

        assertThat(r.scores()).singleElement().satisfies(s -> {
            assertThat(s.precision()).isEqualTo(1.0);
            assertThat(s.recall()).isEqualTo(1.0);
        });
    }

    @Test
    void shouldNotChargeTheNextIncidentsExpectedFindingToTheLookAlikeBeforeIt() {
        Instant incidentStart = T0.plusSeconds(720);
        List<ScenarioLabel> labels = List.of(
                label("deploy-doubles-traffic", List.of(), KEY, T0, T0.plusSeconds(600)),
                label("credential-compromise", List.of("new-source-ip"), KEY, incidentStart, incidentStart.plusSeconds(600)));
        // Inside the look-alike's tolerance (5 min) but after its end: the incident's finding.
        Detection incidents = det("new-source-ip", "fp1", KEY, incidentStart.plusSeconds(1));
        // Inside the look-alike's tolerance, after its end, and no incident expects it: still the look-alike's.
        Detection unexpected = det("decrypt-spike", "fp2", KEY, T0.plusSeconds(660));
        // Inside the look-alike's own span: the look-alike's, even though the incident would also explain it.
        Detection during = det("new-source-ip", "fp3", KEY, T0.plusSeconds(590));

        Scoreboard.Result r = board.score(labels, List.of(incidents, unexpected, during));

        assertThat(r.lookAlikeHits()).extracting(Scoreboard.LookAlikeHit::fingerprint).containsExactlyInAnyOrder("fp2", "fp3");
        assertThat(r.missed()).isEmpty();
    }
}
