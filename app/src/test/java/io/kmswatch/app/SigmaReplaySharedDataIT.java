package io.kmswatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.Alert;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Json;
import io.kmswatch.sigma.SigmaHqExpectations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kmswatch replay --rules} with the 57 SigmaHQ CloudTrail rules on the invictus dataset (the shared-data
 * profile): through the whole pipeline (ingest keeps every record when rules are loaded, detect, alerts), the
 * Sigma alerts count exactly the (record, rule) pairs {@link SigmaHqExpectations} derives record by record, and
 * name only such pairs as evidence (repeats of a rule by one caller on one key fold into a roll-up).
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
        // every match is counted once: in its own alert, or in the roll-up of the fold period it fell in (whose
        // evidence names the first 5 of them)
        Set<String> evidence = new TreeSet<>();
        Map<String, Long> counted = new TreeMap<>();
        for (String line : Files.readAllLines(out)) {
            Alert a = Json.MAPPER.readValue(line, Alert.class);
            if (a.detection().startsWith("sigma:")) {
                assertThat(a.attributes()).containsKey("rule.author");
                String rule = a.detection().substring("sigma:".length());
                a.evidence().forEach(id -> evidence.add(id + " " + rule));
                counted.merge(rule, a.count(), Long::sum);
            }
        }
        Map<String, Long> perRule = new TreeMap<>();
        expected.forEach(pair -> perRule.merge(pair.substring(pair.indexOf(' ') + 1), 1L, Long::sum));
        assertThat(counted).isEqualTo(perRule);
        assertThat(expected).containsAll(evidence);
    }
}
