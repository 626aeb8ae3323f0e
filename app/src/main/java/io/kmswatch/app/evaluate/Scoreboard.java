package io.kmswatch.app.evaluate;

import io.kmswatch.events.Detection;
import io.kmswatch.events.ScenarioLabel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Scores detections against the traffic generator's ground-truth labels.
 *
 * <p>A finding (the first firing of one detection fingerprint) <em>matches</em> a label when its
 * detection id is one the label expects, it concerns the same key, principal or account (whichever
 * the label names and the finding carries), and its first evidence falls within the label's time
 * span widened by the tolerance. Per detection id: a true positive is an (incident, expected
 * detection) pair with at least one matching finding; a false negative is one with none; a false
 * positive is a finding that matches no incident's expectation — including every finding on a
 * look-alike scenario's key or principal during its span. A finding that lies only within a look-alike's
 * tolerance (not its span) and that an incident on the same subject expects is that incident's, not the
 * look-alike's. Time to detect is event time from the
 * scenario's start to the event that made the finding fire.
 */
public final class Scoreboard {
    /** Scores of one detection id. */
    public record Score(String detection, int truePositives, int falsePositives, int falseNegatives,
                        Duration medianTimeToDetect, Duration maxTimeToDetect) {
        public double precision() {
            int d = truePositives + falsePositives;
            return d == 0 ? 1.0 : truePositives / (double) d;
        }

        public double recall() {
            int d = truePositives + falseNegatives;
            return d == 0 ? 1.0 : truePositives / (double) d;
        }
    }

    /** A finding that fired on a look-alike scenario. */
    public record LookAlikeHit(String scenarioType, String scenarioId, String detection, String fingerprint) {
    }

    /** The whole result. */
    public record Result(List<Score> scores, List<LookAlikeHit> lookAlikeHits, List<String> missed, int incidents,
                         int lookAlikes, int findings) {
    }

    private final Duration tolerance;

    public Scoreboard(Duration tolerance) {
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
    }

    /** Scores the first firing of each fingerprint in {@code detections} against {@code labels}. */
    public Result score(List<ScenarioLabel> labels, List<Detection> detections) {
        Map<String, Detection> firstFiring = new HashMap<>();
        for (Detection d : detections) {
            if (d.resolves()) {
                continue;
            }
            firstFiring.merge(d.fingerprint(), d,
                    (a, b) -> a.lastEventTime().isAfter(b.lastEventTime()) ? b : a);
        }
        List<Detection> findings = new ArrayList<>(firstFiring.values());
        findings.sort(Comparator.comparing(Detection::lastEventTime));

        Map<String, int[]> counts = new TreeMap<>();
        Map<String, List<Duration>> ttd = new HashMap<>();
        Set<Detection> explained = new HashSet<>();
        List<String> missed = new ArrayList<>();
        List<LookAlikeHit> lookAlikeHits = new ArrayList<>();
        Set<String> ids = new TreeSet<>();
        labels.forEach(l -> ids.addAll(l.expectedDetections()));
        findings.forEach(f -> ids.add(f.detection()));
        ids.forEach(id -> counts.put(id, new int[3]));

        for (ScenarioLabel label : labels) {
            if (label.lookAlike()) {
                for (Detection f : findings) {
                    if (concerns(label, f) && within(label, f)
                            && (strictlyWithin(label, f) || !expectedByAnIncident(labels, f))) {
                        lookAlikeHits.add(new LookAlikeHit(label.type(), label.scenarioId(), f.detection(), f.fingerprint()));
                    }
                }
                continue;
            }
            for (String expected : label.expectedDetections()) {
                Detection best = null;
                for (Detection f : findings) {
                    if (f.detection().equals(expected) && concerns(label, f) && within(label, f)) {
                        explained.add(f);
                        if (best == null || f.lastEventTime().isBefore(best.lastEventTime())) {
                            best = f;
                        }
                    }
                }
                if (best == null) {
                    counts.get(expected)[2]++;
                    missed.add(label.type() + " (" + label.scenarioId() + "): " + expected);
                } else {
                    counts.get(expected)[0]++;
                    Duration d = Duration.between(label.start(), best.lastEventTime());
                    ttd.computeIfAbsent(expected, k -> new ArrayList<>()).add(d.isNegative() ? Duration.ZERO : d);
                }
            }
        }
        for (Detection f : findings) {
            if (!explained.contains(f)) {
                counts.get(f.detection())[1]++;
            }
        }
        List<Score> scores = new ArrayList<>();
        counts.forEach((id, c) -> {
            List<Duration> t = ttd.getOrDefault(id, List.of()).stream().sorted().toList();
            scores.add(new Score(id, c[0], c[1], c[2], t.isEmpty() ? null : t.get(t.size() / 2),
                    t.isEmpty() ? null : t.get(t.size() - 1)));
        });
        int incidents = (int) labels.stream().filter(l -> !l.lookAlike()).count();
        return new Result(scores, lookAlikeHits, missed, incidents, labels.size() - incidents, findings.size());
    }

    /**
     * Whether an incident on the same subject expects this detection and the finding falls in that incident's
     * widened span. Such a finding that lies only in a look-alike's tolerance, not its span, is the incident's:
     * scenarios on one key follow each other closer than the tolerance, and charging the next incident's
     * finding to the look-alike before it would count one finding twice.
     */
    private boolean expectedByAnIncident(List<ScenarioLabel> labels, Detection f) {
        for (ScenarioLabel l : labels) {
            if (!l.lookAlike() && l.expectedDetections().contains(f.detection()) && concerns(l, f) && within(l, f)) {
                return true;
            }
        }
        return false;
    }

    private static boolean strictlyWithin(ScenarioLabel label, Detection f) {
        Instant t = f.lastEventTime();
        return !t.isBefore(label.start()) && !t.isAfter(label.end());
    }

    private boolean within(ScenarioLabel label, Detection f) {
        Instant from = label.start().minus(tolerance);
        Instant to = label.end().plus(tolerance);
        Instant t = f.lastEventTime();
        return !t.isBefore(from) && !t.isAfter(to);
    }

    /** Same key when both name one, else same principal when both name one, else same account. */
    static boolean concerns(ScenarioLabel label, Detection f) {
        if (label.keyArn() != null && f.keyArn() != null) {
            return label.keyArn().equals(f.keyArn());
        }
        if (label.principal() != null && f.principal() != null) {
            return label.principal().equals(f.principal());
        }
        if (label.accountId() != null && f.accountId() != null) {
            return label.accountId().equals(f.accountId());
        }
        return label.keyArn() == null && label.principal() == null;
    }
}
