package io.kmswatch.dashboards;

import io.kmswatch.alerts.AlertsMetrics;
import io.kmswatch.emulator.EmulatorMetrics;
import io.kmswatch.emulator.state.InMemoryKeyStore;
import io.kmswatch.events.Alert;
import io.kmswatch.events.AlertStatus;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Runbook;
import io.kmswatch.events.Severity;
import io.kmswatch.ingest.IngestMetrics;
import io.kmswatch.ingest.IngestMetricsDriver;
import io.kmswatch.streams.StreamsMetrics;
import io.kmswatch.streams.detect.KeyFacts;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Binds every module's {@code MeterBinder} to one {@link PrometheusMeterRegistry}, records one of each
 * kind of event (most meters appear only on first use), and scrapes the registry: the exposition the
 * dashboards and rules are checked against.
 */
final class BinderScrape {
    private BinderScrape() {
    }

    /** The text exposition (format 0.0.4) of all binders after one of each event. */
    static String scrape() {
        return registry().scrape();
    }

    /** A registry with every binder bound and one of each event recorded. */
    static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

        for (String source : new String[] {"lookup", "files", "s3", "emulator"}) {
            IngestMetrics ingest = new IngestMetrics(source);
            ingest.bindTo(registry);
            IngestMetricsDriver.exercise(ingest);
        }

        StreamsMetrics streams = new StreamsMetrics();
        streams.bindTo(registry);
        streams.event("Decrypt", true);
        streams.event("Decrypt", false);
        streams.detection("key-disabled", Severity.HIGH);
        streams.duplicate();
        streams.lateDropped("dedup");
        streams.skipped("malformed");
        // the traffic meters (decrypts per key, errors, cross-account, caller type) appear with their first event
        String key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        streams.observed(kmsEvent("Decrypt", key, "arn:aws:iam::444455556666:role/partner", null));
        streams.observed(kmsEvent("Decrypt", key, "arn:aws:iam::111122223333:role/app", "AccessDeniedException"));
        // one key pending deletion: its deletion-date series
        StreamsMetrics.InventoryTally tally = new StreamsMetrics.InventoryTally();
        streams.addTally(tally);
        CloudTrailEvent schedule = kmsEvent("ScheduleKeyDeletion", key, "arn:aws:iam::111122223333:role/app", null);
        tally.move(null, KeyFacts.unseen(key, schedule.eventTime()).apply(schedule));

        AlertsMetrics alerts = new AlertsMetrics();
        alerts.bindTo(registry);
        alerts.registerSinks(List.of("console", "webhook"));
        alerts.sent("console", Duration.ofMillis(3));
        alerts.failed("webhook", Duration.ofMillis(30));
        alerts.retried("webhook");
        alerts.undeliverable("webhook");
        alerts.silenced("key-disabled");
        alerts.suppressed("key-disabled");
        alerts.skipped("malformed");
        Alert alert = new Alert("a-1", "fp-1", "key-disabled", Severity.HIGH, AlertStatus.FIRING, "KMS key disabled",
                "", null, "111122223333", "us-east-1", null, 1, 1, Instant.EPOCH, Instant.EPOCH, List.of(),
                Runbook.empty(), Map.of(), List.of("console"));
        alerts.emitted(alert);
        alerts.track(alert, Duration.ofHours(1));

        EmulatorMetrics emulator = new EmulatorMetrics(Set.of("Decrypt"), new InMemoryKeyStore());
        emulator.bindTo(registry);
        emulator.request("Decrypt", "success", Duration.ofMillis(2));
        emulator.trailRecord();

        return registry;
    }

    /** A minimal KMS CloudTrail record about {@code keyArn}, made by {@code principal}, failed when {@code errorCode}. */
    private static CloudTrailEvent kmsEvent(String eventName, String keyArn, String principal, String errorCode) {
        String account = principal.split(":")[4];
        return CloudTrailEvent.parse("{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-01-01T00:00:00Z\","
                + "\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"" + eventName + "\","
                + "\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"192.0.2.1\","
                + "\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"" + principal + "\",\"accountId\":\"" + account + "\"},"
                + "\"requestParameters\":{\"keyId\":\"" + keyArn + "\"},"
                + (errorCode == null ? "" : "\"errorCode\":\"" + errorCode + "\",")
                + "\"resources\":[{\"ARN\":\"" + keyArn + "\",\"type\":\"AWS::KMS::Key\"}],"
                + "\"eventID\":\"" + eventName + "-" + account + "\",\"recipientAccountId\":\"111122223333\"}");
    }

    /** Sample names (with their {@code _total}, {@code _count}, {@code _sum}, {@code _max}… suffixes) → label names. */
    static Map<String, Set<String>> samples(String exposition) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            int end = brace >= 0 && brace < space ? brace : space;
            String name = line.substring(0, end);
            Set<String> labels = out.computeIfAbsent(name, n -> new TreeSet<>());
            if (end == brace) {
                String body = line.substring(brace + 1, line.lastIndexOf('}'));
                // label values are quoted; names are everything before '=' after a comma or start
                java.util.regex.Matcher m = java.util.regex.Pattern
                        .compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"").matcher(body);
                while (m.find()) {
                    labels.add(m.group(1));
                }
            }
        }
        return out;
    }
}
