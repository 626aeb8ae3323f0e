package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.KeyArns;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.RuleSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * {@code key-unusable-failures}: at least {@code threshold} (default 5) DisabledException /
 * KMSInvalidStateException failures on one key in a {@code window} (default 5 min): applications are
 * failing because the key is disabled or pending deletion. Links the DisableKey / ScheduleKeyDeletion
 * that caused it when the key inventory saw it. Calls made through AWS services count: an S3 or
 * Secrets Manager read failing is an application failing too.
 */
public final class KeyUnusableFailuresDetection implements DetectionRule {
    public static final String ID = "key-unusable-failures";
    static final String STORE = "kmswatch-" + ID;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public RuleSettings defaults() {
        return RuleSettings.unset().withEnabled(true).withSeverity(Severity.HIGH).withThreshold(5)
                .withWindow(Duration.ofMinutes(5));
    }

    @Override
    public KStream<String, Detection> detect(KStream<String, KeyEvent> events, RuleContext ctx) {
        Duration window = ctx.settings().window();
        ctx.windowStore(STORE, CountingProcessor.retention(window, ctx.grace(), 0), window, WindowBucket.class);
        return events.process(() -> new CountingProcessor(ID, STORE, window, ctx.grace(), ctx.metrics()) {
            @Override
            protected String entity(KeyEvent ke) {
                CloudTrailEvent e = ke.event();
                return e.isKms() && !e.succeeded() && Callers.isKeyUnusable(e.errorCode()) ? e.keyArn() : null;
            }

            @Override
            protected long threshold(String entity, long windowStart, KeyEvent e) {
                return ctx.settings().threshold();
            }

            @Override
            protected Detection detection(KeyEvent ke, String key, long windowStart, WindowBucket b, int tier,
                                          long threshold) {
                CloudTrailEvent e = ke.event();
                String region = KeyArns.regionOf(key) != null ? KeyArns.regionOf(key) : e.awsRegion();
                KeyFacts facts = ke.key();
                boolean causeKnown = facts != null && facts.lastStateChangeEventId() != null
                        && ("Disabled".equals(facts.state()) || facts.isPendingDeletion() || "PendingImport".equals(facts.state()));
                Findings f = Findings.about(ID, tier >= 2 ? Severity.CRITICAL : ctx.settings().severity(), e)
                        .fingerprintOf(key, windowStart)
                        .span(Instant.ofEpochMilli(b.firstMs()), Instant.ofEpochMilli(b.lastMs()))
                        .count(b.count()).tier(tier).evidence(b.evidence())
                        .title(b.count() + " calls failing on unusable key " + key)
                        .summary(b.count() + " calls failed with " + e.errorCode() + " within "
                                + window.toMinutes() + " minutes: applications cannot use the key"
                                + (causeKnown ? ", after " + facts.lastStateChange() + " by " + facts.lastStateChangeBy()
                                        + " at " + facts.stateChangedAt() + "." : "."))
                        .attr("threshold", threshold).attr("errorCode", e.errorCode())
                        .attr("keyState", facts == null ? null : facts.state());
                if (causeKnown) {
                    f.addEvidence(facts.lastStateChangeEventId()).attr("causeEventId", facts.lastStateChangeEventId())
                            .attr("cause", facts.lastStateChange()).attr("causeBy", facts.lastStateChangeBy())
                            .attr("causeTime", facts.stateChangedAt());
                }
                boolean pending = facts != null && facts.isPendingDeletion();
                return f.runbook(pending
                        ? Runbooks.forKey(key, region, List.of("The key is pending deletion: cancel it, then enable it."),
                                Runbooks.cancelKeyDeletion(key, region), Runbooks.enableKey(key, region))
                        : Runbooks.forKey(key, region, List.of("Was the key disabled on purpose? Which applications fail?"),
                                Runbooks.enableKey(key, region)))
                        .build();
            }
        }, Named.as(ID), STORE);
    }
}
