package io.kmswatch.emulator.trail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.Caller;
import io.kmswatch.emulator.state.KmsKey;
import io.kmswatch.events.Json;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The reference for {@link TrailRecordWriter}: the records as {@code CloudTrailEmitter} built them before it wrote
 * them with a generator — a Jackson tree per record, serialised with {@code writeValueAsBytes}. This is that code
 * as it was (commit 735a42f), with the event ids passed in instead of drawn, so that both can be given the same.
 */
final class TreeBuiltRecords {
    private TreeBuiltRecords() {
    }

    static byte[] bytes(ObjectNode record) {
        try {
            return Json.MAPPER.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode apiRecord(CallContext ctx, String eventName, boolean readOnly, JsonNode requestParameters,
                                JsonNode responseElements, String errorCode, String errorMessage,
                                String recipient, String sharedEventId, String eventId) {
        Caller c = ctx.caller();
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("eventVersion", CloudTrailEmitter.EVENT_VERSION);
        r.set("userIdentity", userIdentity(c, ctx.viaService()));
        r.put("eventTime", eventTime(ctx.now()));
        r.put("eventSource", "kms.amazonaws.com");
        r.put("eventName", eventName);
        r.put("awsRegion", ctx.region());
        boolean via = ctx.viaService() != null;
        r.put("sourceIPAddress", via ? ctx.viaService() : ctx.sourceIp());
        r.put("userAgent", via ? ctx.viaService() : truncate(ctx.userAgent(), 1024));
        if (errorCode != null) {
            r.put("errorCode", errorCode);
            if (errorMessage != null) {
                r.put("errorMessage", truncate(errorMessage, 1024));
            }
        }
        r.set("requestParameters", requestParameters == null ? Json.MAPPER.nullNode() : requestParameters);
        r.set("responseElements", responseElements == null ? Json.MAPPER.nullNode() : responseElements);
        if (ctx.additionalEventData() != null) {
            r.set("additionalEventData", ctx.additionalEventData());
        }
        r.put("requestID", ctx.requestId());
        r.put("eventID", eventId);
        r.put("readOnly", readOnly);
        if (!ctx.resources().isEmpty()) {
            r.set("resources", resources(ctx.resources()));
        }
        r.put("eventType", "AwsApiCall");
        r.put("managementEvent", true);
        r.put("recipientAccountId", recipient);
        if (sharedEventId != null) {
            r.put("sharedEventID", sharedEventId);
        }
        r.put("eventCategory", "Management");
        if (!via) {
            ObjectNode tls = r.putObject("tlsDetails");
            tls.put("tlsVersion", "TLSv1.3");
            tls.put("cipherSuite", "TLS_AES_256_GCM_SHA384");
            tls.put("clientProvidedHostHeader", ctx.hostHeader() == null ? "kms." + ctx.region() + ".amazonaws.com"
                    : ctx.hostHeader());
        }
        return r;
    }

    static ObjectNode refusal(RefusedRequest r, String eventId) {
        ObjectNode rec = Json.MAPPER.createObjectNode();
        rec.put("eventVersion", CloudTrailEmitter.EVENT_VERSION);
        if (r.caller() != null) {
            rec.set("userIdentity", userIdentity(r.caller(), null));
        } else {
            ObjectNode id = rec.putObject("userIdentity");
            id.put("type", "Unknown");
            if (r.accessKeyId() != null) {
                id.put("accessKeyId", r.accessKeyId());
            }
        }
        rec.put("eventTime", eventTime(r.time()));
        rec.put("eventSource", "kms.amazonaws.com");
        rec.put("eventName", r.eventName());
        rec.put("awsRegion", r.region());
        rec.put("sourceIPAddress", r.sourceIp());
        rec.put("userAgent", truncate(r.userAgent(), 1024));
        rec.put("errorCode", r.errorCode());
        rec.put("errorMessage", truncate(r.errorMessage(), 1024));
        rec.putNull("requestParameters");
        rec.putNull("responseElements");
        rec.put("requestID", r.requestId());
        rec.put("eventID", eventId);
        rec.put("readOnly", r.readOnly());
        rec.put("eventType", "AwsApiCall");
        rec.put("managementEvent", true);
        rec.put("recipientAccountId", r.recipientAccountId());
        rec.put("eventCategory", "Management");
        ObjectNode tls = rec.putObject("tlsDetails");
        tls.put("tlsVersion", "TLSv1.3");
        tls.put("cipherSuite", "TLS_AES_256_GCM_SHA384");
        tls.put("clientProvidedHostHeader", r.hostHeader() == null ? "kms." + r.region() + ".amazonaws.com"
                : truncate(r.hostHeader(), 256));
        return rec;
    }

    static ObjectNode serviceEvent(String eventName, KmsKey key, Instant time, JsonNode serviceEventDetails,
                                   JsonNode additionalEventData, String eventId) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("eventVersion", CloudTrailEmitter.EVENT_VERSION);
        ObjectNode id = r.putObject("userIdentity");
        id.put("accountId", key.accountId());
        id.put("invokedBy", "AWS Internal");
        r.put("eventTime", eventTime(time));
        r.put("eventSource", "kms.amazonaws.com");
        r.put("eventName", eventName);
        r.put("awsRegion", key.region());
        r.put("sourceIPAddress", "AWS Internal");
        r.put("userAgent", "AWS Internal");
        r.putNull("requestParameters");
        r.putNull("responseElements");
        if (additionalEventData != null) {
            r.set("additionalEventData", additionalEventData);
        }
        r.put("eventID", eventId);
        r.put("readOnly", false);
        r.set("resources", resources(List.of(key)));
        r.put("eventType", "AwsServiceEvent");
        r.put("managementEvent", true);
        r.put("recipientAccountId", key.accountId());
        if (serviceEventDetails != null) {
            r.set("serviceEventDetails", serviceEventDetails);
        }
        r.put("eventCategory", "Management");
        return r;
    }

    private static ObjectNode userIdentity(Caller c, String viaService) {
        ObjectNode id = Json.MAPPER.createObjectNode();
        id.put("type", c.type());
        id.put("principalId", c.principalId());
        id.put("arn", c.arn());
        id.put("accountId", c.accountId());
        id.put("accessKeyId", c.accessKeyId());
        if ("IAMUser".equals(c.type())) {
            id.put("userName", c.userName());
        }
        if ("AssumedRole".equals(c.type())) {
            ObjectNode sc = id.putObject("sessionContext");
            ObjectNode issuer = sc.putObject("sessionIssuer");
            issuer.put("type", "Role");
            issuer.put("principalId", c.rolePrincipalId());
            issuer.put("arn", c.policyArn());
            issuer.put("accountId", c.accountId());
            issuer.put("userName", c.roleName());
            ObjectNode attrs = sc.putObject("attributes");
            attrs.put("creationDate", eventTime(c.sessionCreated()));
            attrs.put("mfaAuthenticated", "false");
        }
        if (viaService != null) {
            id.put("invokedBy", viaService);
        }
        return id;
    }

    private static ArrayNode resources(List<KmsKey> keys) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (KmsKey k : keys) {
            ObjectNode o = a.addObject();
            o.put("accountId", k.accountId());
            o.put("type", "AWS::KMS::Key");
            o.put("ARN", k.arn());
        }
        return a;
    }

    private static String eventTime(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
