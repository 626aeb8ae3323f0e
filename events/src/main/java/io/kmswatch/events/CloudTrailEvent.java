package io.kmswatch.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.kmswatch.events.internal.RecordParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * One CloudTrail record, holding its original bytes (the audit record is never rewritten) and typed
 * access to the fields detections read. Field names follow CloudTrail so a record can be read side by
 * side with its golden file.
 *
 * <p>Required: {@code eventTime} (the record is rejected without it, or when it is not a timestamp or
 * falls outside 1970–9999, which Kafka cannot timestamp) and an event id (a record without
 * {@code eventID} gets a stable id derived from its bytes, see {@link #eventIdDerived()}). A record
 * whose fields have the wrong JSON type, repeat a field the model reads, or nest deeper than
 * {@link Json#MAX_NESTING_DEPTH} levels is rejected. Every other field may be null. An eventTime in
 * the future is accepted: the codec has no clock (see {@link CloudTrailCodec}). {@code requestParameters}, {@code responseElements}, {@code additionalEventData}
 * and {@code serviceEventDetails} are parsed into trees lazily, on first access, so events that a
 * detection never looks into cost no tree.
 *
 * <p>Derived facts live here, in one place: {@link #keyArn()}, {@link #keyAccountId()},
 * {@link #callerAccountId()}, {@link #isCrossAccount()}, {@link #isServiceCaller()},
 * {@link #succeeded()}, {@link #operation()}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class CloudTrailEvent {
    private final byte[] raw;
    private final String eventId;
    private final boolean eventIdDerived;
    private final Instant eventTime;
    private final String eventVersion;
    private final String eventSource;
    private final String eventName;
    private final String eventType;
    /** Decoded from {@link #textSpans} on first use when null there (a benign race: Strings are immutable). */
    private String eventCategory;
    private final String awsRegion;
    private final UserIdentity userIdentity;
    private final String sourceIpAddress;
    private String userAgent;
    private final String errorCode;
    private String errorMessage;
    private String requestId;
    private final String recipientAccountId;
    private String sharedEventId;
    private String vpcEndpointId;
    /** Where the fields above lie in {@link #raw} when not decoded yet (see {@link RecordParser.Fields#textSpans}), or null. */
    private final int[] textSpans;
    private final Boolean readOnly;
    private final Boolean managementEvent;
    private final List<Resource> resources;
    private final LazyNode requestParameters;
    private final LazyNode responseElements;
    private final LazyNode additionalEventData;
    private final LazyNode serviceEventDetails;
    private final boolean verbatim;
    private volatile String keyArn;
    private volatile boolean keyArnResolved;

    /** Builder-style constructor used by the parser; not part of the API. */
    public CloudTrailEvent(RecordParser.Fields f) {
        this.raw = f.raw;
        this.verbatim = f.verbatim;
        this.eventId = f.eventId;
        this.eventIdDerived = f.eventIdDerived;
        this.eventTime = f.eventTime;
        this.eventVersion = f.eventVersion;
        this.eventSource = f.eventSource;
        this.eventName = f.eventName;
        this.eventType = f.eventType;
        this.eventCategory = f.eventCategory;
        this.awsRegion = f.awsRegion;
        this.userIdentity = f.userIdentity == null ? UserIdentity.EMPTY : f.userIdentity;
        this.sourceIpAddress = f.sourceIpAddress;
        this.userAgent = f.userAgent;
        this.errorCode = f.errorCode;
        this.errorMessage = f.errorMessage;
        this.requestId = f.requestId;
        this.recipientAccountId = f.recipientAccountId;
        this.sharedEventId = f.sharedEventId;
        this.vpcEndpointId = f.vpcEndpointId;
        this.textSpans = f.textSpans;
        this.readOnly = f.readOnly;
        this.managementEvent = f.managementEvent;
        // nearly every record names one resource: skip List.copyOf's array round trip for 0 and 1
        this.resources = switch (f.resources.size()) {
            case 0 -> List.of();
            case 1 -> List.of(f.resources.get(0));
            default -> List.copyOf(f.resources);
        };
        this.requestParameters = LazyNode.of(raw, f.requestParameters);
        this.responseElements = LazyNode.of(raw, f.responseElements);
        this.additionalEventData = LazyNode.of(raw, f.additionalEventData);
        this.serviceEventDetails = LazyNode.of(raw, f.serviceEventDetails);
    }

    /**
     * Parses one record from its bytes (UTF-8 JSON object). The bytes are kept as they are.
     *
     * @throws MalformedEventException when the bytes are not a readable CloudTrail record
     */
    public static CloudTrailEvent parse(byte[] json) {
        return RecordParser.parseRecord(json);
    }

    /**
     * Parses one record from a JSON string, for example LookupEvents' {@code CloudTrailEvent}.
     *
     * @throws MalformedEventException when the string is not a readable CloudTrail record
     */
    public static CloudTrailEvent parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the original bytes of the record. */
    public byte[] rawBytes() {
        return raw.clone();
    }

    /** Length of the original record in bytes. */
    public int rawLength() {
        return raw.length;
    }

    /** The original record as a string. */
    public String rawJson() {
        return new String(raw, StandardCharsets.UTF_8);
    }

    /** The bytes themselves, for serdes that must not copy. Callers must not modify them. */
    public byte[] unsafeRawBytes() {
        return raw;
    }

    /** The whole record as a tree (parsed on each call). */
    public JsonNode toTree() {
        try {
            return Json.MAPPER.readTree(raw);
        } catch (IOException e) {
            throw new MalformedEventException("record bytes no longer parse: " + e.getMessage(), e);
        }
    }

    public String eventId() {
        return eventId;
    }

    /** True when the record had no {@code eventID} and {@link #eventId()} was derived from its bytes. */
    /**
     * True when the typed fields are the record's JSON verbatim: every string field (the event id unless
     * {@linkplain #eventIdDerived() derived}, and the {@code userIdentity} and its session issuer's) holds its JSON
     * string exactly, null standing for JSON null or absence; {@code readOnly} and {@code managementEvent} are JSON
     * booleans; and no object these come from has a member whose name contains a dot. A reader may then take
     * these fields for the JSON without parsing it (the Sigma engine does). False when the record needed the
     * lenient reader (which converts some values), and for records built by other means unless they say so.
     */
    public boolean fieldsVerbatim() {
        return verbatim;
    }

    public boolean eventIdDerived() {
        return eventIdDerived;
    }

    public Instant eventTime() {
        return eventTime;
    }

    public String eventVersion() {
        return eventVersion;
    }

    public String eventSource() {
        return eventSource;
    }

    public String eventName() {
        return eventName;
    }

    public String eventType() {
        return eventType;
    }

    public String eventCategory() {
        String v = eventCategory;
        if (v == null) {
            v = text(RecordParser.Fields.TEXT_EVENT_CATEGORY);
            eventCategory = v;
        }
        return v;
    }

    public String awsRegion() {
        return awsRegion;
    }

    /** Never null; {@link UserIdentity#EMPTY} when the record has none. */
    public UserIdentity userIdentity() {
        return userIdentity;
    }

    /** An IP address, a service host name, or {@code AWS Internal}: never treat it as an IP blindly. */
    public String sourceIpAddress() {
        return sourceIpAddress;
    }

    public String userAgent() {
        String v = userAgent;
        if (v == null) {
            v = text(RecordParser.Fields.TEXT_USER_AGENT);
            userAgent = v;
        }
        return v;
    }

    public String errorCode() {
        return errorCode;
    }

    public String errorMessage() {
        String v = errorMessage;
        if (v == null) {
            v = text(RecordParser.Fields.TEXT_ERROR_MESSAGE);
            errorMessage = v;
        }
        return v;
    }

    public String requestId() {
        String v = requestId;
        if (v == null) {
            v = text(RecordParser.Fields.TEXT_REQUEST_ID);
            requestId = v;
        }
        return v;
    }

    public String recipientAccountId() {
        return recipientAccountId;
    }

    public String sharedEventId() {
        String v = sharedEventId;
        if (v == null) {
            v = text(RecordParser.Fields.TEXT_SHARED_EVENT_ID);
            sharedEventId = v;
        }
        return v;
    }

    public String vpcEndpointId() {
        String v = vpcEndpointId;
        if (v == null) {
            v = text(RecordParser.Fields.TEXT_VPC_ENDPOINT_ID);
            vpcEndpointId = v;
        }
        return v;
    }

    /** Null when absent. */
    public Boolean readOnly() {
        return readOnly;
    }

    /** Null when absent (records before v1.06). */
    public Boolean managementEvent() {
        return managementEvent;
    }

    public List<Resource> resources() {
        return resources;
    }

    /** Never null: {@link NullNode} when absent or null. */
    public JsonNode requestParameters() {
        return requestParameters.get();
    }

    /** Never null: {@link NullNode} when absent or null. */
    public JsonNode responseElements() {
        return responseElements.get();
    }

    /** Never null: {@link NullNode} when absent or null. */
    public JsonNode additionalEventData() {
        return additionalEventData.get();
    }

    /** Never null: {@link NullNode} when absent or null. */
    public JsonNode serviceEventDetails() {
        return serviceEventDetails.get();
    }

    /** The KMS operation; {@link KmsOperation#UNKNOWN} for other services and new operations. */
    public KmsOperation operation() {
        return KmsOperation.fromValue(eventName);
    }

    /** True for {@code kms.amazonaws.com} records. */
    public boolean isKms() {
        return "kms.amazonaws.com".equals(eventSource);
    }

    /** True when the call did not fail: no {@code errorCode}. */
    public boolean succeeded() {
        return errorCode == null || errorCode.isEmpty();
    }

    /** The stable principal of the caller (see {@link UserIdentity#principal()}), or null. */
    public String principal() {
        return userIdentity.principal();
    }

    /** The caller's account (see {@link UserIdentity#account()}), or null. */
    public String callerAccountId() {
        return userIdentity.account();
    }

    /**
     * The ARN of the KMS key the record is about, or null when it names none (ListKeys, CreateKey
     * that failed, GenerateRandom, an alias that is not resolved here). Looked up in order:
     * {@code resources[]} entries that are keys; {@code requestParameters.keyId} when it is a key ARN;
     * {@code responseElements.keyId} or {@code responseElements.keyMetadata.arn};
     * {@code serviceEventDetails.keyId}; and a bare key id in {@code requestParameters.keyId}, which
     * AWS only accepts for a key in the caller's own account ("To specify a KMS key in a different
     * AWS account, you must use the key ARN or alias ARN" — KMS API reference, KeyId), so it is
     * qualified with the caller's account and the record's region.
     */
    public String keyArn() {
        if (!keyArnResolved) {
            keyArn = resolveKeyArn();
            keyArnResolved = true;
        }
        return keyArn;
    }

    private String resolveKeyArn() {
        for (int k = 0; k < resources.size(); k++) { // no iterator: this runs for every record replayed
            Resource r = resources.get(k);
            if (r.arn() != null && KeyArns.isKeyArn(r.arn())) {
                return r.arn();
            }
        }
        if (!isKms()) {
            // Other services name a KMS key only in resources[] (or in fields of their own, such as S3's
            // x-amz-server-side-encryption-aws-kms-key-id, which the detections that need them read):
            // no need to parse their parameters.
            return null;
        }
        String requested = text(requestParameters(), "keyId");
        if (KeyArns.isKeyArn(requested)) {
            return requested;
        }
        JsonNode response = responseElements();
        String fromResponse = text(response, "keyId");
        if (KeyArns.isKeyArn(fromResponse)) {
            return fromResponse;
        }
        JsonNode metadata = response.path("keyMetadata");
        String metadataArn = text(metadata, "arn");
        if (KeyArns.isKeyArn(metadataArn)) {
            return metadataArn;
        }
        String serviceKey = text(serviceEventDetails(), "keyId");
        if (KeyArns.isKeyArn(serviceKey)) {
            return serviceKey;
        }
        String account = callerAccountId();
        if (account == null) {
            account = recipientAccountId;
        }
        if (awsRegion != null && account != null) {
            for (String candidate : new String[] {requested, serviceKey, text(metadata, "keyId")}) {
                if (isBareKeyId(candidate)) {
                    return KeyArns.keyArn(KeyArns.partitionOf(userIdentity.arn()), awsRegion, account, candidate);
                }
            }
        }
        return null;
    }

    /** The account that owns the key: from the key ARN, else from a key resource's accountId. */
    public String keyAccountId() {
        String arn = keyArn();
        if (arn != null) {
            return KeyArns.accountOf(arn);
        }
        for (Resource r : resources) {
            if (r.isKmsKey() && r.accountId() != null) {
                return r.accountId();
            }
        }
        return null;
    }

    /**
     * True when the caller's account and the key's account are both known and differ. CreateKey is
     * never cross-account: a key is always created in the caller's account (documentation examples
     * that show another account in {@code resources} are artefacts).
     */
    public boolean isCrossAccount() {
        if (operation() == KmsOperation.CREATE_KEY) {
            return false;
        }
        String caller = callerAccountId();
        String owner = keyAccountId();
        return caller != null && owner != null && !"anonymous".equals(caller) && !caller.equals(owner);
    }

    /**
     * True when AWS, not a person, made the call: an {@code invokedBy} service, an
     * {@code AwsServiceEvent}, an {@code AWSService} identity, or a {@code sourceIPAddress} that is a
     * service host name or {@code AWS Internal}.
     */
    public boolean isServiceCaller() {
        if (userIdentity.invokedBy() != null && !userIdentity.invokedBy().isEmpty()) {
            return true;
        }
        if ("AwsServiceEvent".equals(eventType) || "AWSService".equals(userIdentity.type())) {
            return true;
        }
        String ip = sourceIpAddress;
        return ip != null && (ip.endsWith(".amazonaws.com") || ip.startsWith("AWS Internal"));
    }

    /**
     * The partition key of the record on {@code kms-events}: the key ARN, else
     * {@code <accountId>:<region>} with the recipient account (else the caller's).
     */
    public String partitionKey() {
        String arn = keyArn();
        if (arn != null) {
            return arn;
        }
        String account = recipientAccountId != null ? recipientAccountId : callerAccountId();
        return account + ":" + awsRegion;
    }

    /** The text of a field the parser left as a span, or null when it is absent or null. */
    private String text(int slot) {
        if (textSpans == null || textSpans[2 * slot] < 0) {
            return null;
        }
        int from = textSpans[2 * slot];
        return new String(raw, from, textSpans[2 * slot + 1] - from, StandardCharsets.UTF_8);
    }

    private static boolean isBareKeyId(String s) {
        if (s == null || s.length() < 8 || s.startsWith("alias/") || s.startsWith("arn:")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CloudTrailEvent other && Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    /** Names the record, never its parameters (they can hold encryption context values). */
    @Override
    public String toString() {
        return "CloudTrailEvent[" + eventId + " " + eventTime + " " + eventSource + " " + eventName + "]";
    }

    /** A JSON sub-tree parsed from a slice of the raw record on first use. */
    private static final class LazyNode {
        /** An absent or null sub-object: one shared instance, as most records lack one or two of them. */
        private static final LazyNode ABSENT = new LazyNode(null, null);
        private final byte[] raw;
        private final int[] span;
        private volatile JsonNode node;

        static LazyNode of(byte[] raw, int[] span) {
            return span == null ? ABSENT : new LazyNode(raw, span);
        }

        LazyNode(byte[] raw, int[] span) {
            this.raw = raw;
            this.span = span;
        }

        JsonNode get() {
            JsonNode n = node;
            if (n == null) {
                if (span == null) {
                    n = NullNode.getInstance();
                } else {
                    try {
                        n = Json.MAPPER.readTree(raw, span[0], span[1] - span[0]);
                    } catch (IOException e) {
                        n = NullNode.getInstance();
                    }
                    if (n == null) {
                        n = NullNode.getInstance();
                    }
                }
                node = n;
            }
            return n;
        }
    }
}
