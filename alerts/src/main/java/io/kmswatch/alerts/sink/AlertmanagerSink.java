package io.kmswatch.alerts.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmswatch.alerts.AlertDeliveryException;
import io.kmswatch.events.Alert;
import io.kmswatch.events.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus Alertmanager, API v2: {@code POST <url>/api/v2/alerts} with a JSON array of
 * <pre>
 * {"labels": {"alertname": "&lt;detection&gt;", "severity": "high", "key_arn": "…", "account": "…",
 *             "region": "…", "alert_id": "&lt;id&gt;"},
 *  "annotations": {"summary": title, "description": summary, "runbook": commands, "occurrences": "2",
 *                  "count": "5", "principal": "…", "fingerprint": "…"},
 *  "startsAt": first event time (not after now), "endsAt": now + resolveTimeout while firing, now on resolve,
 *  "generatorURL": generatorUrl + id}
 * </pre>
 * The label set is the alert's identity in Alertmanager, and {@code alert_id} makes it ours, so
 * re-posting is idempotent. Firing alerts are re-posted every {@code repostInterval} (Alertmanager
 * forgets an alert at {@code endsAt}) until resolved or until their suppression window has passed
 * since they were delivered; an escalation resolves the old severity's label set in the same post.
 */
public final class AlertmanagerSink implements AlertSink {
    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerSink.class);

    private final String name;
    private final URI endpoint;
    private final URI generatorUrl;
    private final Duration resolveTimeout;
    private final Duration timeout;
    private final Function<String, Duration> windowFor;
    private final Clock clock;
    private final HttpClient client;
    private final Map<String, Open> open = new LinkedHashMap<>();
    private final ScheduledExecutorService reposter;

    /**
     * @param windowFor the suppression window of a detection: how long a firing alert is re-posted
     */
    public AlertmanagerSink(String name, SinkConfig.Alertmanager config, Duration timeout,
                            Function<String, Duration> windowFor, Clock clock) {
        this.name = name;
        String base = config.url().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base : base + "/") + "api/v2/alerts");
        this.generatorUrl = config.generatorUrl();
        this.resolveTimeout = config.resolveTimeout();
        this.timeout = timeout;
        this.windowFor = windowFor;
        this.clock = clock;
        this.client = HttpPost.client(timeout);
        this.reposter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kmswatch-alertmanager-repost-" + name);
            t.setDaemon(true);
            return t;
        });
        long every = config.repostInterval().toMillis();
        reposter.scheduleWithFixedDelay(this::repost, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void deliver(Alert alert) {
        Instant now = clock.instant();
        List<ObjectNode> batch = new ArrayList<>();
        Open previous = open.get(alert.id());
        if (previous != null && previous.alert.severity() != alert.severity()) {
            batch.add(toAm(previous.alert, now, true));
        }
        batch.add(toAm(alert, now, !alert.firing()));
        post(batch);
        if (alert.firing()) {
            Instant until = previous != null ? previous.until : now.plus(windowFor.apply(alert.detection()));
            open.put(alert.id(), new Open(alert, until));
        } else {
            open.remove(alert.id());
        }
    }

    /** Alerts currently re-posted (for tests and the open-alerts view). */
    synchronized int openCount() {
        return open.size();
    }

    synchronized void repost() {
        Instant now = clock.instant();
        open.values().removeIf(o -> o.until.isBefore(now));
        if (open.isEmpty()) {
            return;
        }
        List<ObjectNode> batch = new ArrayList<>();
        open.values().forEach(o -> batch.add(toAm(o.alert, now, false)));
        try {
            post(batch);
        } catch (AlertDeliveryException | IllegalStateException e) {
            // Best effort: the next re-post tries again, and endsAt leaves a resolveTimeout of slack.
            LOG.warn("Alertmanager sink {}: re-post of {} firing alerts failed: {}", name, batch.size(), e.getMessage());
        }
    }

    private void post(List<ObjectNode> alerts) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        alerts.forEach(array::add);
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(array);
        } catch (JsonProcessingException e) {
            throw new AlertDeliveryException(name + ": cannot write Alertmanager JSON: " + e.getOriginalMessage(), false, e);
        }
        HttpPost.post(name, client, endpoint, body, Map.of(WebhookSink.IDEMPOTENCY_HEADER,
                alerts.get(alerts.size() - 1).path("labels").path("alert_id").asText()), timeout);
    }

    /** One alert in Alertmanager's v2 shape; {@code ended} posts it with {@code endsAt = now}. */
    ObjectNode toAm(Alert a, Instant now, boolean ended) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        ObjectNode labels = n.putObject("labels");
        labels.put("alertname", a.detection());
        labels.put("severity", a.severity().label());
        putIf(labels, "key_arn", a.keyArn());
        putIf(labels, "account", a.accountId());
        putIf(labels, "region", a.region());
        labels.put("alert_id", a.id());
        ObjectNode ann = n.putObject("annotations");
        ann.put("summary", a.title());
        putIf(ann, "description", a.summary().isBlank() ? null : a.summary());
        putIf(ann, "runbook", a.runbook().commands().isEmpty() ? null : String.join("\n", a.runbook().commands()));
        ann.put("occurrences", Long.toString(a.occurrences()));
        ann.put("count", Long.toString(a.count()));
        putIf(ann, "principal", a.principal());
        ann.put("fingerprint", a.fingerprint());
        ann.put("last_event_time", a.lastEventTime().toString());
        Instant startsAt = a.firstEventTime().isAfter(now) ? now : a.firstEventTime();
        n.put("startsAt", startsAt.toString());
        n.put("endsAt", (ended ? now : now.plus(resolveTimeout)).toString());
        if (generatorUrl != null) {
            n.put("generatorURL", generatorUrl + a.id());
        }
        return n;
    }

    private static void putIf(ObjectNode n, String k, String v) {
        if (v != null && !v.isEmpty()) {
            n.put(k, v);
        }
    }

    @Override
    public void close() {
        reposter.shutdownNow();
    }

    private record Open(Alert alert, Instant until) {
    }
}
