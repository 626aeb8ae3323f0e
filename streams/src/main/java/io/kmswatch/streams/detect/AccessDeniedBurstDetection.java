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
 * {@code access-denied-burst}: at least {@code threshold} (default 10) AccessDenied-family KMS errors
 * by one principal in a {@code window} (default 5 min) — someone probing keys they may not use, or a
 * broken deployment. Per principal, after the one repartition by principal. Errors of calls an AWS
 * service made on a principal's behalf (AWS Config describing a Lambda, …) are excluded: they are the
 * classic false positive of unauthorized-call alarms.
 */
public final class AccessDeniedBurstDetection implements DetectionRule {
    public static final String ID = "access-denied-burst";
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
        return e.isKms() && Callers.isAccessDenied(e.errorCode()) && !e.isServiceCaller();
    }

    @Override
    public RuleSettings defaults() {
        return RuleSettings.unset().withEnabled(true).withSeverity(Severity.MEDIUM).withThreshold(10)
                .withWindow(Duration.ofMinutes(5));
    }

    @Override
    public KStream<String, Detection> detect(KStream<String, KeyEvent> events, RuleContext ctx) {
        Duration window = ctx.settings().window();
        ctx.windowStore(STORE, CountingProcessor.retention(window, ctx.grace(), 0), window, WindowBucket.class);
        return events.process(() -> new CountingProcessor(ID, STORE, window, ctx.grace(), ctx.metrics()) {
            @Override
            protected String entity(KeyEvent e) {
                return wants(e.event()) ? e.event().principal() : null;
            }

            @Override
            protected long threshold(String entity, long windowStart, KeyEvent e) {
                return ctx.settings().threshold();
            }

            @Override
            protected Detection detection(KeyEvent ke, String principal, long windowStart, WindowBucket b, int tier,
                                          long threshold) {
                CloudTrailEvent e = ke.event();
                String region = e.awsRegion();
                Severity s = tier >= 2 ? ctx.settings().severity().escalate() : ctx.settings().severity();
                return Findings.about(ID, s, e).key(null).account(e.callerAccountId())
                        .fingerprintOf(principal, windowStart)
                        .span(Instant.ofEpochMilli(b.firstMs()), Instant.ofEpochMilli(b.lastMs()))
                        .count(b.count()).tier(tier).evidence(b.evidence())
                        .title(b.count() + " denied KMS calls by " + principal + " in " + window.toMinutes() + " min")
                        .summary(principal + " was denied " + b.count() + " KMS calls within one "
                                + window.toMinutes() + "-minute window (threshold " + threshold + "), the latest "
                                + e.eventName() + (e.keyArn() != null ? " on " + e.keyArn() : "") + ".")
                        .attr("threshold", threshold).attr("windowStart", Instant.ofEpochMilli(windowStart))
                        .attr("lastErrorCode", e.errorCode()).attr("lastKey", e.keyArn())
                        .runbook(Runbooks.forKey(null, region, List.of(
                                "Is " + principal + " a workload with a broken policy, or someone probing keys?",
                                "Which keys and operations were denied? From which source IPs?"),
                                "aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue="
                                        + principal.substring(principal.lastIndexOf('/') + 1) + " --region " + region
                                        + " --max-results 50 --query 'Events[*].[EventTime,EventName,Resources[0].ResourceName]'"
                                        + " --output table"))
                        .build();
            }
        }, Named.as(ID), STORE);
    }
}
