package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.KeyArns;
import io.kmswatch.events.Runbook;
import io.kmswatch.events.Severity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link Detection} records. The fingerprint is {@code <detection>:<32 hex>} of a SHA-256 over
 * the identifying parts (detection, key, principal or account, window), so the same finding gets the
 * same fingerprint on every run.
 */
public final class Findings {
    private final String detection;
    private Severity severity;
    private String title = "";
    private String summary = "";
    private String keyArn;
    private String accountId;
    private String region;
    private String principal;
    private Instant first;
    private Instant last;
    private long count = 1;
    private int tier;
    private List<String> evidence = new ArrayList<>();
    private Runbook runbook = Runbook.empty();
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private boolean resolves;
    private String fingerprint;

    private Findings(String detection, Severity severity) {
        this.detection = detection;
        this.severity = severity;
    }

    public static Findings of(String detection, Severity severity) {
        return new Findings(detection, severity);
    }

    /** A finding about one event: key, account (the key's, else the recipient's), region, principal, time, evidence. */
    public static Findings about(String detection, Severity severity, CloudTrailEvent e) {
        Findings f = new Findings(detection, severity);
        f.keyArn = e.keyArn();
        String account = e.keyAccountId();
        f.accountId = account != null ? account : e.recipientAccountId() != null ? e.recipientAccountId() : e.callerAccountId();
        f.region = f.keyArn != null && KeyArns.regionOf(f.keyArn) != null ? KeyArns.regionOf(f.keyArn) : e.awsRegion();
        f.principal = e.principal();
        f.first = e.eventTime();
        f.last = e.eventTime();
        f.evidence.add(e.eventId());
        return f;
    }

    /** Stable fingerprint of the detection id and the given parts (nulls allowed). */
    public static String fingerprint(String detection, Object... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(detection.getBytes(StandardCharsets.UTF_8));
            for (Object p : parts) {
                md.update((byte) 0);
                md.update(String.valueOf(p).getBytes(StandardCharsets.UTF_8));
            }
            return detection + ":" + HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JRE", e);
        }
    }

    public Findings fingerprintOf(Object... parts) {
        this.fingerprint = fingerprint(detection, parts);
        return this;
    }

    public Findings severity(Severity s) {
        this.severity = s;
        return this;
    }

    public Findings title(String t) {
        this.title = t;
        return this;
    }

    public Findings summary(String s) {
        this.summary = s;
        return this;
    }

    public Findings key(String arn) {
        this.keyArn = arn;
        return this;
    }

    public Findings account(String a) {
        this.accountId = a;
        return this;
    }

    public Findings region(String r) {
        this.region = r;
        return this;
    }

    public Findings principal(String p) {
        this.principal = p;
        return this;
    }

    public Findings span(Instant firstTime, Instant lastTime) {
        this.first = firstTime;
        this.last = lastTime;
        return this;
    }

    public Findings count(long c) {
        this.count = c;
        return this;
    }

    public Findings tier(int t) {
        this.tier = t;
        return this;
    }

    public Findings evidence(List<String> ids) {
        this.evidence = new ArrayList<>(ids);
        return this;
    }

    public Findings addEvidence(String id) {
        if (id != null && !evidence.contains(id)) {
            evidence.add(id);
        }
        return this;
    }

    public Findings runbook(Runbook r) {
        this.runbook = r;
        return this;
    }

    public Findings attr(String k, Object v) {
        if (v != null) {
            attributes.put(k, String.valueOf(v));
        }
        return this;
    }

    public Findings resolves(boolean r) {
        this.resolves = r;
        return this;
    }

    public Detection build() {
        String fp = fingerprint != null ? fingerprint : fingerprint(detection, keyArn, accountId);
        return new Detection(fp, detection, severity, title, summary, keyArn, accountId, region, principal, first,
                last == null ? first : last, count, tier, evidence, runbook, attributes, resolves);
    }
}
