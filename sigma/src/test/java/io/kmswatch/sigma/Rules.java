package io.kmswatch.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.Json;

/** Test helpers: one rule from a detection block, one record from JSON. */
final class Rules {
    private Rules() {
    }

    /** A whole rule document around a detection block (indented by the caller with four spaces). */
    static String rule(String id, String detection) {
        return "title: test rule " + id + "\n"
                + "id: " + id + "\n"
                + "logsource:\n    product: aws\n    service: cloudtrail\n"
                + "detection:\n" + detection.stripTrailing() + "\n"
                + "level: high\n";
    }

    static RuleSet compile(String detection) {
        return RuleSet.parse(rule("r1", detection), "test.yml", LoadOptions.strict());
    }

    static JsonNode record(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * True when the one rule compiled from {@code detection} matches the record. The record is also matched as the
     * stream sees it (a parsed CloudTrailEvent whose raw bytes go through the rule's prefilter before any tree is
     * parsed), and both answers must agree.
     */
    static boolean matches(String detection, String json) {
        RuleSet set = compile(detection);
        boolean onTree = !set.match(SigmaRecord.of(record(json))).isEmpty();
        String trimmed = json.trim();
        String withTime = trimmed.equals("{}") ? "{\"eventTime\": \"2024-01-01T00:00:00Z\"}"
                : "{\"eventTime\": \"2024-01-01T00:00:00Z\", " + trimmed.substring(1);
        io.kmswatch.events.CloudTrailEvent event;
        try {
            event = io.kmswatch.events.CloudTrailEvent.parse(withTime);
        } catch (io.kmswatch.events.MalformedEventException e) {
            return onTree; // not a record the codec accepts (a field of the model with another type)
        }
        boolean asStreamed = !set.match(SigmaRecord.of(event)).isEmpty();
        if (asStreamed != onTree) {
            throw new AssertionError("the raw-bytes prefilter changed the answer for " + json);
        }
        return onTree;
    }
}
