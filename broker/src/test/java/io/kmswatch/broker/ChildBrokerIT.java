package io.kmswatch.broker;

import static io.kmswatch.broker.KafkaTestClients.produce;
import static io.kmswatch.broker.KafkaTestClients.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("system")
class ChildBrokerIT {

    @Test
    void shouldComeBackWithItsDataAfterKillDashNine() throws Exception {
        long eventTime = Instant.parse("2014-11-12T10:15:30Z").toEpochMilli();
        ChildBroker child = ChildBroker.start(BrokerConfig.defaultConfig());
        Path dataDir = child.dataDir();
        String bootstrap = child.bootstrapServers();
        try {
            child.createTopics(1, "kms-events");
            produce(bootstrap, List.of(new ProducerRecord<>("kms-events", null, eventTime, "key", "acknowledged")));

            child.kill();
            assertThat(child.isAlive()).isFalse();
            assertThat(child.exitCode()).hasValue(137);

            child = child.restart();
            assertThat(child.bootstrapServers()).isEqualTo(bootstrap);
            List<ConsumerRecord<String, String>> records = readAll(child.bootstrapServers(), "kms-events", 1);
            assertThat(records).extracting(ConsumerRecord::value, ConsumerRecord::timestamp)
                    .containsExactly(tuple("acknowledged", eventTime));

            child.stop();
            assertThat(child.exitCode()).hasValue(0);
        } finally {
            child.close();
        }
        assertThat(dataDir).doesNotExist();
    }
}
