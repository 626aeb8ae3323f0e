package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.KeyArns;
import io.kmswatch.events.KmsOperation;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.RuleSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * {@code external-key-encryption}: our data encrypted under a key of another, untrusted account — the
 * ransomware pattern (re-encrypt objects with a key the victim does not control). Two signals: KMS
 * Encrypt / GenerateDataKey* / ReEncrypt calls in our trail ({@code recipientAccountId} is the
 * caller's account) on another account's key, and S3 writes (PutObject, CopyObject,
 * CreateMultipartUpload) whose {@code x-amz-server-side-encryption-aws-kms-key-id} names another
 * account's key. Fires on first use per key and principal in a {@code window} (default 1 h), again at
 * higher tiers, so a mass re-encryption is one escalating alert, not thousands.
 */
public final class ExternalKeyEncryptionDetection implements DetectionRule {
    public static final String ID = "external-key-encryption";
    static final String STORE = "kmswatch-" + ID;
    static final String SSE_KMS_KEY = "x-amz-server-side-encryption-aws-kms-key-id";
    private static final Set<String> S3_WRITES = Set.of("PutObject", "CopyObject", "CreateMultipartUpload");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public RuleSettings defaults() {
        return RuleSettings.unset().withEnabled(true).withSeverity(Severity.CRITICAL).withThreshold(1)
                .withWindow(Duration.ofHours(1));
    }

    /** The external key the event encrypts with, or null. */
    static String externalKey(CloudTrailEvent e, RuleContext ctx) {
        if (!e.succeeded()) {
            return null;
        }
        String ours = e.recipientAccountId() != null ? e.recipientAccountId() : null;
        String key = null;
        if (e.isKms()) {
            KmsOperation op = e.operation();
            boolean encrypts = op == KmsOperation.ENCRYPT || op == KmsOperation.RE_ENCRYPT
                    || (op.isDecryptLike() && op != KmsOperation.DECRYPT);
            if (!encrypts || ours == null || !ours.equals(e.callerAccountId())) {
                return null;
            }
            key = op == KmsOperation.RE_ENCRYPT ? e.requestParameters().path("destinationKeyId").asText(e.keyArn()) : e.keyArn();
        } else if ("s3.amazonaws.com".equals(e.eventSource()) && S3_WRITES.contains(e.eventName())) {
            key = e.requestParameters().path(SSE_KMS_KEY).asText(null);
        }
        if (!KeyArns.isKeyArn(key) || ours == null) {
            return null;
        }
        String owner = KeyArns.accountOf(key);
        return owner != null && !owner.equals(ours) && !ctx.config().isTrustedAccount(owner) ? key : null;
    }

    @Override
    public KStream<String, Detection> detect(KStream<String, KeyEvent> events, RuleContext ctx) {
        Duration window = ctx.settings().window();
        ctx.windowStore(STORE, CountingProcessor.retention(window, ctx.grace(), 0), window, WindowBucket.class);
        return events.process(() -> new CountingProcessor(ID, STORE, window, ctx.grace(), ctx.metrics()) {
            @Override
            protected String entity(KeyEvent ke) {
                String key = externalKey(ke.event(), ctx);
                return key == null ? null : key + "|" + ke.event().principal();
            }

            @Override
            protected long threshold(String entity, long windowStart, KeyEvent e) {
                return ctx.settings().threshold();
            }

            @Override
            protected Detection detection(KeyEvent ke, String entity, long windowStart, WindowBucket b, int tier,
                                          long threshold) {
                CloudTrailEvent e = ke.event();
                String key = externalKey(e, ctx);
                String ours = e.recipientAccountId();
                String region = KeyArns.regionOf(key);
                String bucket = e.requestParameters().path("bucketName").asText(null);
                return Findings.about(ID, ctx.settings().severity(), e).key(key).account(ours)
                        .fingerprintOf(key, e.principal(), windowStart).tier(tier).count(b.count())
                        .span(Instant.ofEpochMilli(b.firstMs()), Instant.ofEpochMilli(b.lastMs())).evidence(b.evidence())
                        .title("Data in " + ours + " encrypted with external key " + key)
                        .summary(e.principal() + " " + e.eventName() + (bucket != null ? " into s3://" + bucket : "")
                                + " encrypted with a key owned by account " + KeyArns.accountOf(key)
                                + ", which is not trusted: whoever owns that key can make the data unreadable. "
                                + b.count() + " such writes in this window.")
                        .attr("keyAccount", KeyArns.accountOf(key)).attr("eventSource", e.eventSource())
                        .attr("eventName", e.eventName()).attr("bucket", bucket)
                        .runbook(Runbooks.forKey(null, region, List.of(
                                "Does anyone here own account " + KeyArns.accountOf(key) + "? If not, treat as ransomware.",
                                "Stop the principal: deactivate its access keys or revoke its role sessions.",
                                "List the objects written with the external key and restore earlier versions."),
                                "aws cloudtrail lookup-events --lookup-attributes AttributeKey=ResourceName,AttributeValue="
                                        + key + " --region " + region + " --max-results 50"
                                        + " --query 'Events[*].[EventTime,EventName,Username]' --output table",
                                bucket == null ? "aws s3api list-buckets" : "aws s3api list-object-versions --bucket " + bucket
                                        + " --max-items 100"))
                        .build();
            }
        }, Named.as(ID), STORE);
    }
}
