package io.kmswatch.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What people are told: one or more firings of one detection fingerprint folded together within a
 * suppression window, routed to sinks. Written to {@code kms-alerts} keyed by {@link #id}; sinks
 * deliver it with the id as idempotency key. The id is stable across reprocessing (derived from the
 * fingerprint and the suppression window the first firing fell in).
 *
 * @param id             stable alert id; never null
 * @param fingerprint    the detection fingerprint; never null
 * @param detection      the detection id; never null
 * @param severity       current severity (escalates when a detection re-fires at a higher tier)
 * @param status         firing or resolved
 * @param title          one line; never null
 * @param summary        a few sentences; never null
 * @param keyArn         or null
 * @param accountId      or null
 * @param region         or null
 * @param principal      or null
 * @param count          events counted by the latest firing
 * @param occurrences    how many firings were folded into this alert (≥ 1)
 * @param firstEventTime event time of the first evidence
 * @param lastEventTime  event time of the latest evidence
 * @param evidence       up to 20 eventIDs
 * @param runbook        never null
 * @param attributes     detection facts plus routing labels (e.g. key tags); never null
 * @param sinks          names of the sinks the route chose; never null
 */
public record Alert(String id, String fingerprint, String detection, Severity severity, AlertStatus status,
                    String title, String summary, String keyArn, String accountId, String region,
                    String principal, long count, long occurrences, Instant firstEventTime,
                    Instant lastEventTime, List<String> evidence, Runbook runbook,
                    Map<String, String> attributes, List<String> sinks) {
    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(detection, "detection");
        Objects.requireNonNull(severity, "severity");
        status = Objects.requireNonNullElse(status, AlertStatus.FIRING);
        Objects.requireNonNull(title, "title");
        summary = Objects.requireNonNullElse(summary, "");
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        runbook = Objects.requireNonNullElse(runbook, Runbook.empty());
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        sinks = sinks == null ? List.of() : List.copyOf(sinks);
    }

    /** A first alert for one detection firing. */
    public static Alert from(String id, Detection d, List<String> sinks) {
        return new Alert(id, d.fingerprint(), d.detection(), d.severity(),
                d.resolves() ? AlertStatus.RESOLVED : AlertStatus.FIRING, d.title(), d.summary(), d.keyArn(),
                d.accountId(), d.region(), d.principal(), d.count(), 1, d.firstEventTime(), d.lastEventTime(),
                d.evidence(), d.runbook(), d.attributes(), sinks);
    }

    @JsonProperty(access = JsonProperty.Access.READ_ONLY)
    public boolean firing() {
        return status == AlertStatus.FIRING;
    }
}
