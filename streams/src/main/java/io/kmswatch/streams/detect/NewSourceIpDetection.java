package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.RuleSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * {@code new-source-ip}: a principal makes a successful KMS call from an IP address it never used,
 * after it has been observed for {@code learningPeriod} (default 1 day). Per principal, after the one
 * repartition by principal. Service callers ({@code invokedBy}, a service name or {@code AWS Internal}
 * as source) are classified first and excluded: their "IP" is AWS's, not the principal's. Reported
 * once the grace has passed the sighting (see {@link NoveltyProcessor}).
 */
public final class NewSourceIpDetection implements DetectionRule {
    public static final String ID = "new-source-ip";
    static final String STORE = "kmswatch-" + ID;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Scope scope() {
        return Scope.PRINCIPAL;
    }

    @Override
    public boolean wants(CloudTrailEvent e) {
        return e.isKms() && e.succeeded() && !e.isServiceCaller() && Callers.isIpLiteral(e.sourceIpAddress());
    }

    /** Only the earliest call of a principal from an IP can be news. */
    @Override
    public String redundancyKey(CloudTrailEvent e) {
        return e.principal() + "|" + e.sourceIpAddress();
    }

    @Override
    public RuleSettings defaults() {
        return RuleSettings.unset().withEnabled(true).withSeverity(Severity.LOW).withLearningPeriod(Duration.ofDays(1))
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
                return wants(ke.event()) ? ke.event().principal() : null;
            }

            @Override
            protected String member(KeyEvent ke) {
                return ke.event().sourceIpAddress();
            }

            @Override
            protected Detection detection(KeyEvent ke, String principal, String ip, long since) {
                CloudTrailEvent e = ke.event();
                return Findings.about(ID, ctx.settings().severity(), e).fingerprintOf(principal, ip)
                        .title(principal + " used KMS from a new IP " + ip)
                        .summary(principal + " called " + e.eventName() + (e.keyArn() != null ? " on " + e.keyArn() : "")
                                + " from " + ip + ", an address it has not used since it was first seen at "
                                + Instant.ofEpochMilli(since) + ".")
                        .attr("sourceIp", ip).attr("eventName", e.eventName()).attr("userAgent", e.userAgent())
                        .runbook(Runbooks.forKey(e.keyArn(), e.awsRegion(), List.of(
                                "Is " + ip + " a known network (office, VPN, NAT gateway) for this principal?",
                                "If not: were the principal's credentials leaked? Check its other recent calls.")))
                        .build();
            }
        }, Named.as(ID), stores);
    }
}
