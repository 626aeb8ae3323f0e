package io.kmswatch.alerts.sink;

import io.kmswatch.alerts.AlertDeliveryException;
import io.kmswatch.events.Alert;
import io.kmswatch.events.JsonSerde;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Kafka: with no topic, a no-op (the alert is on {@code kms-alerts} already, which is the point of
 * the "kafka" sink); with a topic, produces the alert JSON there keyed by alert id (the key is the
 * idempotency key) and waits for the broker's acknowledgement.
 */
public final class KafkaSink implements AlertSink {
    private final String name;
    private final String topic;
    private final Producer<String, Alert> producer;
    private final Duration timeout;

    /**
     * @param topic    null for the no-op sink
     * @param producer null when {@code topic} is null; owned (closed) by this sink
     */
    public KafkaSink(String name, String topic, Producer<String, Alert> producer, Duration timeout) {
        this.name = name;
        this.topic = topic;
        this.producer = producer;
        this.timeout = timeout;
        if (topic != null && producer == null) {
            throw new IllegalArgumentException("kafka sink " + name + " needs a producer for topic " + topic);
        }
    }

    /** The value serde used for the extra topic. */
    public static JsonSerde<Alert> serde() {
        return new JsonSerde<>(Alert.class);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Alert alert) {
        if (topic == null) {
            return;
        }
        try {
            producer.send(new ProducerRecord<>(topic, alert.id(), alert)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new AlertDeliveryException(name + ": " + c.getMessage(), c instanceof RetriableException, c);
        } catch (TimeoutException e) {
            throw new AlertDeliveryException(name + ": no acknowledgement within " + timeout, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlertDeliveryException(name + ": interrupted", true, e);
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
