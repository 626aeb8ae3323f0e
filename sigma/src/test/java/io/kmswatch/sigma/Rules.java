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

    /** True when the one rule compiled from {@code detection} matches the record. */
    static boolean matches(String detection, String json) {
        RuleSet set = compile(detection);
        return !set.match(SigmaRecord.of(record(json))).isEmpty();
    }
}
