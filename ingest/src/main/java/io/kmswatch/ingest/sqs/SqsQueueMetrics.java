package io.kmswatch.ingest.sqs;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One queue's meters, tagged {@code queue} (the queue name):
 * <ul>
 *   <li>{@code kmswatch.ingest.sqs.messages.received}, {@code .deleted}, {@code .rejected} (could not be
 *       read: kept in {@code kms-events-rejected}, then deleted), {@code .ignored} (no events by design:
 *       S3 test events, subscription confirmations);</li>
 *   <li>{@code kmswatch.ingest.sqs.objects.read} and {@code .objects.skipped} (digests, non-create events);</li>
 *   <li>{@code kmswatch.ingest.sqs.records.produced}: records acknowledged by Kafka;</li>
 *   <li>{@code kmswatch.ingest.sqs.receive.errors}, {@code kmswatch.ingest.sqs.visibility.extensions};</li>
 *   <li>{@code kmswatch.ingest.sqs.oldest.message.age.seconds}: how long the oldest message of the latest
 *       receive waited in the queue (now − its {@code SentTimestamp} when it was received; SQS's own
 *       {@code ApproximateAgeOfOldestMessage} is a CloudWatch metric, not a queue attribute);</li>
 *   <li>{@code kmswatch.ingest.sqs.messages.visible} and {@code .messages.in.flight} (GetQueueAttributes
 *       {@code ApproximateNumberOfMessages}, {@code ApproximateNumberOfMessagesNotVisible});</li>
 *   <li>{@code kmswatch.ingest.sqs.lag.seconds}: now − the newest eventTime acknowledged from the queue.</li>
 * </ul>
 */
public final class SqsQueueMetrics implements MeterBinder {
    private final String queue;
    final LongAdder received = new LongAdder();
    final LongAdder deleted = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder ignored = new LongAdder();
    final LongAdder objectsRead = new LongAdder();
    final LongAdder objectsSkipped = new LongAdder();
    final LongAdder produced = new LongAdder();
    final LongAdder receiveErrors = new LongAdder();
    final LongAdder extensions = new LongAdder();
    private final AtomicLong oldestAgeMillis = new AtomicLong(-1);
    private final AtomicLong visible = new AtomicLong(-1);
    private final AtomicLong notVisible = new AtomicLong(-1);
    private final AtomicLong newestEventMillis = new AtomicLong(Long.MIN_VALUE);

    public SqsQueueMetrics(String queue) {
        this.queue = queue;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags tags = Tags.of("queue", queue);
        counter(registry, "kmswatch.ingest.sqs.messages.received", received, "Messages received", tags);
        counter(registry, "kmswatch.ingest.sqs.messages.deleted", deleted,
                "Messages deleted after everything they produced was acknowledged by Kafka", tags);
        counter(registry, "kmswatch.ingest.sqs.messages.rejected", rejected,
                "Messages that could not be read (kept in kms-events-rejected with the reason)", tags);
        counter(registry, "kmswatch.ingest.sqs.messages.ignored", ignored,
                "Messages that carry no events by design (S3 test events, SNS subscription confirmations)", tags);
        counter(registry, "kmswatch.ingest.sqs.objects.read", objectsRead, "S3 objects read for notifications", tags);
        counter(registry, "kmswatch.ingest.sqs.objects.skipped", objectsSkipped,
                "Announced S3 objects passed over (digest files, events other than ObjectCreated)", tags);
        counter(registry, "kmswatch.ingest.sqs.records.produced", produced,
                "CloudTrail records from the queue acknowledged by Kafka", tags);
        counter(registry, "kmswatch.ingest.sqs.receive.errors", receiveErrors, "ReceiveMessage calls that failed", tags);
        counter(registry, "kmswatch.ingest.sqs.visibility.extensions", extensions,
                "Visibility timeouts extended for messages still being read", tags);
        Gauge.builder("kmswatch.ingest.sqs.oldest.message.age.seconds", oldestAgeMillis, v -> orNaN(v) / 1000.0)
                .description("How long the oldest message of the latest receive waited in the queue").baseUnit("seconds")
                .tags(tags).register(registry);
        Gauge.builder("kmswatch.ingest.sqs.messages.visible", visible, SqsQueueMetrics::orNaN)
                .description("ApproximateNumberOfMessages of the queue").tags(tags).register(registry);
        Gauge.builder("kmswatch.ingest.sqs.messages.in.flight", notVisible, SqsQueueMetrics::orNaN)
                .description("ApproximateNumberOfMessagesNotVisible of the queue").tags(tags).register(registry);
        Gauge.builder("kmswatch.ingest.sqs.lag.seconds", this, SqsQueueMetrics::lagSeconds).baseUnit("seconds")
                .description("Now minus the newest eventTime from this queue acknowledged by Kafka").tags(tags)
                .register(registry);
    }

    private static void counter(MeterRegistry r, String name, LongAdder a, String description, Tags tags) {
        FunctionCounter.builder(name, a, LongAdder::doubleValue).description(description).tags(tags).register(r);
    }

    private static double orNaN(AtomicLong v) {
        long x = v.get();
        return x < 0 ? Double.NaN : x;
    }

    private double lagSeconds() {
        long newest = newestEventMillis.get();
        if (newest == Long.MIN_VALUE) {
            return Double.NaN;
        }
        return Math.max(0, System.currentTimeMillis() - newest) / 1000.0;
    }

    void queueStats(long visibleMessages, long notVisibleMessages) {
        visible.set(visibleMessages);
        notVisible.set(notVisibleMessages);
    }

    void oldestReceived(long sentMillis) {
        if (sentMillis != Long.MAX_VALUE) {
            oldestAgeMillis.set(Math.max(0, System.currentTimeMillis() - sentMillis));
        }
    }

    /** Age of the oldest message of the latest receive, in ms; -1 before any. */
    public long oldestMessageAgeMillis() {
        return oldestAgeMillis.get();
    }

    void eventAcked(long eventMillis) {
        newestEventMillis.accumulateAndGet(eventMillis, Math::max);
    }

    public long received() {
        return received.sum();
    }

    public long deleted() {
        return deleted.sum();
    }

    public long rejected() {
        return rejected.sum();
    }

    public long ignored() {
        return ignored.sum();
    }

    public long produced() {
        return produced.sum();
    }

    public long receiveErrors() {
        return receiveErrors.sum();
    }

    public long extensions() {
        return extensions.sum();
    }
}
