package io.kmswatch.ingest.sqs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Rejected;
import io.kmswatch.ingest.EventPublisher;
import io.kmswatch.ingest.IngestMetrics;
import io.kmswatch.ingest.IngestSource;
import io.kmswatch.ingest.IngestSummary;
import io.kmswatch.ingest.internal.AckCounter;
import io.kmswatch.ingest.internal.AwsClients;
import io.kmswatch.ingest.s3.S3ObjectReader;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Reads SQS queues fed by EventBridge, S3 event notifications or CloudTrail's SNS notification (see
 * {@link SqsMessage} for the shapes) into {@code kms-events}. One thread per queue long-polls
 * ({@link SqsConfig#waitTime()}), reads each message — an EventBridge event's {@code detail} byte for byte,
 * or every record of the S3 objects a notification announces — and deletes a message only after every
 * record and rejection it produced is acknowledged by Kafka. A message that cannot be read is sent to
 * {@code kms-events-rejected} with its reason and then deleted; an announced object that cannot be read
 * for a transient reason leaves its message on the queue, which delivers it again after the visibility
 * timeout. While a message is being read its visibility timeout is extended, so a large file is not handed
 * to another reader meanwhile.
 *
 * <p>Delivery is at least once: a stop or a crash before the delete makes the queue deliver the message
 * again, and {@code detect} drops the repeated records by {@code eventID}. Nothing is checkpointed: the
 * queue is the checkpoint.
 */
public final class SqsSource implements IngestSource {
    private static final Logger LOG = LoggerFactory.getLogger(SqsSource.class);
    /** Source id: the {@code source} header and the ingest meters' tag. */
    public static final String ID = "sqs";
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final SqsConfig config;
    private final EventPublisher publisher;
    private final CloudTrailCodec codec;
    private final IngestMetrics metrics;
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<Queue> queues = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ScheduledExecutorService timer;
    /** Messages being read, by receipt handle: extended while reading. */
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong rejectedCount = new AtomicLong();

    private record InFlight(Queue queue, String receiptHandle, long[] extendedAtNanos) {
    }

    /** One queue: its clients and meters. */
    private final class Queue {
        final SqsQueueConfig config;
        final SqsClient sqs;
        final S3Client s3;
        final S3ObjectReader reader;
        final SqsQueueMetrics metrics;
        /** True while the poller reads a batch (not while it waits in a long poll). */
        volatile boolean busy;

        Queue(SqsQueueConfig config, SqsClient sqs, S3Client s3) {
            this.config = config;
            this.sqs = sqs;
            this.s3 = s3;
            this.reader = new S3ObjectReader(s3, codec, SqsSource.this::isStopped);
            this.metrics = new SqsQueueMetrics(config.name());
        }
    }

    /**
     * @param registry where the per-queue meters are bound (the source's {@link IngestMetrics} come with the publisher)
     */
    public SqsSource(SqsConfig config, EventPublisher publisher, CloudTrailCodec codec, MeterRegistry registry) {
        this.config = config;
        this.publisher = publisher;
        this.codec = codec;
        this.metrics = publisher.metrics();
        for (SqsQueueConfig q : config.queues()) {
            Queue queue = new Queue(q, sqsClient(q), s3Client(q));
            queue.metrics.bindTo(registry);
            queues.add(queue);
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kmswatch-ingest-sqs-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** The SQS client for a queue. */
    public static SqsClient sqsClient(SqsQueueConfig q) {
        Region region = Region.of(q.region());
        SqsClientBuilder b = SqsClient.builder().region(region)
                .credentialsProvider(credentials(q, region))
                .httpClientBuilder(AwsClients.http());
        if (q.endpoint() != null) {
            b.endpointOverride(URI.create(q.endpoint()));
        }
        return b.build();
    }

    private static S3Client s3Client(SqsQueueConfig q) {
        Region region = Region.of(q.region());
        S3ClientBuilder b = S3Client.builder().region(region)
                .credentialsProvider(credentials(q, region))
                .httpClientBuilder(AwsClients.http())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (q.s3EndpointUrl() != null) {
            b.endpointOverride(URI.create(q.s3EndpointUrl())).forcePathStyle(true);
        } else {
            // an organisation trail's bucket is often in another region than the queue
            b.crossRegionAccessEnabled(true);
        }
        return b.build();
    }

    private static AwsCredentialsProvider credentials(SqsQueueConfig q, Region region) {
        return AwsClients.credentials(q.profile(), q.assumeRoleArn(), null, region);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void stop() {
        stopped.countDown();
    }

    private boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /** The meters of each queue, by queue name (for tests and the benchmark). */
    public Map<String, SqsQueueMetrics> queueMetrics() {
        Map<String, SqsQueueMetrics> m = new java.util.LinkedHashMap<>();
        queues.forEach(q -> m.put(q.config.name(), q.metrics));
        return m;
    }

    @Override
    public IngestSummary run() {
        long started = System.nanoTime();
        long produced0 = metrics.produced();
        long filtered0 = metrics.filtered();
        long extendEveryMillis = Math.max(500, config.visibilityTimeout().toMillis() / 3);
        timer.scheduleWithFixedDelay(this::extendVisibility, extendEveryMillis, extendEveryMillis, TimeUnit.MILLISECONDS);
        for (Queue q : queues) {
            timer.scheduleWithFixedDelay(() -> queueStats(q), 0, config.queueStatsInterval().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        List<Thread> pollers = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (Queue q : queues) {
            Thread t = new Thread(() -> {
                try {
                    poll(q);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                    stop();
                } finally {
                    q.busy = false;
                    q.sqs.close();
                    q.s3.close();
                }
            }, "kmswatch-ingest-sqs-" + q.config.name());
            t.setDaemon(true);
            pollers.add(t);
            t.start();
        }
        LOG.info("sqs source: reading {}", queues.stream().map(q -> q.config.queueUrl()).toList());
        try {
            stopped.await();
            // a poller reading a batch finishes it (its records acknowledged, its messages deleted); one waiting in
            // a long poll is not waited for: what it receives after the stop it makes visible again, then it ends
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int i = 0; i < pollers.size(); i++) {
                while (pollers.get(i).isAlive() && queues.get(i).busy && System.nanoTime() < deadline) {
                    pollers.get(i).join(50);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            timer.shutdownNow();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        publisher.flush();
        return new IngestSummary(messages.get(), 0, records.get(), metrics.produced() - produced0, rejectedCount.get(),
                metrics.filtered() - filtered0, 0, Duration.ofNanos(System.nanoTime() - started));
    }

    private void poll(Queue q) {
        long backoffMillis = 0;
        while (!isStopped()) {
            List<Message> received;
            try {
                received = q.sqs.receiveMessage(r -> r.queueUrl(q.config.queueUrl())
                        .maxNumberOfMessages(config.maxMessages())
                        .waitTimeSeconds((int) config.waitTime().toSeconds())
                        .visibilityTimeout((int) config.visibilityTimeout().toSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP)).messages();
                backoffMillis = 0;
            } catch (SdkException e) {
                q.metrics.receiveErrors.increment();
                backoffMillis = Math.min(MAX_BACKOFF.toMillis(), Math.max(500, backoffMillis * 2));
                LOG.error("sqs source: receiving from {} failed, again in {} ms: {}", q.config.queueUrl(), backoffMillis,
                        e.getMessage());
                try {
                    if (stopped.await(backoffMillis, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            if (received.isEmpty()) {
                continue;
            }
            q.busy = true;
            q.metrics.received.add(received.size());
            q.metrics.oldestReceived(oldestSent(received));
            if (isStopped()) {
                release(q, received);
                return;
            }
            readBatch(q, received);
            q.busy = false;
        }
    }

    /** Reads a batch, waits for Kafka's acknowledgements, deletes what is completely stored. */
    private void readBatch(Queue q, List<Message> batch) {
        List<Message> deletable = new ArrayList<>();
        List<AckCounter> counters = new ArrayList<>();
        List<Message> kept = new ArrayList<>();
        for (Message m : batch) {
            inFlight.put(m.receiptHandle(), new InFlight(q, m.receiptHandle(), new long[] {System.nanoTime()}));
            AtomicBoolean done = new AtomicBoolean();
            AckCounter counter = new AckCounter(() -> done.set(true));
            boolean complete = read(q, m, counter);
            counter.readFinished();
            messages.incrementAndGet();
            if (complete) {
                deletable.add(m);
                counters.add(counter);
            } else {
                kept.add(m);
            }
        }
        publisher.flush(); // throws when a send failed: nothing of the batch is deleted, the queue delivers it again
        List<Message> delete = new ArrayList<>();
        for (int i = 0; i < deletable.size(); i++) {
            if (counters.get(i).pending() == 0) {
                delete.add(deletable.get(i));
            }
        }
        delete(q, delete);
        for (Message m : batch) {
            inFlight.remove(m.receiptHandle());
        }
        if (!kept.isEmpty()) {
            LOG.warn("sqs source: {} message(s) from {} left on the queue for redelivery (an announced S3 object"
                    + " could not be read for now)", kept.size(), q.config.name());
        }
    }

    /** Reads one message; false when it must stay on the queue to be read again. */
    private boolean read(Queue q, Message m, AckCounter counter) {
        String location = "sqs://" + q.config.name() + "/" + m.messageId();
        MessageSink sink = new MessageSink(q, counter);
        SqsMessage parsed = SqsMessage.parse(m.body(), mapper);
        if (parsed instanceof SqsMessage.Events e) {
            codec.read(new ByteArrayInputStream(e.json()), location, sink);
        } else if (parsed instanceof SqsMessage.Objects o) {
            q.metrics.objectsSkipped.add(o.passedOver());
            boolean complete = true;
            for (SqsMessage.S3Ref ref : o.objects()) {
                if (isStopped()) {
                    return false;
                }
                S3ObjectReader.Outcome outcome = q.reader.read(ref.bucket(), ref.key(), sink);
                if (outcome == S3ObjectReader.Outcome.TRANSIENT) {
                    complete = false;
                } else {
                    q.metrics.objectsRead.increment();
                }
            }
            return complete;
        } else if (parsed instanceof SqsMessage.Ignored i) {
            q.metrics.ignored.increment();
            LOG.info("sqs source: {} holds no events ({}); deleted", location, i.what());
        } else if (parsed instanceof SqsMessage.Invalid i) {
            q.metrics.rejected.increment();
            rejectedCount.incrementAndGet();
            counter.sending();
            publisher.reject(new Rejected(location, "SQS message: " + i.reason(),
                    m.body().getBytes(StandardCharsets.UTF_8)), counter::acked);
        }
        return true;
    }

    /** Counts what one message sends and learns each record's eventTime on its acknowledgement. */
    private final class MessageSink implements CloudTrailCodec.Sink {
        private final Queue q;
        private final AckCounter counter;

        MessageSink(Queue q, AckCounter counter) {
            this.q = q;
            this.counter = counter;
        }

        @Override
        public void record(CloudTrailEvent event, String location) {
            records.incrementAndGet();
            long eventMillis = event.eventTime().toEpochMilli();
            counter.sending();
            if (!publisher.publish(event, location, () -> {
                q.metrics.produced.increment();
                q.metrics.eventAcked(eventMillis);
                counter.acked();
            })) {
                counter.acked();
            }
        }

        @Override
        public void rejected(Rejected r) {
            rejectedCount.incrementAndGet();
            counter.sending();
            publisher.reject(r, counter::acked);
        }
    }

    private void delete(Queue q, List<Message> messages) {
        for (int from = 0; from < messages.size(); from += 10) {
            List<Message> chunk = messages.subList(from, Math.min(messages.size(), from + 10));
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).receiptHandle()).build());
            }
            try {
                DeleteMessageBatchResponse r = q.sqs.deleteMessageBatch(b -> b.queueUrl(q.config.queueUrl())
                        .entries(entries));
                q.metrics.deleted.add(r.successful().size());
                r.failed().forEach(f -> LOG.warn("sqs source: cannot delete a message from {} ({} {}); it comes again"
                        + " and its records are dropped downstream as duplicates", q.config.name(), f.code(), f.message()));
            } catch (SdkException e) {
                LOG.warn("sqs source: deleting {} message(s) from {} failed ({}); they come again and their records"
                        + " are dropped downstream as duplicates", chunk.size(), q.config.name(), e.getMessage());
            }
        }
    }

    /** Makes messages received during a stop visible again at once, for the next reader. */
    private void release(Queue q, List<Message> messages) {
        for (int from = 0; from < messages.size(); from += 10) {
            List<Message> chunk = messages.subList(from, Math.min(messages.size(), from + 10));
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).receiptHandle()).visibilityTimeout(0).build());
            }
            try {
                q.sqs.changeMessageVisibilityBatch(b -> b.queueUrl(q.config.queueUrl()).entries(entries));
            } catch (SdkException e) {
                LOG.debug("sqs source: releasing messages on stop failed; they come again after the visibility timeout",
                        e);
            }
        }
    }

    /** Extends the visibility of messages read for more than half their timeout. */
    private void extendVisibility() {
        long half = config.visibilityTimeout().toNanos() / 2;
        long now = System.nanoTime();
        for (InFlight f : inFlight.values()) {
            if (now - f.extendedAtNanos()[0] < half) {
                continue;
            }
            try {
                f.queue().sqs.changeMessageVisibility(b -> b.queueUrl(f.queue().config.queueUrl())
                        .receiptHandle(f.receiptHandle())
                        .visibilityTimeout((int) config.visibilityTimeout().toSeconds()));
                f.extendedAtNanos()[0] = now;
                f.queue().metrics.extensions.increment();
            } catch (SdkException e) {
                LOG.warn("sqs source: cannot extend the visibility of a message in {}: {}", f.queue().config.name(),
                        e.getMessage());
            }
        }
    }

    private void queueStats(Queue q) {
        try {
            Map<QueueAttributeName, String> a = q.sqs.getQueueAttributes(b -> b.queueUrl(q.config.queueUrl())
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            q.metrics.queueStats(number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                    number(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)));
        } catch (RuntimeException e) {
            LOG.debug("sqs source: GetQueueAttributes on {} failed: {}", q.config.name(), e.getMessage());
        }
    }

    /** The earliest SentTimestamp of a batch, in epoch millis (Long.MAX_VALUE when none says). */
    private static long oldestSent(List<Message> batch) {
        long oldest = Long.MAX_VALUE;
        for (Message m : batch) {
            long sent = number(m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP));
            if (sent >= 0) {
                oldest = Math.min(oldest, sent);
            }
        }
        return oldest;
    }

    private static long number(String v) {
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
