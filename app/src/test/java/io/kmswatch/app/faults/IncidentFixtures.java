package io.kmswatch.app.faults;

import static io.kmswatch.events.CloudTrailFixtures.ACCOUNT;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.decrypt;
import static io.kmswatch.events.CloudTrailFixtures.disableKey;
import static io.kmswatch.events.CloudTrailFixtures.scheduleKeyDeletion;

import io.kmswatch.events.Alert;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.ScenarioLabel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/**
 * Countable traffic for the fault tests, as CloudTrail records at known event times, each incident
 * with its ground truth as {@link ScenarioLabel}s.
 *
 * <p>Incident {@code n} happens one minute of event time after incident {@code n − 1}: key {@code n}
 * is used (five ordinary decrypts by the application role), disabled and then scheduled for deletion
 * by an administrator — {@code key-disabled}, {@code key-deletion-scheduled} and
 * {@code key-destruction-chain} on that key — and an outsider is denied on ten other keys within ten
 * seconds, one {@code access-denied-burst} on that principal (through the by-principal repartition).
 * Each of the four findings fires once and becomes one alert with one update, so the expected alerts
 * can be counted against the labels. Everything stays inside the first hour of event time, before any
 * learning period (novelty, decrypt baseline) ends, so nothing else fires.
 */
final class IncidentFixtures {
    /** Findings, hence alerts, per incident. */
    static final int ALERTS_PER_INCIDENT = 4;
    static final String ADMIN = "arn:aws:iam::" + ACCOUNT + ":user/admin";

    private IncidentFixtures() {
    }

    /**
     * One incident: its records in event-time order and its two labels.
     *
     * @param n      its number, 0…59
     * @param events the records
     * @param labels the key incident and the denied burst
     */
    record Incident(int n, List<CloudTrailEvent> events, List<ScenarioLabel> labels) {
    }

    static Incident incident(int n) {
        Instant start = T0.plus(Duration.ofMinutes(n));
        String key = keyArn(n, 0);
        String outsider = "arn:aws:iam::" + ACCOUNT + ":user/mallory-" + n;
        List<CloudTrailEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(decrypt().key(key).at(start.plusSeconds(i)).build());
        }
        events.add(disableKey().key(key).principal(ADMIN).at(start.plusSeconds(10)).build());
        events.add(scheduleKeyDeletion(7).key(key).principal(ADMIN).at(start.plusSeconds(20)).build());
        // 30..39 s past a whole minute never straddles a 5-minute window boundary
        for (int i = 0; i < 10; i++) {
            events.add(decrypt().key(keyArn(n, i + 1)).principal(outsider).at(start.plusSeconds(30 + i))
                    .error("AccessDeniedException", "User: " + outsider + " is not authorized to perform: kms:Decrypt")
                    .build());
        }
        Instant end = start.plusSeconds(39);
        return new Incident(n, List.copyOf(events), List.of(
                new ScenarioLabel("incident-" + n + "-key", "key-destruction",
                        List.of("key-disabled", "key-deletion-scheduled", "key-destruction-chain"), key, ADMIN, ACCOUNT,
                        start, end),
                new ScenarioLabel("incident-" + n + "-denied", "access-denied-burst", List.of("access-denied-burst"),
                        null, outsider, ACCOUNT, start, end)));
    }

    static List<Incident> incidents(int from, int to) {
        List<Incident> list = new ArrayList<>();
        for (int n = from; n < to; n++) {
            list.add(incident(n));
        }
        return list;
    }

    static List<ScenarioLabel> labels(Collection<Incident> incidents) {
        return incidents.stream().flatMap(i -> i.labels().stream()).toList();
    }

    static List<CloudTrailEvent> events(Collection<Incident> incidents) {
        return incidents.stream().flatMap(i -> i.events().stream()).toList();
    }

    static String keyArn(int incident, int key) {
        return String.format("arn:aws:kms:us-east-1:%s:key/00000000-0000-4000-8%03d-%012d", ACCOUNT, key, incident);
    }

    /** The incident an alert is about, from the number that ends the key or principal name given above. */
    static int incidentOf(Alert alert) {
        String subject = alert.keyArn() != null ? alert.keyArn() : alert.principal();
        return Integer.parseInt(subject.substring(subject.lastIndexOf('-') + 1));
    }

    /**
     * The expected alerts: {@code label id/detection} → the ids of the alerts that match it (same
     * detection, and the label's key, or its principal when it names no key). Every list should hold
     * exactly one id.
     */
    static Map<String, List<String>> alertIdsByExpectation(List<ScenarioLabel> labels, Collection<Alert> alerts) {
        Map<String, List<String>> byExpectation = new TreeMap<>();
        for (ScenarioLabel label : labels) {
            for (String detection : label.expectedDetections()) {
                byExpectation.put(label.scenarioId() + "/" + detection, alerts.stream()
                        .filter(a -> matches(label, detection, a))
                        .map(Alert::id).distinct().sorted().collect(Collectors.toList()));
            }
        }
        return byExpectation;
    }

    /** Alerts that no label expects. */
    static List<Alert> unexpected(List<ScenarioLabel> labels, Collection<Alert> alerts) {
        return alerts.stream()
                .filter(a -> labels.stream().noneMatch(l -> l.expectedDetections().stream().anyMatch(d -> matches(l, d, a))))
                .toList();
    }

    private static boolean matches(ScenarioLabel label, String detection, Alert alert) {
        if (!alert.detection().equals(detection)) {
            return false;
        }
        return label.keyArn() != null ? label.keyArn().equals(alert.keyArn()) : label.principal().equals(alert.principal());
    }

    /**
     * Writes records as one CloudTrail log file ({@code {"Records":[…]}}, gzip), the way a trail
     * delivers: under a hidden name first, then renamed into place, with a modification time in the
     * past so a following reader does not wait for it to settle.
     */
    static Path writeLogFile(Path dir, String name, List<CloudTrailEvent> events) {
        Path target = dir.resolve(name + ".json.gz");
        Path hidden = dir.resolve("." + name + ".tmp");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(hidden))) {
            out.write("{\"Records\":[".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < events.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(events.get(i).unsafeRawBytes());
            }
            out.write("]}".getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + hidden, e);
        }
        try {
            Files.setLastModifiedTime(hidden, FileTime.from(Instant.now().minusSeconds(60)));
            return Files.move(hidden, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + hidden + " into place", e);
        }
    }
}
