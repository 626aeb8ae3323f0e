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
 * {@code new-principal-on-key}: a principal never seen on a key succeeds in a call on it, after the
 * key has been observed for {@code learningPeriod} (default 1 day). The principal is the role behind
 * an assumed-role session (session names change every time). Service callers are classified first and
 * excluded — an AWS service acting for a principal is not a new principal — and trusted principals
 * are learned without a finding. Reported once the grace has passed the sighting (see {@link NoveltyProcessor}).
 */
public final class NewPrincipalOnKeyDetection implements DetectionRule {
    public static final String ID = "new-principal-on-key";
    static final String STORE = "kmswatch-" + ID;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public RuleSettings defaults() {
        return RuleSettings.unset().withEnabled(true).withSeverity(Severity.MEDIUM).withLearningPeriod(Duration.ofDays(1))
                .withForgetAfter(Duration.ofDays(90));
    }

    @Override
    public KStream<String, Detection> detect(KStream<String, KeyEvent> events, RuleContext ctx) {
        String[] stores = NoveltyProcessor.stores(ctx, STORE);
        long learning = ctx.settings().learningPeriod().toMillis();
        long grace = ctx.grace().toMillis();
        long ttl = ctx.settings().forgetAfter().toMillis();
        return events.process(() -> new NoveltyProcessor(STORE, learning, grace, ttl) {
            @Override
            protected String owner(KeyEvent ke) {
                CloudTrailEvent e = ke.event();
                return e.isKms() && e.succeeded() && !e.isServiceCaller() && e.principal() != null ? e.keyArn() : null;
            }

            @Override
            protected String member(KeyEvent ke) {
                return ke.event().principal();
            }

            @Override
            protected Detection detection(KeyEvent ke, String key, String principal, long keySince) {
                if (ctx.config().isTrustedPrincipal(principal)) {
                    return null;
                }
                CloudTrailEvent e = ke.event();
                String region = KeyArns.regionOf(key);
                return Findings.about(ID, ctx.settings().severity(), e).fingerprintOf(key, principal)
                        .title("New principal on key " + key + ": " + principal)
                        .summary(principal + " called " + e.eventName() + " on the key for the first time since it was "
                                + "first seen at " + Instant.ofEpochMilli(keySince) + ", from " + e.sourceIpAddress() + ".")
                        .attr("eventName", e.eventName()).attr("sourceIp", e.sourceIpAddress())
                        .attr("observedSince", Instant.ofEpochMilli(keySince))
                        .attr("crossAccount", e.isCrossAccount() ? "true" : null)
                        .runbook(Runbooks.forKey(key, region, List.of(
                                "Is " + principal + " a new deployment of a known workload, or unexpected?",
                                "Which policy statement or grant lets it use the key?"),
                                Runbooks.getKeyPolicy(key, region), Runbooks.listGrants(key, region)))
                        .build();
            }
        }, Named.as(ID), stores);
    }
}
