package io.kmswatch.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Rejected;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What the 57 SigmaHQ AWS CloudTrail rules must raise on a list of records, derived record by record without the
 * engine: a hand-written predicate for each rule the invictus dataset can touch, and for every other rule a check
 * that no record has an eventName its detection requires. Shared by {@code SigmaHqSharedDataTest} and the app's
 * replay test (through this module's test jar).
 */
public final class SigmaHqExpectations {
    /** The third-party data beside the checkout ({@code -Dkmswatch.shared.dir}). */
    public static final Path SHARED = Path.of(System.getProperty("kmswatch.shared.dir", "../../shared"));
    public static final Path RULES = SHARED.resolve("datasets/SigmaHQ__sigma-cloudtrail");
    public static final Path INVICTUS = SHARED.resolve("datasets/invictus-ir__aws_dataset/CloudTrail");

    private SigmaHqExpectations() {
    }

    private static String text(JsonNode r, String path) {
        JsonNode n = r;
        for (String step : path.split("\\.")) {
            n = n == null ? null : n.get(step);
        }
        return n == null || n.isNull() ? null : n.isValueNode() ? n.asText() : n.toString();
    }

    private static boolean is(JsonNode r, String path, String value) {
        String t = text(r, path);
        return t != null && t.equalsIgnoreCase(value);
    }

    private static boolean isAny(JsonNode r, String path, String... values) {
        for (String v : values) {
            if (is(r, path, v)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(JsonNode r, String path, String part) {
        String t = text(r, path);
        return t != null && t.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
    }

    private static boolean succeeded(JsonNode r) {
        return text(r, "errorCode") == null || is(r, "errorCode", "Success");
    }

    /** Each rule the dataset can touch, as read from its YAML by a person. */
    static final Map<String, Predicate<JsonNode>> BY_HAND = Map.ofEntries(
            Map.entry("905d389b-b853-46d0-9d3d-dea0d3a3cd49", r -> is(r, "userIdentity.type", "AssumedRole")
                    && is(r, "userIdentity.sessionContext.sessionIssuer.type", "Role")),
            Map.entry("c803b2ce-c4a2-4836-beae-b112010390b1", r -> is(r, "eventSource", "ec2.amazonaws.com")
                    && is(r, "eventName", "CreateRoute")),
            Map.entry("6fb77778-040f-4015-9440-572aa9b6b580", r -> is(r, "eventSource", "ec2.amazonaws.com")
                    && isAny(r, "eventName", "AuthorizeSecurityGroupEgress", "AuthorizeSecurityGroupIngress",
                    "RevokeSecurityGroupEgress", "RevokeSecurityGroupIngress")),
            Map.entry("4db60cc0-36fb-42b7-9b58-a5b53019fb74", r -> is(r, "eventSource", "cloudtrail.amazonaws.com")
                    && isAny(r, "eventName", "StopLogging", "UpdateTrail", "DeleteTrail")),
            Map.entry("39c9f26d-6e3b-4dbb-9c7a-4154b0281112", r -> is(r, "eventName", "DeleteBucket") && succeeded(r)),
            Map.entry("f305fd62-beca-47da-ad95-7690a0620084", r -> is(r, "eventSource", "s3.amazonaws.com")
                    && is(r, "eventName", "ListBuckets") && !is(r, "userIdentity.type", "AssumedRole")),
            Map.entry("abae8fec-57bd-4f87-aff6-6e3db989843d", r -> is(r, "eventSource", "ec2.amazonaws.com")
                    && is(r, "eventName", "ModifySnapshotAttribute")),
            // the filter's value is the literal text "responseElements.accessKey.userName" (no |fieldref), so it
            // filters nothing out
            Map.entry("0a5177f4-6ca9-44c2-aacf-d3f3d8b6e4d2", r -> is(r, "eventSource", "iam.amazonaws.com")
                    && is(r, "eventName", "CreateAccessKey") && !String.valueOf(text(r, "userIdentity.arn"))
                    .toLowerCase(Locale.ROOT).contains("responseelements.accesskey.username")),
            Map.entry("e386b9b5-af12-450e-afff-761730fb8a98", r -> is(r, "eventName", "DeleteFlowLogs") && succeeded(r)),
            Map.entry("77caf516-34e5-4df9-b4db-20744fea0a60", r -> is(r, "eventName", "ConsoleLogin")
                    && is(r, "additionalEventData.MFAUsed", "NO") && is(r, "responseElements.ConsoleLogin", "Success")),
            Map.entry("38e7f511-3f74-41d4-836e-f57dfa18eead", r -> is(r, "eventName", "SendCommand")
                    && is(r, "eventSource", "ssm.amazonaws.com") && succeeded(r)),
            Map.entry("a840e606-7c8c-4684-9bc1-eb6b6155127f", r -> is(r, "userAgent", "TruffleHog")),
            // contains '*' is a bare wildcard: any value of requestParameters.layers
            Map.entry("97fbabf8-8e1b-47a2-b7d5-a418d2b95e3d", r -> is(r, "eventSource", "lambda.amazonaws.com")
                    && String.valueOf(text(r, "eventName")).toLowerCase(Locale.ROOT).startsWith("updatefunctionconfiguration")
                    && text(r, "requestParameters.layers") != null),
            Map.entry("6393e346-1977-46ef-8987-ad414a145fad", r -> is(r, "eventName", "ConsoleLogin")
                    && is(r, "errorMessage", "Failed authentication")),
            Map.entry("1ab3c5ed-5baf-417b-bb6b-78ca33f6c3df", r -> is(r, "eventSource", "ec2.amazonaws.com")
                    && is(r, "eventName", "ModifyInstanceAttribute") && is(r, "requestParameters.attribute", "userData")),
            Map.entry("db014773-b1d3-46bd-ba26-133337c0ffee", r -> is(r, "eventSource", "iam.amazonaws.com")
                    && isAny(r, "eventName", "GetLoginProfile", "CreateLoginProfile") && contains(r, "userAgent", "S3 Browser")),
            Map.entry("db014773-d9d9-4792-91e5-133337c0ffee", r -> is(r, "eventSource", "iam.amazonaws.com")
                    && isAny(r, "eventName", "CreateUser", "CreateAccessKey") && contains(r, "userAgent", "S3 Browser")),
            Map.entry("9b1b8e9b-0a5d-4af1-9d2f-4c4b6e7c2c9d", r -> is(r, "eventSource", "sts.amazonaws.com")
                    && is(r, "eventName", "GetCallerIdentity") && contains(r, "userAgent", "TruffleHog")),
            Map.entry("8ad1600d-e9dc-4251-b0ee-a65268f29add", r -> is(r, "userIdentity.type", "Root")
                    && !is(r, "eventType", "AwsServiceEvent")));

    public static List<Path> ruleFiles() throws IOException {
        try (Stream<Path> s = Files.list(RULES)) {
            return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    /** The invictus records (2,900), every one readable. */
    public static List<CloudTrailEvent> invictus() {
        List<CloudTrailEvent> events = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        io.kmswatch.events.CodecFiles.read(new CloudTrailCodec(), INVICTUS, new CloudTrailCodec.Sink() {
            @Override
            public void record(CloudTrailEvent event, String location) {
                events.add(event);
            }

            @Override
            public void rejected(Rejected r) {
                rejected.add(r);
            }
        });
        assertThat(rejected).isEmpty();
        return events;
    }

    /**
     * The "eventID ruleId" pairs the rules must raise on these records.
     *
     * @throws AssertionError when a rule without a hand-written predicate could match one of the records
     */
    public static Set<String> expectedPairs(List<CloudTrailEvent> events) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Set<String> namesInData = new HashSet<>();
        events.forEach(e -> namesInData.add(String.valueOf(e.eventName()).toLowerCase(Locale.ROOT)));
        Set<String> expected = new TreeSet<>();
        for (Path f : ruleFiles()) {
            JsonNode rule = yaml.readTree(f.toFile());
            String id = rule.get("id").asText();
            Predicate<JsonNode> p = BY_HAND.get(id);
            if (p != null) {
                for (CloudTrailEvent e : events) {
                    if (p.test(e.toTree())) {
                        expected.add(e.eventId() + " " + id);
                    }
                }
                continue;
            }
            Set<String> required = requiredEventNames(rule.get("detection"));
            assertThat(required).as(f.getFileName() + " names no plain eventName: write its predicate").isNotEmpty();
            assertThat(required).as(f.getFileName() + " can match records of the dataset: write its predicate")
                    .doesNotContainAnyElementsOf(namesInData);
        }
        return expected;
    }

    /** The eventName values (lowercased) of every selection that names eventName without modifiers. */
    private static Set<String> requiredEventNames(JsonNode detection) {
        Set<String> names = new HashSet<>();
        detection.fields().forEachRemaining(sel -> {
            List<JsonNode> maps = new ArrayList<>();
            if (sel.getValue().isObject()) {
                maps.add(sel.getValue());
            } else if (sel.getValue().isArray()) {
                sel.getValue().forEach(maps::add);
            }
            for (JsonNode m : maps) {
                JsonNode v = m.get("eventName");
                if (v != null) {
                    if (v.isArray()) {
                        v.forEach(x -> names.add(x.asText().toLowerCase(Locale.ROOT)));
                    } else {
                        names.add(v.asText().toLowerCase(Locale.ROOT));
                    }
                }
            }
        });
        return names;
    }
}
