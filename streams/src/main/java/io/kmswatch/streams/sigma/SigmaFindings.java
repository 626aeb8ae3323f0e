package io.kmswatch.streams.sigma;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Runbook;
import io.kmswatch.events.Severity;
import io.kmswatch.sigma.CorrelationEngine;
import io.kmswatch.sigma.RuleInfo;
import io.kmswatch.sigma.SigmaRule;
import io.kmswatch.streams.detect.Findings;
import io.kmswatch.streams.detect.Runbooks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link Detection} a Sigma rule or correlation raises: detection id {@code sigma:<rule id>}, severity
 * from {@code level} (informational → INFO … critical → CRITICAL; MEDIUM when the rule has none), title and
 * summary from the rule, and the rule's author, references, tags and false positives in the summary, runbook
 * and attributes (the Detection Rule License requires the author on every alert raised by a shared rule).
 */
public final class SigmaFindings {
    private SigmaFindings() {
    }

    /** The detection id of a rule: {@code sigma:<id>} (or its name when it has no id). */
    public static String detectionId(RuleInfo info) {
        return "sigma:" + info.ruleId();
    }

    public static Severity severity(String level) {
        if (level == null) {
            return Severity.MEDIUM;
        }
        return switch (level) {
            case "informational" -> Severity.INFO;
            case "low" -> Severity.LOW;
            case "high" -> Severity.HIGH;
            case "critical" -> Severity.CRITICAL;
            default -> Severity.MEDIUM;
        };
    }

    /** One record matched a detection rule: one finding per rule and event. */
    public static Detection match(SigmaRule rule, CloudTrailEvent e) {
        RuleInfo i = rule.info();
        String id = detectionId(i);
        Findings f = Findings.about(id, severity(i.level()), e).fingerprintOf(e.eventId())
                .title(i.title())
                .summary(summary(i, e.eventName() + " by " + (e.principal() == null ? "an unknown caller" : e.principal())))
                .runbook(runbook(i, e.keyArn(), e.awsRegion(), e.eventName()))
                .attr("eventName", e.eventName());
        attributes(f, i);
        return f.build();
    }

    /**
     * The end of a fold period in which matches after the first were folded into its alert: one detection with
     * their count, span and evidence, about the same rule, caller and key.
     */
    public static Detection rollUp(SigmaRule rule, FoldState s, java.time.Duration fold) {
        RuleInfo i = rule.info();
        String id = detectionId(i);
        String who = s.principal() == null ? "an unknown caller" : s.principal();
        String where = s.keyArn() != null ? " on " + s.keyArn() : " in " + s.accountId() + " " + s.region();
        Findings f = Findings.of(id, severity(i.level()))
                .fingerprintOf("fold", s.keyArn(), s.accountId(), s.region(), s.principal(), s.start())
                .key(s.keyArn()).account(s.accountId()).region(s.region())
                .title(i.title() + " (" + s.folded() + " more)")
                .summary(summary(i, s.folded() + " more records by " + who + where + " after the one alerted on at "
                        + Instant.ofEpochMilli(s.start()) + ", folded for " + fold + " (detections.sigma.fold)"))
                .span(Instant.ofEpochMilli(s.start()), Instant.ofEpochMilli(s.last()))
                .count(s.folded())
                .evidence(s.evidence())
                .runbook(runbook(i, s.keyArn(), s.region(), s.eventName()))
                .attr("eventName", s.eventName())
                .attr("folded", s.folded());
        if (s.principal() != null) {
            f.principal(s.principal());
        }
        attributes(f, i);
        return f.build();
    }

    /** A correlation fired. */
    public static Detection correlation(CorrelationEngine.Firing firing) {
        RuleInfo i = firing.correlation().info();
        String id = detectionId(i);
        String group = firing.group().isEmpty() ? "all events" : firing.group().toString();
        Findings f = Findings.of(id, severity(i.level()))
                .fingerprintOf(firing.group().values().toString(), firing.firstTime())
                .title(i.title())
                .summary(summary(i, firing.correlation().type().value() + " correlation over " + firing.count()
                        + " events of " + group + " (aggregate " + firing.aggregate() + ")"))
                .span(Instant.ofEpochMilli(firing.firstTime()), Instant.ofEpochMilli(firing.lastTime()))
                .count(firing.count())
                .evidence(firing.eventIds())
                .runbook(runbook(i, null, null, null))
                .attr("correlationType", firing.correlation().type().value())
                .attr("aggregate", firing.aggregate());
        firing.group().forEach((k, v) -> f.attr("group." + k, v));
        String principal = principalOf(firing.group());
        if (principal != null) {
            f.principal(principal);
        }
        attributes(f, i);
        return f.build();
    }

    private static String principalOf(Map<String, String> group) {
        for (Map.Entry<String, String> e : group.entrySet()) {
            if (e.getKey().startsWith("userIdentity.") && e.getValue().startsWith("arn:")) {
                return e.getValue();
            }
        }
        return null;
    }

    private static String summary(RuleInfo i, String what) {
        StringBuilder b = new StringBuilder();
        if (!i.description().isBlank()) {
            b.append(i.description().strip()).append(' ');
        }
        b.append("Matched: ").append(what).append('.');
        b.append(" Sigma rule by ").append(i.author().isBlank() ? "an unnamed author" : i.author()).append('.');
        return b.toString();
    }

    private static Runbook runbook(RuleInfo i, String keyArn, String region, String eventName) {
        List<String> checks = new ArrayList<>();
        checks.add("Sigma rule '" + i.title() + "' (" + i.ruleId() + ", " + i.file() + ") by "
                + (i.author().isBlank() ? "an unnamed author" : i.author()));
        if (!i.falsepositives().isEmpty()) {
            checks.add("Known false positives: " + String.join("; ", i.falsepositives()));
        }
        if (!i.references().isEmpty()) {
            checks.add("References: " + String.join(" ", i.references()));
        }
        if (!i.tags().isEmpty()) {
            checks.add("Tags: " + String.join(" ", i.tags()));
        }
        List<String> commands = new ArrayList<>();
        if (eventName != null) {
            commands.add(Runbooks.lookupByEventName(eventName, region));
        }
        return Runbooks.forKey(keyArn, region, checks, commands.toArray(new String[0]));
    }

    private static void attributes(Findings f, RuleInfo i) {
        f.attr("rule.id", i.ruleId()).attr("rule.title", i.title()).attr("rule.author", i.author())
                .attr("rule.level", i.level() == null ? "" : i.level())
                .attr("rule.file", i.file())
                .attr("rule.tags", String.join(",", i.tags()))
                .attr("rule.references", String.join(" ", i.references()))
                .attr("rule.falsepositives", String.join("; ", i.falsepositives()));
    }
}
