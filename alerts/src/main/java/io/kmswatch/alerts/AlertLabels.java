package io.kmswatch.alerts;

import io.kmswatch.events.Alert;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The label view of an alert that silences match on (the names Alertmanager users expect):
 * {@code alertname} and {@code detection} (the detection id), {@code severity}, {@code status},
 * {@code fingerprint}, {@code alert_id}, {@code key_arn}, {@code account}, {@code region},
 * {@code principal}, and every alert attribute under its own name (key tags arrive as
 * {@code tag:<TagKey>}, see {@link #TAG_PREFIX}). Absent values are absent labels, which match
 * {@code ""} as in Alertmanager.
 */
public final class AlertLabels {
    /**
     * Prefix of key-tag attributes on detections and alerts: a key tagged {@code env=prod} carries
     * the attribute {@code tag:env = prod}. Routes match tags through it.
     */
    public static final String TAG_PREFIX = "tag:";

    private AlertLabels() {
    }

    /** The label map of an alert; never null, insertion-ordered. */
    public static Map<String, String> of(Alert a) {
        Map<String, String> m = new LinkedHashMap<>(a.attributes());
        m.put("alertname", a.detection());
        m.put("detection", a.detection());
        m.put("severity", a.severity().label());
        m.put("status", a.status().label());
        m.put("fingerprint", a.fingerprint());
        m.put("alert_id", a.id());
        putIfPresent(m, "key_arn", a.keyArn());
        putIfPresent(m, "account", a.accountId());
        putIfPresent(m, "region", a.region());
        putIfPresent(m, "principal", a.principal());
        return m;
    }

    private static void putIfPresent(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
