package io.kmswatch.alerts;

import io.kmswatch.events.Alert;
import io.kmswatch.events.AlertStatus;
import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Runbook;
import io.kmswatch.events.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Builds detections and alerts for the alerts module's tests. */
final class Detections {
    static final String KEY = CloudTrailFixtures.KEY_ARN;
    static final String OTHER_KEY = "arn:aws:kms:us-east-1:111122223333:key/9999abcd-12ab-34cd-56ef-1234567890ab";
    static final Instant T0 = CloudTrailFixtures.T0;

    private String fingerprint = "fp-key-disabled-1";
    private String detection = "key-disabled";
    private Severity severity = Severity.HIGH;
    private String keyArn = KEY;
    private String account = CloudTrailFixtures.ACCOUNT;
    private String region = CloudTrailFixtures.REGION;
    private Instant at = T0;
    private long count = 1;
    private int tier;
    private boolean resolves;
    private final Map<String, String> attributes = new HashMap<>();
    private List<String> evidence = List.of("e-1");

    static Detections fire() {
        return new Detections();
    }

    static Detections resolve() {
        Detections d = new Detections();
        d.resolves = true;
        d.fingerprint = "fp-key-enabled-1";
        return d;
    }

    Detections fingerprint(String fp) {
        this.fingerprint = fp;
        return this;
    }

    Detections detection(String id) {
        this.detection = id;
        return this;
    }

    Detections severity(Severity s) {
        this.severity = s;
        return this;
    }

    Detections key(String arn) {
        this.keyArn = arn;
        return this;
    }

    Detections account(String a) {
        this.account = a;
        return this;
    }

    Detections region(String r) {
        this.region = r;
        return this;
    }

    Detections at(Instant t) {
        this.at = t;
        return this;
    }

    Detections count(long c) {
        this.count = c;
        return this;
    }

    Detections tier(int t) {
        this.tier = t;
        return this;
    }

    Detections tag(String k, String v) {
        attributes.put(AlertLabels.TAG_PREFIX + k, v);
        return this;
    }

    Detections evidence(String... ids) {
        this.evidence = List.of(ids);
        return this;
    }

    Detection build() {
        return new Detection(fingerprint, detection, severity, resolves ? "KMS key re-enabled" : "KMS key disabled",
                "DisableKey on " + keyArn, keyArn, account, region, CloudTrailFixtures.ROLE_ARN, at, at, count, tier,
                evidence, Runbook.of(List.of("Who disabled it?"),
                List.of("aws kms enable-key --key-id " + keyArn + " --region " + region,
                        "aws cloudtrail lookup-events --lookup-attributes AttributeKey=ResourceName,AttributeValue=" + keyArn)),
                attributes, resolves);
    }

    Alert alert(String id, List<String> sinks) {
        return Alert.from(id, build(), sinks);
    }

    /**
     * Per alert (each on its own key), five updates: firing at low, escalated to medium, high and
     * critical with one more occurrence each, then resolved.
     */
    static List<List<Alert>> updates(int alerts, List<String> sinks) {
        List<Severity> escalation = List.of(Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL);
        return IntStream.range(0, alerts).mapToObj(i -> {
            String fp = "fp-outage-" + i;
            String key = String.format("arn:aws:kms:us-east-1:111122223333:key/%08d-1111-2222-3333-444455556666", i);
            String id = AlertTopology.alertId(fp, T0);
            List<Alert> updates = new ArrayList<>();
            for (int u = 0; u < escalation.size(); u++) {
                updates.add(update(fire().fingerprint(fp).key(key).severity(escalation.get(u)).alert(id, sinks),
                        AlertStatus.FIRING, u + 1));
            }
            updates.add(update(updates.get(updates.size() - 1), AlertStatus.RESOLVED, escalation.size()));
            return List.copyOf(updates);
        }).toList();
    }

    private static Alert update(Alert a, AlertStatus status, long occurrences) {
        return new Alert(a.id(), a.fingerprint(), a.detection(), a.severity(), status, a.title(), a.summary(),
                a.keyArn(), a.accountId(), a.region(), a.principal(), a.count(), occurrences, a.firstEventTime(),
                a.lastEventTime(), a.evidence(), a.runbook(), a.attributes(), a.sinks());
    }

    static Alert alert(String id, AlertStatus status, List<String> sinks) {
        Alert a = fire().alert(id, sinks);
        return new Alert(a.id(), a.fingerprint(), a.detection(), a.severity(), status, a.title(), a.summary(),
                a.keyArn(), a.accountId(), a.region(), a.principal(), a.count(), a.occurrences(), a.firstEventTime(),
                a.lastEventTime(), a.evidence(), a.runbook(), a.attributes(), sinks);
    }
}
