package io.kmswatch.emulator.trail;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.Caller;
import io.kmswatch.emulator.state.KmsKey;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailListener;
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
 * <p>Each record is written once, with a streaming generator, into its final bytes ({@link TrailRecordWriter}),
 * and the {@link CloudTrailEvent} carrying those bytes is made from the values written, without parsing them
 * back; it is the event {@link CloudTrailEvent#parse(byte[])} gives for the same bytes, so the emulator publishes
 * exactly what ingest consumes. That one event (its bytes never copied) goes to the LookupEvents store, the
 * S3-layout writer, the audit log and the listeners (the feed to {@code kms-events}, EventBridge delivery). A
 * failing sink is logged and never fails the KMS call.
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
        String shared = crossAccount && !denied ? newEventId() : null;
        List<CloudTrailEvent> out = new ArrayList<>(2);
        out.add(publish(TrailRecordWriter.apiCall(ctx, eventName, readOnly, requestParameters, responseElements,
                errorCode, errorMessage, caller.accountId(), shared, newEventId()), caller.accessKeyId(),
                caller.lookupUsername()));
        if (shared != null) {
            out.add(publish(TrailRecordWriter.apiCall(ctx, eventName, readOnly, requestParameters, responseElements,
                    errorCode, errorMessage, owner, shared, newEventId()), caller.accessKeyId(),
                    caller.lookupUsername()));
        }
        return out;
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
        return publish(TrailRecordWriter.refusal(r, newEventId()), r.accessKeyId(),
                r.caller() == null ? null : r.caller().lookupUsername());
    }

    /**
     * Emits an {@code AwsServiceEvent} the service made on its own (RotateKey, DeleteKey,
     * DeleteExpiredKeyMaterial): no userIdentity type, {@code AWS Internal} source, no requestID.
     */
    public CloudTrailEvent emitServiceEvent(String eventName, KmsKey key, JsonNode serviceEventDetails,
                                            JsonNode additionalEventData) {
        return publish(TrailRecordWriter.serviceEvent(eventName, key, clock.instant(), serviceEventDetails,
                additionalEventData, newEventId()), null, null);
    }

    /**
     * A new {@code eventID}: a random (version 4) UUID, as CloudTrail's. From the thread's own generator rather
     * than {@link UUID#randomUUID()}'s shared secure one: the id needs to be unique, not unpredictable, and every
     * request thread would otherwise contend on one lock.
     */
    static String newEventId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    static String eventTime(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private CloudTrailEvent publish(CloudTrailEvent event, String accessKeyId, String username) {
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
