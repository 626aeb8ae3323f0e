package io.kmswatch.emulator.trail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmswatch.emulator.EmulatorException;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.Caller;
import io.kmswatch.emulator.state.KmsKey;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailListener;
import io.kmswatch.events.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Builds one CloudTrail record per KMS call, allowed, denied or refused for its signature, in the shape real
 * KMS records have (eventVersion 1.11; {@code userIdentity} of type IAMUser, AssumedRole or Root, or Unknown
 * for an unknown access key, with {@code invokedBy} for
 * calls through an AWS service; requestParameters/responseElements as KMS logs them, never plaintext or
 * ciphertext; errorCode/errorMessage; resources; requestID; eventID; readOnly; eventCategory; tlsDetails), and
 * the {@code AwsServiceEvent}s the service itself causes (RotateKey, DeleteKey, DeleteExpiredKeyMaterial).
 *
 * <p>A call by one account on another account's key yields two records with one {@code sharedEventID}: the
 * caller's copy ({@code recipientAccountId} = caller) and the key owner's copy. A denied cross-account call is
 * recorded only in the caller's account, as CloudTrail does.
 *
 * <p>Every record is parsed back with {@link CloudTrailEvent#parse(byte[])}, so the emulator publishes exactly
 * what ingest consumes, and is handed to the listeners, the LookupEvents store, the S3-layout writer and the
 * audit log. A failing sink is logged and never fails the KMS call.
 */
public final class CloudTrailEmitter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CloudTrailEmitter.class);
    public static final String EVENT_VERSION = "1.11";

    private final Clock clock;
    private final List<CloudTrailListener> listeners = new CopyOnWriteArrayList<>();
    private final TrailStore store;
    private final S3TrailWriter s3;
    private final AuditLogWriter auditLog;

    /**
     * @param s3       null for no S3-layout files
     * @param auditLog null for no audit log
     */
    public CloudTrailEmitter(Clock clock, TrailStore store, S3TrailWriter s3, AuditLogWriter auditLog) {
        this.clock = clock;
        this.store = store;
        this.s3 = s3;
        this.auditLog = auditLog;
    }

    public void addListener(CloudTrailListener listener) {
        listeners.add(listener);
    }

    /** The S3-layout trail writer, or null when trail files are off. */
    public S3TrailWriter trailWriter() {
        return s3;
    }

    public void removeListener(CloudTrailListener listener) {
        listeners.remove(listener);
    }

    public TrailStore store() {
        return store;
    }

    /**
     * Emits the record(s) of one API call.
     *
     * @param errorCode null on success
     */
    public List<CloudTrailEvent> emitApiCall(CallContext ctx, String eventName, boolean readOnly,
                                             JsonNode requestParameters, JsonNode responseElements,
                                             String errorCode, String errorMessage) {
        Caller caller = ctx.caller();
        List<KmsKey> keys = ctx.resources();
        String owner = keys.isEmpty() ? caller.accountId() : keys.get(0).accountId();
        boolean crossAccount = !owner.equals(caller.accountId());
        boolean denied = errorCode != null && errorCode.startsWith("AccessDenied");
        String shared = crossAccount && !denied ? UUID.randomUUID().toString() : null;
        List<CloudTrailEvent> out = new ArrayList<>(2);
        out.add(publish(apiRecord(ctx, eventName, readOnly, requestParameters, responseElements, errorCode,
                errorMessage, caller.accountId(), shared), ctx.caller().accessKeyId(), caller.lookupUsername()));
        if (shared != null) {
            out.add(publish(apiRecord(ctx, eventName, readOnly, requestParameters, responseElements, errorCode,
                    errorMessage, owner, shared), ctx.caller().accessKeyId(), caller.lookupUsername()));
        }
        return out;
    }

    private ObjectNode apiRecord(CallContext ctx, String eventName, boolean readOnly, JsonNode requestParameters,
                                 JsonNode responseElements, String errorCode, String errorMessage,
                                 String recipient, String sharedEventId) {
        Caller c = ctx.caller();
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("eventVersion", EVENT_VERSION);
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
        r.put("eventID", UUID.randomUUID().toString());
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

    /**
     * Emits the record of a request refused before any operation ran (see {@link RefusedRequest}), so that
     * failed authentication is as visible to the pipeline as a denied call. The record has the call's
     * {@code errorCode} and {@code errorMessage}, the claimed access key id and the source address;
     * {@code requestParameters} and {@code responseElements} are null and there are no {@code resources}, as
     * nothing of the untrusted body is read. The {@code userIdentity} is the owner of the claimed access key
     * when it is known, else of type {@code Unknown} with only the {@code accessKeyId} (CloudTrail's type for an
     * identity it cannot determine). Never a secret: the verifier has no use for the secret but the HMAC.
     *
     * @return the record emitted
     */
    public CloudTrailEvent emitRefusal(RefusedRequest r) {
        ObjectNode rec = Json.MAPPER.createObjectNode();
        rec.put("eventVersion", EVENT_VERSION);
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
        rec.put("eventID", UUID.randomUUID().toString());
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
        return publish(rec, r.accessKeyId(), r.caller() == null ? null : r.caller().lookupUsername());
    }

    /**
     * Emits an {@code AwsServiceEvent} the service made on its own (RotateKey, DeleteKey,
     * DeleteExpiredKeyMaterial): no userIdentity type, {@code AWS Internal} source, no requestID.
     */
    public CloudTrailEvent emitServiceEvent(String eventName, KmsKey key, JsonNode serviceEventDetails,
                                            JsonNode additionalEventData) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("eventVersion", EVENT_VERSION);
        ObjectNode id = r.putObject("userIdentity");
        id.put("accountId", key.accountId());
        id.put("invokedBy", "AWS Internal");
        r.put("eventTime", eventTime(clock.instant()));
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
        r.put("eventID", UUID.randomUUID().toString());
        r.put("readOnly", false);
        r.set("resources", resources(List.of(key)));
        r.put("eventType", "AwsServiceEvent");
        r.put("managementEvent", true);
        r.put("recipientAccountId", key.accountId());
        if (serviceEventDetails != null) {
            r.set("serviceEventDetails", serviceEventDetails);
        }
        r.put("eventCategory", "Management");
        return publish(r, null, null);
    }

    static ObjectNode userIdentity(Caller c, String viaService) {
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

    static String eventTime(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private CloudTrailEvent publish(ObjectNode record, String accessKeyId, String username) {
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new EmulatorException("cannot serialize a CloudTrail record", e);
        }
        CloudTrailEvent event = CloudTrailEvent.parse(bytes);
        store.add(event, accessKeyId, username);
        if (s3 != null) {
            try {
                s3.add(event);
            } catch (RuntimeException e) {
                LOG.warn("trail file writer failed: {}", e.toString());
            }
        }
        if (auditLog != null) {
            try {
                auditLog.write(event);
            } catch (RuntimeException e) {
                LOG.warn("audit log writer failed: {}", e.toString());
            }
        }
        for (CloudTrailListener l : listeners) {
            try {
                l.onRecord(event);
            } catch (RuntimeException e) {
                LOG.warn("CloudTrail listener {} failed: {}", l, e.toString());
            }
        }
        return event;
    }

    /** Writes pending S3-layout files whose roll time has come. */
    public void tick() {
        if (s3 != null) {
            s3.rollIfDue(clock.instant());
        }
    }

    @Override
    public void close() {
        if (s3 != null) {
            s3.close();
        }
        if (auditLog != null) {
            auditLog.close();
        }
    }
}
