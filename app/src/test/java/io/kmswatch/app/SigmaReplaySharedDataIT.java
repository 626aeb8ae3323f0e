package io.kmswatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.Alert;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Json;
import io.kmswatch.sigma.SigmaHqExpectations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kmswatch replay --rules} with the 57 SigmaHQ CloudTrail rules on the invictus dataset (the shared-data
 * profile): through the whole pipeline (ingest keeps every record when rules are loaded, detect, alerts), the
 * Sigma alerts are exactly the (record, rule) pairs {@link SigmaHqExpectations} derives record by record.
 */
class SigmaReplaySharedDataIT {
    @TempDir
    Path dir;

    @Test
    void shouldRaiseTheAlertsDerivedRecordByRecord() throws Exception {
        List<CloudTrailEvent> events = SigmaHqExpectations.invictus();
        Set<String> expected = SigmaHqExpectations.expectedPairs(events);
        Path out = dir.resolve("alerts.jsonl");
        assertThat(Kmswatch.execute("replay", "--quiet", SigmaHqExpectations.INVICTUS.toAbsolutePath().toString(),
                "--rules", SigmaHqExpectations.RULES.toAbsolutePath().toString(), "--alerts-out", out.toString()))
                .isZero();
        Set<String> actual = new TreeSet<>();
        for (String line : Files.readAllLines(out)) {
            Alert a = Json.MAPPER.readValue(line, Alert.class);
            if (a.detection().startsWith("sigma:")) {
                assertThat(a.attributes()).containsKey("rule.author");
                a.evidence().forEach(id -> actual.add(id + " " + a.detection().substring("sigma:".length())));
            }
        }
        assertThat(actual).isEqualTo(expected);
    }
}
