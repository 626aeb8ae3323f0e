package io.kmswatch.emulator.delivery;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailListener;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Delivers every CloudTrail record the emulator writes to an SQS queue the way an EventBridge rule with
 * an SQS target does: one message per record, the event
 * {@code {"version":"0","id":…,"detail-type":"AWS API Call via CloudTrail","source":"aws.kms","account":…,
 * "time":…,"region":…,"resources":[],"detail":<the record>}} (EventBridge User Guide, "Events from AWS
 * services delivered via CloudTrail"). The record inside {@code detail} is byte for byte the one the
 * emulator wrote.
 *
 * <p>Records are queued in memory (bounded) and sent by one thread in batches of up to ten as they come,
 * so a call reaches the queue within milliseconds. A send that fails is retried with backoff; when the
 * buffer is full (the queue unreachable for long), further records are counted and dropped, as
 * EventBridge's own delivery is best effort.
 */
public final class EventBridgeQueueDelivery implements CloudTrailListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventBridgeQueueDelivery.class);
    private static final int BUFFER = 100_000;
    /** SQS's batch limit; the message size limit is far above a KMS record's. */
    private static final int BATCH = 10;
    private static final int MAX_BATCH_BYTES = 256 * 1024;

    private final String queueUrl;
    private final SqsClient sqs;
    private final BlockingQueue<CloudTrailEvent> buffer = new ArrayBlockingQueue<>(BUFFER);
    private final Thread sender;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closing;

    private EventBridgeQueueDelivery(String queueUrl, SqsClient sqs) {
        this.queueUrl = queueUrl;
        this.sqs = sqs;
        this.sender = new Thread(this::sendLoop, "kms-emulator-eventbridge");
        sender.setDaemon(true);
        sender.start();
    }

    /**
     * @param queueUrl      the target queue; a host that is not AWS's names its own endpoint
     * @param defaultRegion the region for a queue URL that does not name one
     */
    public static EventBridgeQueueDelivery start(String queueUrl, String defaultRegion) {
        URI url = URI.create(queueUrl);
        URI endpoint = AwsTarget.queueEndpoint(url);
        SqsClientBuilder b = SqsClient.builder().region(Region.of(AwsTarget.queueRegion(url, defaultRegion)))
                .credentialsProvider(AwsTarget.credentials())
                .httpClientBuilder(Apache5HttpClient.builder());
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return new EventBridgeQueueDelivery(queueUrl, b.build());
    }

    @Override
    public void onRecord(CloudTrailEvent event) {
        if (!buffer.offer(event) && dropped.getAndIncrement() == 0) {
            LOG.warn("EventBridge delivery to {}: {} records waiting, the queue is not taking them; further records are"
                    + " dropped (counted)", queueUrl, BUFFER);
        }
    }

    /** The EventBridge event for a record. */
    static byte[] envelope(CloudTrailEvent e) {
        String head = "{\"version\":\"0\",\"id\":\"" + UUID.randomUUID() + "\",\"detail-type\":\"AWS API Call via"
                + " CloudTrail\",\"source\":\"aws.kms\",\"account\":\"" + safe(e.recipientAccountId())
                + "\",\"time\":\"" + e.eventTime().truncatedTo(ChronoUnit.SECONDS) + "\",\"region\":\""
                + safe(e.awsRegion()) + "\",\"resources\":[],\"detail\":";
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] raw = e.unsafeRawBytes(); // only read
        byte[] out = new byte[h.length + raw.length + 1];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(raw, 0, out, h.length, raw.length);
        out[out.length - 1] = '}';
        return out;
    }

    private static String safe(String s) {
        return s == null ? "" : s.replace("\\", "").replace("\"", "");
    }

    private void sendLoop() {
        List<CloudTrailEvent> batch = new ArrayList<>(BATCH);
        long backoff = 0;
        while (!closing || !buffer.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    CloudTrailEvent first = buffer.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    buffer.drainTo(batch, BATCH - 1);
                }
                send(batch);
                batch.clear();
                backoff = 0;
            } catch (InterruptedException e) {
                return;
            } catch (SdkException e) {
                backoff = Math.min(10_000, Math.max(200, backoff * 2));
                LOG.warn("EventBridge delivery to {} failed, again in {} ms: {}", queueUrl, backoff, e.getMessage());
                if (closing) {
                    dropped.addAndGet(batch.size() + buffer.size());
                    return;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void send(List<CloudTrailEvent> batch) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        int bytes = 0;
        for (int i = 0; i < batch.size(); i++) {
            String body = new String(envelope(batch.get(i)), StandardCharsets.UTF_8);
            bytes += body.length();
            if (!entries.isEmpty() && bytes > MAX_BATCH_BYTES) {
                flush(entries);
                entries.clear();
                bytes = body.length();
            }
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(body).build());
        }
        flush(entries);
    }

    private void flush(List<SendMessageBatchRequestEntry> entries) {
        SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        sent.addAndGet(r.successful().size());
        if (!r.failed().isEmpty()) {
            dropped.addAndGet(r.failed().size());
            LOG.warn("EventBridge delivery to {}: {} of {} messages refused, first: {} {}", queueUrl, r.failed().size(),
                    entries.size(), r.failed().get(0).code(), r.failed().get(0).message());
        }
    }

    /** Messages the queue accepted. */
    public long sent() {
        return sent.get();
    }

    /** Records not delivered (buffer full, refused, or still failing at close). */
    public long dropped() {
        return dropped.get();
    }

    /** Sends what is buffered (for up to 10 s), then stops. */
    @Override
    public void close() {
        closing = true;
        try {
            sender.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.interrupt();
        sqs.close();
        if (dropped.get() > 0) {
            LOG.warn("EventBridge delivery to {}: {} records were not delivered", queueUrl, dropped.get());
        }
    }

    @Override
    public String toString() {
        return "EventBridge delivery to " + queueUrl;
    }

}
