package io.kmswatch.app;

import io.kmswatch.events.ControlRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Option;

/**
 * At the end of a finite input, advances stream time so windows close and timers fire, as they would
 * have in a live pipeline that kept running: one settle tick ({@link ControlRecords#settleTick}) per
 * {@code kms-events} partition, at the last event time plus the horizon.
 */
final class Settle {
    @Option(names = "--settle", defaultValue = "31d", converter = DurationConverter.class,
            description = "After the input, advance stream time by this much so windows and timers settle "
                    + "(default ${DEFAULT-VALUE}: every deletion window; 0 turns it off).")
    Duration horizon;

    /** Sends the ticks; does nothing for an empty input or a zero horizon. */
    void advance(Pipeline pipeline, Instant lastEventTime) throws Exception {
        advance(pipeline, lastEventTime, horizon);
    }

    /** Sends ticks at {@code lastEventTime + horizon}; nothing for an empty input or a zero horizon. */
    static void advance(Pipeline pipeline, Instant lastEventTime, Duration horizon) throws Exception {
        if (lastEventTime == null || horizon.isZero() || horizon.isNegative()) {
            return;
        }
        String topic = pipeline.topics().kmsEvents().name();
        int partitions;
        try (Admin admin = Admin.create(pipeline.kafkaClientProperties())) {
            partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        }
        Map<String, Object> props = new HashMap<>(pipeline.kafkaClientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        Instant at = lastEventTime.plus(horizon);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int p = 0; p < partitions; p++) {
                producer.send(ControlRecords.settleTick(topic, p, at)).get();
            }
        }
    }
}
