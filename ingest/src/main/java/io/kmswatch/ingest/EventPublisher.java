package io.kmswatch.ingest;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Rejected;
import io.kmswatch.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one source's output to Kafka with an idempotent {@code acks=all} producer:
 * <ul>
 *   <li>records {@link EventFilter kept} go to {@code kms-events} unchanged, keyed by
 *       {@link CloudTrailEvent#partitionKey()}, timestamped with {@code eventTime}, with headers
 *       {@code source} and {@code eventID}; a record whose eventTime is more than
 *       {@link #FUTURE_TOLERANCE} ahead of the clock is sent all the same (it is evidence: CloudTrail
 *       delivers late, never early, so it was forged, corrupted or made on a fast clock), with the
 *       {@code future} header and counted in {@code kmswatch.ingest.records.future};</li>
 *   <li>rejections go to {@code kms-events-rejected}, keyed by location, value the raw bytes, header
 *       {@code reason};</li>
 *   <li>checkpoints go to the compacted checkpoint topic.</li>
 * </ul>
 * Sends are asynchronous; the optional {@code onAck} runs once Kafka acknowledged the record, which
 * is how sources learn that a file is completely stored. A send that fails after the producer's own
 * retries is never skipped: the publisher turns unhealthy, and the next call (or {@link #flush()})
 * throws {@link IngestException}, which stops the source. One instance per source; thread-safe as
 * the Kafka producer is.
 */
public final class EventPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
    /** Room for key, headers and batch overhead next to a record's bytes. */
    private static final int RECORD_OVERHEAD = 1024;
    /**
     * How far an eventTime may be ahead of the clock before the record is flagged: the clock skew AWS
     * itself tolerates on signed requests.
     */
    public static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);

    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final String checkpointTopic;
    private final IngestMetrics metrics;
    private final byte[] sourceHeader;
    private final int maxRecordBytes;
    private volatile boolean allEvents;
    private volatile Exception failure;
    private volatile String failureTopic;
    private volatile boolean futureLogged;
    /**
     * Sends that a producer callback decided on (a refused record to the rejected topic, a record refused only
     * for its batch again): a callback runs on the producer's I/O thread, which a send waiting for metadata
     * would block, so they run here. {@link #flush()} waits for them.
     */
    private final java.util.concurrent.ExecutorService followUps = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "kmswatch-ingest-follow-up");
                t.setDaemon(true);
                return t;
            });
    private final java.util.concurrent.atomic.AtomicInteger pendingFollowUps = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param kafka           producer settings (bootstrap servers, security…); acks and idempotence are forced
     * @param topics          topic names
     * @param checkpointTopic full name of the checkpoint topic
     * @param metrics         the source's meters; its {@code source()} is the {@code source} header value
     */
    public EventPublisher(Map<String, ?> kafka, Topics topics, String checkpointTopic, IngestMetrics metrics) {
        this(new KafkaProducer<>(producerSettings(kafka, metrics.source()), new StringSerializer(),
                new ByteArraySerializer()), topics, checkpointTopic, metrics, maxRequestSize(kafka));
    }

    /** For tests that bring their own producer. */
    EventPublisher(Producer<String, byte[]> producer, Topics topics, String checkpointTopic, IngestMetrics metrics,
                   int maxRequestSize) {
        this.producer = producer;
        this.topics = topics;
        this.checkpointTopic = checkpointTopic;
        this.metrics = metrics;
        this.sourceHeader = metrics.source().getBytes(StandardCharsets.UTF_8);
        this.maxRecordBytes = maxRequestSize - RECORD_OVERHEAD;
    }

    /**
     * Sends every CloudTrail record to {@code kms-events} (true), or only those {@link EventFilter#keep} keeps
     * (false, the default); see {@link SourcesConfig#allEvents()}.
     */
    public EventPublisher allEvents(boolean all) {
        this.allEvents = all;
        return this;
    }

    /**
     * The producer settings: throughput-minded defaults, the caller's settings over them, and
     * {@code acks=all} plus idempotence on top (they are what makes a retried send safe).
     */
    public static Map<String, Object> producerSettings(Map<String, ?> kafka, String source) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
        // CloudTrail JSON compresses several times over: the broker writes, replicates and serves a fraction of
        // the bytes, and on a shared machine the replay ran 25-30 % faster (BENCHMARKS.md)
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "kmswatch-ingest-" + source);
        p.putAll(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return p;
    }

    private static int maxRequestSize(Map<String, ?> kafka) {
        Object v = kafka.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        return v == null ? 1024 * 1024 : Integer.parseInt(v.toString());
    }

    public IngestMetrics metrics() {
        return metrics;
    }

    /**
     * Counts one record read and sends it if the filter keeps it.
     *
     * @param location where the record came from, used if it must be rejected for size
     * @param onAck    runs when Kafka acknowledged what was sent (not run for skipped records); may be null
     * @return true when sent (to {@code kms-events}, or to {@code kms-events-rejected} when too large for
     *         Kafka), so {@code onAck} will run; false when skipped by the filter
     * @throws IngestException when an earlier send failed or the producer refuses the record
     */
    public boolean publish(CloudTrailEvent event, String location, Runnable onAck) {
        checkHealthy();
        metrics.recordIn();
        if (!EventFilter.keep(event, allEvents)) {
            metrics.recordFiltered();
            return false;
        }
        if (event.rawLength() > maxRecordBytes) {
            reject(new Rejected(location, "record of " + event.rawLength() + " bytes exceeds the producer's"
                    + " max.request.size", event.unsafeRawBytes()), onAck);
            return true;
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader(Topics.HEADER_SOURCE, sourceHeader));
        headers.add(new RecordHeader(Topics.HEADER_EVENT_ID, event.eventId().getBytes(StandardCharsets.UTF_8)));
        long ahead = event.eventTime().toEpochMilli() - System.currentTimeMillis();
        if (ahead > FUTURE_TOLERANCE.toMillis()) {
            flagFuture(event, location, ahead, headers);
        }
        String topic = topics.kmsEvents().name();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null,
                event.eventTime().toEpochMilli(), event.partitionKey(), event.unsafeRawBytes(), headers);
        // the callback keeps only the time and the bytes the record holds anyway, not the event: a record
        // waiting for its ack should not hold its parsed copy on the heap
        long eventMillis = event.eventTime().toEpochMilli();
        sendEvent(record, eventMillis, location, event.unsafeRawBytes(), onAck, 1);
        return true;
    }

    /** How often a record is sent again after it was refused only for a neighbour in its batch. */
    private static final int BATCH_RESENDS = 5;

    private void sendEvent(ProducerRecord<String, byte[]> record, long eventMillis, String location, byte[] raw,
                           Runnable onAck, int attempt) {
        String topic = record.topic();
        try {
            producer.send(record, (meta, e) -> {
                if (e instanceof InvalidTimestampException) {
                    followUp(() -> refusedTimestamp(topic, eventMillis, e, location, raw, onAck));
                } else if (refusedForItsBatch(e) && attempt < BATCH_RESENDS && failure == null) {
                    // the broker refused the whole batch for another record in it (which got its own error):
                    // this one is fine, and the producer does not retry it by itself
                    followUp(() -> sendEvent(record, eventMillis, location, raw, onAck, attempt + 1));
                } else if (e != null) {
                    fail(topic, e);
                } else {
                    metrics.recordProduced(eventMillis);
                    if (onAck != null) {
                        onAck.run();
                    }
                }
            });
        } catch (KafkaException | IllegalStateException e) {
            fail(topic, e);
            checkHealthy();
        }
    }

    private void followUp(Runnable send) {
        pendingFollowUps.incrementAndGet();
        try {
            followUps.execute(() -> {
                try {
                    send.run();
                } catch (RuntimeException e) {
                    fail("kafka", e);
                } finally {
                    pendingFollowUps.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pendingFollowUps.decrementAndGet();
            fail("kafka", e);
        }
    }

    /** The producer's error for a valid record whose batch the broker refused because of another record. */
    private static boolean refusedForItsBatch(Exception e) {
        return e != null && e.getClass() == KafkaException.class && e.getMessage() != null
                && e.getMessage().contains("part of a batch which had one");
    }

    /**
     * The broker refused a record's eventTime as its timestamp: a topic made outside kmswatch keeps the broker's
     * limits ({@code message.timestamp.after.max.ms} is one hour from Kafka 4.0 on), which a record from the
     * future or a replayed trail of a fast emulator clock can break. That is one bad record, not a broken
     * pipeline: it goes to {@code kms-events-rejected} with the reason, and the source goes on.
     */
    private void refusedTimestamp(String topic, long eventMillis, Exception e, String location, byte[] raw,
                                  Runnable onAck) {
        if (failure != null) {
            return;
        }
        try {
            reject(new Rejected(location, "topic " + topic + " refuses eventTime " + Instant.ofEpochMilli(eventMillis)
                    + " as the record timestamp (" + e.getMessage() + "); set message.timestamp.before.max.ms and"
                    + " message.timestamp.after.max.ms on the topic to accept it", raw), onAck);
        } catch (RuntimeException again) {
            fail(topic, again);
        }
    }

    private void flagFuture(CloudTrailEvent event, String location, long aheadMillis, RecordHeaders headers) {
        metrics.recordFuture();
        headers.add(new RecordHeader(Topics.HEADER_FUTURE,
                Long.toString(aheadMillis / 1000).getBytes(StandardCharsets.US_ASCII)));
        if (!futureLogged) {
            // once per source: a trail made on the emulator's fast clock is all in the future
            futureLogged = true;
            LOG.warn("ingest source {}: record {} at {} has eventTime {}, {} s ahead of this clock; sent with header"
                    + " '{}' (further ones are counted in kmswatch.ingest.records.future)", metrics.source(),
                    event.eventId(), location, event.eventTime(), aheadMillis / 1000, Topics.HEADER_FUTURE);
        }
    }

    /**
     * Sends input that could not be read to {@code kms-events-rejected} with its reason.
     *
     * @throws IngestException when an earlier send failed
     */
    public void reject(Rejected rejected, Runnable onAck) {
        checkHealthy();
        metrics.recordRejected(rejected.reasonCategory());
        LOG.debug("rejected {}", rejected);
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader(Topics.HEADER_REASON, rejected.reason().getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader(Topics.HEADER_SOURCE, sourceHeader));
        send(new ProducerRecord<>(topics.kmsEventsRejected().name(), null, null, rejected.location(), rejected.raw(),
                headers), onAck);
    }

    /**
     * Sends a checkpoint (a null value deletes it). Callers flush the records the checkpoint covers
     * first, or know them acknowledged.
     *
     * @throws IngestException when an earlier send failed
     */
    public void saveCheckpoint(String key, byte[] value) {
        checkHealthy();
        send(new ProducerRecord<>(checkpointTopic, key, value), metrics::recordCheckpoint);
    }

    private void send(ProducerRecord<String, byte[]> record, Runnable onAck) {
        try {
            producer.send(record, (meta, e) -> {
                if (e != null) {
                    fail(record.topic(), e);
                } else if (onAck != null) {
                    onAck.run();
                }
            });
        } catch (KafkaException | IllegalStateException e) {
            fail(record.topic(), e);
            checkHealthy();
        }
    }

    private void fail(String topic, Exception e) {
        if (failure == null) {
            failureTopic = topic;
            failure = e;
            LOG.error("ingest source {}: a send to {} failed after retries; the source stops: {}",
                    metrics.source(), topic, e.toString());
        }
    }

    /** True until a send failed. */
    public boolean healthy() {
        return failure == null;
    }

    /**
     * @throws IngestException when a send failed, naming the topic and cause
     */
    public void checkHealthy() {
        Exception e = failure;
        if (e != null) {
            String hint = e instanceof InvalidTimestampException
                    ? " (the topic refuses the record's eventTime as timestamp: set message.timestamp.before.max.ms"
                    + " and message.timestamp.after.max.ms on it)" : "";
            throw new IngestException("ingest source " + metrics.source() + " stopped: a send to " + failureTopic
                    + " failed after the producer's retries: " + e + hint, e);
        }
    }

    /**
     * Waits until every record sent so far is acknowledged.
     *
     * @throws IngestException when any of them failed
     */
    public void flush() {
        checkHealthy();
        try {
            producer.flush();
            // follow-up sends made by callbacks of what was just flushed, and theirs
            while (pendingFollowUps.get() > 0 && failure == null) {
                Thread.sleep(5);
                producer.flush();
            }
        } catch (KafkaException e) {
            fail("kafka", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestException("interrupted while flushing ingest source " + metrics.source(), e);
        }
        checkHealthy();
    }

    /** Closes without waiting for pending sends (they fail): what a crash looks like to Kafka. */
    public void abort() {
        followUps.shutdownNow();
        producer.close(Duration.ZERO);
    }

    /** Flushes what is pending (bounded wait) and closes the producer. */
    @Override
    public void close() {
        followUps.shutdown();
        try {
            followUps.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(30));
    }
}
