package io.kmswatch.alerts.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmswatch.alerts.AlertDeliveryException;
import io.kmswatch.events.Alert;
import io.kmswatch.events.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

/**
 * Slack incoming webhook. Body (https://api.slack.com/messaging/webhooks):
 * <pre>
 * {"text": "[FIRING] HIGH key-disabled: KMS key disabled (arn:…)",        ← notification / fallback
 *  "blocks": [
 *    {"type":"header","text":{"type":"plain_text","text":"[FIRING] KMS key disabled"}},
 *    {"type":"section","fields":[severity, detection, key, account/region, count, principal]},
 *    {"type":"section","text":{"type":"mrkdwn","text":"summary"}},
 *    {"type":"section","text":{"type":"mrkdwn","text":"*Runbook*\n```cmd1\ncmd2```"}},
 *    {"type":"context","elements":[{"type":"mrkdwn","text":"alert `id` · first … · last …"}]}]}
 * </pre>
 * Slack answers 200 {@code ok}; 400 {@code invalid_payload}, 403, 404, 410 are permanent; 429 comes
 * with {@code Retry-After}. The URL holds the webhook's secret and is never logged.
 */
public final class SlackSink implements AlertSink {
    /** Slack's limits: header text 150 characters, section text 3000. */
    private static final int HEADER_MAX = 150;
    private static final int SECTION_MAX = 3000;

    private final String name;
    private final URI url;
    private final HttpClient client;
    private final Duration timeout;

    public SlackSink(String name, URI url, Duration timeout) {
        this.name = name;
        this.url = url;
        this.timeout = timeout;
        this.client = HttpPost.client(timeout);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Alert alert) {
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(payload(alert));
        } catch (JsonProcessingException e) {
            throw new AlertDeliveryException(name + ": cannot write Slack JSON: " + e.getOriginalMessage(), false, e);
        }
        HttpPost.post(name, client, url, body, Map.of(WebhookSink.IDEMPOTENCY_HEADER, alert.id()), timeout);
    }

    /** The Slack message for an alert. */
    public static ObjectNode payload(Alert a) {
        String state = "[" + a.status().name() + "]";
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("text", state + " " + a.severity().name() + " " + a.detection() + ": " + a.title()
                + (a.keyArn() != null ? " (" + a.keyArn() + ")" : ""));
        ArrayNode blocks = root.putArray("blocks");

        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", cut(state + " " + a.title(), HEADER_MAX));

        ObjectNode facts = blocks.addObject().put("type", "section");
        ArrayNode fields = facts.putArray("fields");
        field(fields, "Severity", a.severity().label());
        field(fields, "Detection", "`" + a.detection() + "`");
        if (a.keyArn() != null) {
            field(fields, "Key", "`" + a.keyArn() + "`");
        }
        if (a.accountId() != null || a.region() != null) {
            field(fields, "Account / region", nz(a.accountId()) + " / " + nz(a.region()));
        }
        field(fields, "Count", a.count() + " events, " + a.occurrences() + (a.occurrences() == 1 ? " firing" : " firings"));
        if (a.principal() != null) {
            field(fields, "Principal", "`" + a.principal() + "`");
        }

        if (!a.summary().isBlank()) {
            section(blocks, cut(a.summary(), SECTION_MAX));
        }
        if (!a.runbook().commands().isEmpty()) {
            StringBuilder sb = new StringBuilder("*Runbook*\n```");
            a.runbook().commands().forEach(c -> sb.append(c).append('\n'));
            sb.setLength(sb.length() - 1);
            String code = cut(sb.toString(), SECTION_MAX - 3) + "```";
            section(blocks, code);
        }
        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn").put("text",
                "alert `" + a.id() + "` · first " + a.firstEventTime() + " · last " + a.lastEventTime());
        return root;
    }

    private static void field(ArrayNode fields, String label, String value) {
        fields.addObject().put("type", "mrkdwn").put("text", "*" + label + ":*\n" + value);
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", mrkdwn);
    }

    private static String nz(String s) {
        return s == null ? "-" : s;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
