package io.kmswatch.emulator.trail;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kmswatch.emulator.EmulatorException;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.Caller;
import io.kmswatch.emulator.state.KmsKey;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Json;
import io.kmswatch.events.Resource;
import io.kmswatch.events.UserIdentity;
import io.kmswatch.events.internal.RecordParser;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Writes each CloudTrail record once, with a streaming {@link JsonGenerator}, into its final bytes, and builds the
 * {@link CloudTrailEvent} from the values it wrote instead of parsing the bytes back: the typed fields are the
 * values themselves, and the sub-objects the model reads lazily ({@code requestParameters},
 * {@code responseElements}, {@code additionalEventData}, {@code serviceEventDetails}) are the byte spans the
 * generator wrote them to. The event is therefore the one {@link CloudTrailEvent#parse(byte[])} would give for
 * those bytes ({@code TrailRecordWriterTest} checks both, and the bytes against the tree-built records of old).
 *
 * <p>Field order, per record type (the order CloudTrail writes, and the emulator always has):
 * <pre>
 * AwsApiCall:      eventVersion userIdentity eventTime eventSource eventName awsRegion sourceIPAddress userAgent
 *                  [errorCode [errorMessage]] requestParameters responseElements [additionalEventData] requestID
 *                  eventID readOnly [resources] eventType managementEvent recipientAccountId [sharedEventID]
 *                  eventCategory [tlsDetails]
 * refused call:    as AwsApiCall, with errorCode and errorMessage, null requestParameters and responseElements,
 *                  no resources and no sharedEventID
 * AwsServiceEvent: eventVersion userIdentity eventTime eventSource eventName awsRegion sourceIPAddress userAgent
 *                  requestParameters responseElements [additionalEventData] eventID readOnly resources eventType
 *                  managementEvent recipientAccountId [serviceEventDetails] eventCategory
 * </pre>
 * Stateless and thread-safe.
 */
final class TrailRecordWriter {
    /** Sub-trees go into the record's generator, which must not be flushed per value. */
    private static final ObjectWriter TREES = Json.MAPPER.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    private static final String SOURCE = "kms.amazonaws.com";
    private static final int MAX_TEXT = 1024;

    private TrailRecordWriter() {
    }

    /** The record of one API call as {@code recipient}'s trail holds it. */
    static CloudTrailEvent apiCall(CallContext ctx, String eventName, boolean readOnly, JsonNode requestParameters,
                                   JsonNode responseElements, String errorCode, String errorMessage, String recipient,
                                   String sharedEventId, String eventId) {
        Caller c = ctx.caller();
        boolean via = ctx.viaService() != null;
        try (Out w = new Out()) {
            JsonGenerator g = w.g;
            RecordParser.Fields f = w.f;
            g.writeStartObject();
            w.string("eventVersion", f.eventVersion = CloudTrailEmitter.EVENT_VERSION);
            g.writeFieldName("userIdentity");
            f.userIdentity = userIdentity(g, c, ctx.viaService());
            w.eventTime(ctx.now());
            w.string("eventSource", f.eventSource = SOURCE);
            w.string("eventName", f.eventName = eventName);
            w.string("awsRegion", f.awsRegion = ctx.region());
            w.string("sourceIPAddress", f.sourceIpAddress = via ? ctx.viaService() : ctx.sourceIp());
            w.string("userAgent", f.userAgent = via ? ctx.viaService() : truncate(ctx.userAgent(), MAX_TEXT));
            if (errorCode != null) {
                w.string("errorCode", f.errorCode = errorCode);
                if (errorMessage != null) {
                    w.string("errorMessage", f.errorMessage = truncate(errorMessage, MAX_TEXT));
                }
            }
            f.requestParameters = w.tree("requestParameters", requestParameters);
            f.responseElements = w.tree("responseElements", responseElements);
            if (ctx.additionalEventData() != null) {
                f.additionalEventData = w.tree("additionalEventData", ctx.additionalEventData());
            }
            w.string("requestID", f.requestId = ctx.requestId());
            w.string("eventID", f.eventId = eventId);
            g.writeBooleanField("readOnly", readOnly);
            f.readOnly = readOnly;
            if (!ctx.resources().isEmpty()) {
                w.resources(ctx.resources());
            }
            w.string("eventType", f.eventType = "AwsApiCall");
            g.writeBooleanField("managementEvent", true);
            f.managementEvent = Boolean.TRUE;
            w.string("recipientAccountId", f.recipientAccountId = recipient);
            if (sharedEventId != null) {
                w.string("sharedEventID", f.sharedEventId = sharedEventId);
            }
            w.string("eventCategory", f.eventCategory = "Management");
            if (!via) {
                tls(g, ctx.hostHeader() == null ? "kms." + ctx.region() + ".amazonaws.com" : ctx.hostHeader());
            }
            g.writeEndObject();
            return w.event();
        } catch (IOException e) {
            throw new EmulatorException("cannot write a CloudTrail record", e);
        }
    }

    /** The record of a request refused before any operation ran (see {@link CloudTrailEmitter#emitRefusal}). */
    static CloudTrailEvent refusal(RefusedRequest r, String eventId) {
        try (Out w = new Out()) {
            JsonGenerator g = w.g;
            RecordParser.Fields f = w.f;
            g.writeStartObject();
            w.string("eventVersion", f.eventVersion = CloudTrailEmitter.EVENT_VERSION);
            g.writeFieldName("userIdentity");
            if (r.caller() != null) {
                f.userIdentity = userIdentity(g, r.caller(), null);
            } else {
                g.writeStartObject();
                g.writeStringField("type", "Unknown");
                if (r.accessKeyId() != null) {
                    g.writeStringField("accessKeyId", r.accessKeyId());
                }
                g.writeEndObject();
                f.userIdentity = new UserIdentity("Unknown", null, null, null, r.accessKeyId(), null, null, null, null,
                        null);
            }
            w.eventTime(r.time());
            w.string("eventSource", f.eventSource = SOURCE);
            w.string("eventName", f.eventName = r.eventName());
            w.string("awsRegion", f.awsRegion = r.region());
            w.string("sourceIPAddress", f.sourceIpAddress = r.sourceIp());
            w.string("userAgent", f.userAgent = truncate(r.userAgent(), MAX_TEXT));
            w.string("errorCode", f.errorCode = r.errorCode());
            w.string("errorMessage", f.errorMessage = truncate(r.errorMessage(), MAX_TEXT));
            g.writeNullField("requestParameters");
            g.writeNullField("responseElements");
            w.string("requestID", f.requestId = r.requestId());
            w.string("eventID", f.eventId = eventId);
            g.writeBooleanField("readOnly", r.readOnly());
            f.readOnly = r.readOnly();
            w.string("eventType", f.eventType = "AwsApiCall");
            g.writeBooleanField("managementEvent", true);
            f.managementEvent = Boolean.TRUE;
            w.string("recipientAccountId", f.recipientAccountId = r.recipientAccountId());
            w.string("eventCategory", f.eventCategory = "Management");
            tls(g, r.hostHeader() == null ? "kms." + r.region() + ".amazonaws.com" : truncate(r.hostHeader(), 256));
            g.writeEndObject();
            return w.event();
        } catch (IOException e) {
            throw new EmulatorException("cannot write a CloudTrail record", e);
        }
    }

    /** An {@code AwsServiceEvent} (see {@link CloudTrailEmitter#emitServiceEvent}). */
    static CloudTrailEvent serviceEvent(String eventName, KmsKey key, Instant time, JsonNode serviceEventDetails,
                                        JsonNode additionalEventData, String eventId) {
        try (Out w = new Out()) {
            JsonGenerator g = w.g;
            RecordParser.Fields f = w.f;
            g.writeStartObject();
            w.string("eventVersion", f.eventVersion = CloudTrailEmitter.EVENT_VERSION);
            g.writeObjectFieldStart("userIdentity");
            g.writeStringField("accountId", key.accountId());
            g.writeStringField("invokedBy", "AWS Internal");
            g.writeEndObject();
            f.userIdentity = new UserIdentity(null, null, null, key.accountId(), null, null, "AWS Internal", null, null,
                    null);
            w.eventTime(time);
            w.string("eventSource", f.eventSource = SOURCE);
            w.string("eventName", f.eventName = eventName);
            w.string("awsRegion", f.awsRegion = key.region());
            w.string("sourceIPAddress", f.sourceIpAddress = "AWS Internal");
            w.string("userAgent", f.userAgent = "AWS Internal");
            g.writeNullField("requestParameters");
            g.writeNullField("responseElements");
            if (additionalEventData != null) {
                f.additionalEventData = w.tree("additionalEventData", additionalEventData);
            }
            w.string("eventID", f.eventId = eventId);
            g.writeBooleanField("readOnly", false);
            f.readOnly = Boolean.FALSE;
            w.resources(List.of(key));
            w.string("eventType", f.eventType = "AwsServiceEvent");
            g.writeBooleanField("managementEvent", true);
            f.managementEvent = Boolean.TRUE;
            w.string("recipientAccountId", f.recipientAccountId = key.accountId());
            if (serviceEventDetails != null) {
                f.serviceEventDetails = w.tree("serviceEventDetails", serviceEventDetails);
            }
            w.string("eventCategory", f.eventCategory = "Management");
            g.writeEndObject();
            return w.event();
        } catch (IOException e) {
            throw new EmulatorException("cannot write a CloudTrail record", e);
        }
    }

    /** Writes {@code userIdentity}'s value and returns what the model reads of it. */
    private static UserIdentity userIdentity(JsonGenerator g, Caller c, String viaService) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", c.type());
        g.writeStringField("principalId", c.principalId());
        g.writeStringField("arn", c.arn());
        g.writeStringField("accountId", c.accountId());
        g.writeStringField("accessKeyId", c.accessKeyId());
        String userName = null;
        if ("IAMUser".equals(c.type())) {
            userName = c.userName();
            g.writeStringField("userName", userName);
        }
        boolean session = "AssumedRole".equals(c.type());
        if (session) {
            g.writeObjectFieldStart("sessionContext");
            g.writeObjectFieldStart("sessionIssuer");
            g.writeStringField("type", "Role");
            g.writeStringField("principalId", c.rolePrincipalId());
            g.writeStringField("arn", c.policyArn());
            g.writeStringField("accountId", c.accountId());
            g.writeStringField("userName", c.roleName());
            g.writeEndObject();
            g.writeObjectFieldStart("attributes");
            g.writeStringField("creationDate", CloudTrailEmitter.eventTime(c.sessionCreated()));
            g.writeStringField("mfaAuthenticated", "false");
            g.writeEndObject();
            g.writeEndObject();
        }
        if (viaService != null) {
            g.writeStringField("invokedBy", viaService);
        }
        g.writeEndObject();
        return new UserIdentity(c.type(), c.principalId(), c.arn(), c.accountId(), c.accessKeyId(), userName, viaService,
                session ? "Role" : null, session ? c.policyArn() : null, session ? c.accountId() : null);
    }

    private static void tls(JsonGenerator g, String host) throws IOException {
        g.writeObjectFieldStart("tlsDetails");
        g.writeStringField("tlsVersion", "TLSv1.3");
        g.writeStringField("cipherSuite", "TLS_AES_256_GCM_SHA384");
        g.writeStringField("clientProvidedHostHeader", host);
        g.writeEndObject();
    }

    /** At most {@code max} characters (AWS truncates long user agents and messages). */
    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** The text of the last second an event was stamped with: most records of a busy second share it. */
    private static volatile EventTime lastEventTime;

    private record EventTime(long second, String text) {
    }

    /** One record being written: the generator, its bytes, and the fields the model will hold. */
    private static final class Out implements AutoCloseable {
        final ByteArrayBuilder bytes = new ByteArrayBuilder(1024);
        final JsonGenerator g;
        final RecordParser.Fields f = new RecordParser.Fields();

        Out() throws IOException {
            // through the mapper, so the generator has the mapper's settings, as writeValueAsBytes had
            g = Json.MAPPER.createGenerator(bytes, JsonEncoding.UTF8);
        }

        void string(String name, String value) throws IOException {
            g.writeStringField(name, value);
        }

        void eventTime(Instant t) throws IOException {
            long second = t.getEpochSecond();
            EventTime last = lastEventTime;
            if (last == null || last.second != second) {
                last = new EventTime(second, Instant.ofEpochSecond(second).toString());
                lastEventTime = last;
            }
            f.eventTimeText = last.text;
            f.eventTime = Instant.ofEpochSecond(second);
            g.writeStringField("eventTime", last.text);
        }

        /** Writes a member whose value is a sub-object and returns its span (null when it is not an object). */
        int[] tree(String name, JsonNode node) throws IOException {
            g.writeFieldName(name);
            if (node == null || node.isNull()) {
                g.writeNull();
                return null;
            }
            // the value starts after the ':' the generator writes before it (no pretty printer: nothing else)
            int start = position() + 1;
            node(node);
            return node.isObject() ? new int[] {start, position()} : null;
        }

        /**
         * Writes a tree as {@code ObjectMapper} would, without a serializer provider per call: objects, arrays,
         * strings, booleans, nulls and integers directly; any other node (floating point, binary, POJO) through
         * the mapper.
         */
        private void node(JsonNode n) throws IOException {
            switch (n.getNodeType()) {
                case OBJECT -> {
                    g.writeStartObject();
                    for (var it = n.fields(); it.hasNext(); ) {
                        var e = it.next();
                        g.writeFieldName(e.getKey());
                        node(e.getValue());
                    }
                    g.writeEndObject();
                }
                case ARRAY -> {
                    g.writeStartArray();
                    for (JsonNode v : n) {
                        node(v);
                    }
                    g.writeEndArray();
                }
                case STRING -> g.writeString(n.textValue());
                case BOOLEAN -> g.writeBoolean(n.booleanValue());
                case NULL -> g.writeNull();
                default -> {
                    if (n.isInt()) {
                        g.writeNumber(n.intValue());
                    } else if (n.isLong()) {
                        g.writeNumber(n.longValue());
                    } else {
                        TREES.writeValue(g, n);
                    }
                }
            }
        }

        void resources(List<KmsKey> keys) throws IOException {
            g.writeArrayFieldStart("resources");
            for (KmsKey k : keys) {
                g.writeStartObject();
                g.writeStringField("accountId", k.accountId());
                g.writeStringField("type", "AWS::KMS::Key");
                g.writeStringField("ARN", k.arn());
                g.writeEndObject();
                f.addResource(new Resource(k.arn(), k.accountId(), "AWS::KMS::Key"));
            }
            g.writeEndArray();
        }

        private int position() {
            return bytes.size() + g.getOutputBuffered();
        }

        CloudTrailEvent event() throws IOException {
            g.close();
            f.raw = bytes.toByteArray();
            // the fields hold what was written, as written, and no name written has a dot
            f.verbatim = true;
            return new CloudTrailEvent(f);
        }

        @Override
        public void close() {
            bytes.release();
        }
    }
}
