package io.kmswatch.streams.detect;

import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.disableKey;
import static io.kmswatch.events.CloudTrailFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.DetectionException;
import io.kmswatch.streams.DetectionTopology;
import io.kmswatch.streams.DetectionsConfig;
import io.kmswatch.streams.SigmaSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users' Sigma rules in the production topology (TopologyTestDriver), beside the built-in detections. */
class SigmaRulesTopologyTest {
    private static final String ROLE = "arn:aws:iam::111122223333:role/ops";

    private static final String RULES = """
            title: Key material imported
            id: 7d1f0c1e-0000-4000-8000-000000000001
            status: experimental
            description: Someone imported key material.
            author: kmswatch team
            references:
                - https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys.html
            tags:
                - attack.persistence
            falsepositives:
                - Planned rotation of imported material
            logsource:
                product: aws
                service: cloudtrail
            detection:
                selection:
                    eventSource: kms.amazonaws.com
                    eventName: ImportKeyMaterial
                condition: selection
            level: high
            ---
            title: Keys disabled in a burst
            id: 7d1f0c1e-0000-4000-8000-000000000002
            author: kmswatch team
            correlation:
                type: event_count
                rules:
                    - key_disabled
                group-by:
                    - userIdentity.arn
                timespan: 10m
                condition:
                    gte: 3
            level: critical
            ---
            title: One key disabled
            name: key_disabled
            logsource:
                product: aws
                service: cloudtrail
            detection:
                selection:
                    eventName: DisableKey
                condition: selection
            """;

    @TempDir
    Path dir;

    private DetectionsConfig config(Duration grace) throws IOException {
        Files.writeString(dir.resolve("rules.yml"), RULES);
        return DetectionsConfig.defaultConfig().onlyEnabled().withGrace(grace)
                .withSigma(new SigmaSettings(List.of(dir.toString()), false, null));
    }

    private static String key(int i) {
        return "arn:aws:kms:us-east-1:111122223333:key/0000000" + i + "-1111-2222-3333-444455556666";
    }

    @Test
    void shouldRaiseADetectionNamedAfterTheRuleWithItsAuthorAndRunbook() throws IOException {
        try (Harness h = new Harness(config(Duration.ZERO))) {
            List<Detection> out = h.pipe(event("ImportKeyMaterial").principal(ROLE).at(T0)).detections();
            assertThat(out).singleElement().satisfies(d -> {
                assertThat(d.detection()).isEqualTo("sigma:7d1f0c1e-0000-4000-8000-000000000001");
                assertThat(d.severity()).isEqualTo(Severity.HIGH);
                assertThat(d.title()).isEqualTo("Key material imported");
                assertThat(d.summary()).contains("Someone imported key material.").contains("kmswatch team");
                assertThat(d.attributes()).containsEntry("rule.author", "kmswatch team")
                        .containsEntry("rule.tags", "attack.persistence")
                        .containsEntry("rule.falsepositives", "Planned rotation of imported material");
                assertThat(d.runbook().checks()).anyMatch(c -> c.contains("Known false positives"));
                assertThat(d.runbook().commands()).anyMatch(c -> c.contains("AttributeValue=ImportKeyMaterial"));
                assertThat(d.principal()).isEqualTo(ROLE);
            });
            // a rule that only feeds a correlation does not alert on its own
            assertThat(h.pipe(disableKey().key(key(1)).principal(ROLE).at(T0.plusSeconds(1))).detections()).isEmpty();
        }
    }

    @Test
    void shouldFoldRepeatsOfARuleByOneCallerOnOneKeyIntoOneAlertAndARollUp() throws IOException {
        DetectionsConfig c = config(Duration.ZERO);
        c = c.withSigma(c.sigma().withFold(Duration.ofMinutes(10)));
        try (Harness h = new Harness(c)) {
            List<CloudTrailEvent> first = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                first.add(event("ImportKeyMaterial").key(key(1)).principal(ROLE).at(T0.plusSeconds(60L * i)).build());
            }
            CloudTrailEvent other = event("ImportKeyMaterial").key(key(2)).principal(ROLE).at(T0.plusSeconds(30)).build();
            first.forEach(h::pipe);
            h.pipe(other);
            List<Detection> early = h.detections();
            // the first match on each key alerts at once; the four after it on key 1 fold
            assertThat(early).extracting(Detection::keyArn).containsExactlyInAnyOrder(key(1), key(2));
            assertThat(early).allMatch(d -> d.count() == 1);

            // the period (10 min from the first match) passes in stream time: one roll-up of the four
            h.pipe(event("Encrypt").key(key(3)).principal(ROLE).at(T0.plusSeconds(11 * 60)));
            List<Detection> later = h.detections();
            assertThat(later).singleElement().satisfies(d -> {
                assertThat(d.detection()).isEqualTo("sigma:7d1f0c1e-0000-4000-8000-000000000001");
                assertThat(d.keyArn()).isEqualTo(key(1));
                assertThat(d.count()).isEqualTo(4);
                assertThat(d.evidence()).containsExactlyElementsOf(first.subList(1, 5).stream().map(CloudTrailEvent::eventId).toList());
                assertThat(d.firstEventTime()).isEqualTo(T0);
                assertThat(d.lastEventTime()).isEqualTo(T0.plusSeconds(240));
            });

            // a match after the period raises a new alert
            h.pipe(event("ImportKeyMaterial").key(key(1)).principal(ROLE).at(T0.plusSeconds(12 * 60)));
            assertThat(h.detections()).singleElement().satisfies(d -> assertThat(d.count()).isEqualTo(1));
        }
    }

    @Test
    void shouldAlertOnEveryMatchWithoutFold() throws IOException {
        DetectionsConfig c = config(Duration.ZERO);
        c = c.withSigma(c.sigma().withFold(Duration.ZERO));
        try (Harness h = new Harness(c)) {
            for (int i = 0; i < 3; i++) {
                h.pipe(event("ImportKeyMaterial").key(key(1)).principal(ROLE).at(T0.plusSeconds(i)));
            }
            assertThat(h.detections()).hasSize(3).allMatch(d -> d.count() == 1);
        }
    }

    @Test
    void shouldRunRulesOnRecordsOfOtherServices() throws IOException {
        Files.writeString(dir.resolve("trail.yml"), """
                title: Trail stopped
                id: 7d1f0c1e-0000-4000-8000-000000000003
                logsource: {product: aws, service: cloudtrail}
                detection:
                    selection:
                        eventSource: cloudtrail.amazonaws.com
                        eventName: StopLogging
                    condition: selection
                """);
        String record = "{\"eventVersion\": \"1.08\", \"eventTime\": \"2024-03-01T12:00:00Z\","
                + " \"eventSource\": \"cloudtrail.amazonaws.com\", \"eventName\": \"StopLogging\","
                + " \"awsRegion\": \"us-east-1\", \"eventID\": \"3f0c2a4e-0000-4000-8000-000000000001\","
                + " \"recipientAccountId\": \"111122223333\", \"userIdentity\": {\"type\": \"Root\","
                + " \"arn\": \"arn:aws:iam::111122223333:root\", \"accountId\": \"111122223333\"}}";
        // every built-in detection on as well: a root call to another service is no root-key-usage
        DetectionsConfig c = DetectionsConfig.defaultConfig().withGrace(Duration.ZERO)
                .withSigma(new SigmaSettings(List.of(dir.toString()), false, null));
        Files.writeString(dir.resolve("rules.yml"), RULES);
        try (Harness h = new Harness(c)) {
            h.pipeRaw("111122223333:us-east-1", record.getBytes(java.nio.charset.StandardCharsets.UTF_8), T0);
            assertThat(h.detections()).extracting(Detection::detection)
                    .containsExactly("sigma:7d1f0c1e-0000-4000-8000-000000000003");
        }
    }

    @Test
    void shouldFireACorrelationOnceAcrossKeysAndIgnoreDuplicates() throws IOException {
        try (Harness h = new Harness(config(Duration.ZERO))) {
            CloudTrailEvent first = disableKey().key(key(1)).principal(ROLE).at(T0).build();
            h.pipe(first).pipe(first);
            h.pipe(disableKey().key(key(2)).principal(ROLE).at(T0.plusSeconds(60)));
            assertThat(h.detections()).isEmpty();
            h.pipe(disableKey().key(key(3)).principal(ROLE).at(T0.plusSeconds(120)));
            h.pipe(disableKey().key(key(4)).principal(ROLE).at(T0.plusSeconds(130)));
            assertThat(h.detections()).singleElement().satisfies(d -> {
                assertThat(d.detection()).isEqualTo("sigma:7d1f0c1e-0000-4000-8000-000000000002");
                assertThat(d.severity()).isEqualTo(Severity.CRITICAL);
                assertThat(d.count()).isEqualTo(3);
                assertThat(d.evidence()).hasSize(3).contains(first.eventId());
                // grouped by userIdentity.arn: the role session's ARN
                assertThat(d.principal()).startsWith("arn:aws:sts::111122223333:assumed-role/ops/");
                assertThat(d.attributes()).containsEntry("group.userIdentity.arn", d.principal());
            });
        }
    }

    @Test
    void shouldCloseACorrelationWindowWhenLaterEventsMoveStreamTimePastTheGrace() throws IOException {
        try (Harness h = new Harness(config(Duration.ofMinutes(1)))) {
            h.pipe(disableKey().key(key(1)).principal(ROLE).at(T0));
            h.pipe(disableKey().key(key(2)).principal(ROLE).at(T0.plusSeconds(60)));
            h.pipe(disableKey().key(key(3)).principal(ROLE).at(T0.plusSeconds(120)));
            assertThat(h.detections()).isEmpty(); // the third waits for the grace
            h.pipe(io.kmswatch.events.CloudTrailFixtures.decrypt().key(key(4)).at(T0.plusSeconds(600)));
            assertThat(h.detections()).extracting(Detection::detection)
                    .containsExactly("sigma:7d1f0c1e-0000-4000-8000-000000000002");
        }
    }

    @Test
    void shouldGiveTheSameCorrelationAlertsForReorderedInputWithinTheGrace() throws IOException {
        DetectionsConfig c = config(Duration.ofMinutes(15));
        List<CloudTrailEvent> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(disableKey().key(key(i % 5)).principal(i % 2 == 0 ? ROLE : ROLE + "-b")
                    .at(T0.plusSeconds(40L * i)).build());
        }
        List<CloudTrailEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(3));
        var inOrder = Harness.identities(c, events, T0.plusSeconds(7200));
        assertThat(inOrder).hasSize(4);
        assertThat(Harness.identities(c, shuffled, T0.plusSeconds(7200))).isEqualTo(inOrder);
    }

    @Test
    void shouldRefuseToBuildWithARuleThatCannotRun() throws IOException {
        Files.writeString(dir.resolve("bad.yml"), RULES.replace("eventName: ImportKeyMaterial", "eventName|nope: x"));
        DetectionsConfig c = DetectionsConfig.defaultConfig()
                .withSigma(new SigmaSettings(List.of(dir.toString()), false, null));
        assertThatThrownBy(() -> DetectionTopology.build(c, io.kmswatch.events.Topics.DEFAULT))
                .isInstanceOf(DetectionException.class)
                .hasMessageContaining("bad.yml:18: rule '7d1f0c1e-0000-4000-8000-000000000001': unknown modifier 'nope'");
        DetectionsConfig lenient = c.withSigma(new SigmaSettings(List.of(dir.toString()), true, null));
        assertThat(DetectionTopology.build(lenient, io.kmswatch.events.Topics.DEFAULT)).isNotNull();
    }
}
