package io.kmswatch.alerts;

import io.kmswatch.events.UndeliverableAlert;
import io.kmswatch.events.Topic;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link UndeliverableAlert}s to {@code kms-alerts-undeliverable}, keyed by alert id,
 * without waiting. Once the broker has acknowledged one, it counts it
 * ({@code kmswatch.alerts.undeliverable}) and runs the callback that settles the alert on that
 * sink. A write the broker refuses (or that cannot be buffered) is tried again after
 * {@link DeliveryConfig#backoff} of its attempt, for as long as the publisher runs; after
 * {@link #stop} nothing more is written, so an unsettled alert is delivered again by the next
 * process. Thread-safe.
 */
final class DeadLetterPublisher implements DeadLetters, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final Producer<String, UndeliverableAlert> producer;
    private final String topic;
    private final DeliveryConfig delivery;
    private final AlertsMetrics metrics;
    private final DeliveryScheduler retries;
    private final DoubleSupplier random;
    private volatile boolean stopped;

    /**
     * @param producer owned: closed by {@link #close}
     * @param retries  where another try of a refused write waits; owned
     * @param random   values in [0, 1) for the backoff's jitter
     */
    DeadLetterPublisher(Producer<String, UndeliverableAlert> producer, String topic, DeliveryConfig delivery,
                        AlertsMetrics metrics, DeliveryScheduler retries, DoubleSupplier random) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.retries = Objects.requireNonNull(retries, "retries");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * A publisher with its own idempotent producer ({@code acks=all}, client id
     * {@code <delivery group>-dead-letter}) writing to the settings' {@code kms-alerts-undeliverable},
     * and its own retry thread.
     */
    static DeadLetterPublisher create(AlertsAppSettings settings, DeliveryConfig delivery, AlertsMetrics metrics,
                                      DoubleSupplier random) {
        Map<String, Object> p = new LinkedHashMap<>(settings.kafka());
        p.put("bootstrap.servers", settings.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, settings.deliveryGroupId() + "-dead-letter");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        Topic<String, UndeliverableAlert> topic = settings.topics().kmsAlertsUndeliverable();
        return new DeadLetterPublisher(new KafkaProducer<>(p, new StringSerializer(), topic.valueSerde().serializer()),
                topic.name(), delivery, metrics, DeliveryScheduler.singleThread("kmswatch-alerts-dead-letter-retry"),
                random);
    }

    /** After {@link #stop}, does nothing. */
    @Override
    public void publish(UndeliverableAlert dead, Runnable written) {
        send(dead, written, 1);
    }

    private void send(UndeliverableAlert dead, Runnable written, int attempt) {
        if (stopped) {
            return;
        }
        try {
            producer.send(new ProducerRecord<>(topic, dead.alert().id(), dead), (md, e) -> {
                if (e == null) {
                    metrics.undeliverable(dead.sink());
                    written.run();
                } else {
                    retry(dead, written, attempt, e);
                }
            });
        } catch (RuntimeException e) {
            // Buffer full for max.block.ms, or the producer closing: try again later like a refused write.
            retry(dead, written, attempt, e);
        }
    }

    private void retry(UndeliverableAlert dead, Runnable written, int attempt, Exception e) {
        if (stopped) {
            return;
        }
        Duration wait = delivery.backoff(attempt, random.getAsDouble());
        LOG.warn("Writing alert {} for sink {} to {} failed (attempt {}), retrying in {} ms: {}", dead.alert().id(),
                dead.sink(), topic, attempt, wait.toMillis(), e.toString());
        retries.schedule(() -> send(dead, written, attempt + 1), wait);
    }

    @Override
    public String topic() {
        return topic;
    }

    /** Writes nothing more, and drops the writes waiting to be tried again. */
    void stop() {
        stopped = true;
        retries.shutdown();
    }

    /** Stops, then closes the producer (waiting up to 5 s for what it has buffered). */
    @Override
    public void close() {
        stop();
        producer.close(Duration.ofSeconds(5));
    }
}
