package io.kmswatch.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

    @Test
    void shouldDescribeATemporarySingleNodeOnFreeLoopbackPortsByDefault() {
        BrokerConfig config = BrokerConfig.defaultConfig();

        assertThat(config.dataDirectory()).isEmpty();
        assertThat(config.host()).isEqualTo("localhost");
        assertThat(config.port()).isZero();
        assertThat(config.controllerPort()).isZero();
        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(config.controllerQuorumVoters()).isNull();
        assertThat(config.brokerProperties()).isEmpty();
    }

    @Test
    void shouldRejectOutOfRangePortsAndNodeIds() {
        assertThatThrownBy(() -> BrokerConfig.builder().port(65536).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> BrokerConfig.builder().port(9092).controllerPort(9092).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("differ");
        assertThatThrownBy(() -> BrokerConfig.builder().nodeId(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodeId");
        assertThatThrownBy(() -> BrokerConfig.builder().host(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
    }

    @Test
    void shouldLetExtraPropertiesOverrideTheReplaySafeDefaults() {
        BrokerConfig config = BrokerConfig.builder()
                .dataDir(Path.of("/tmp/kafka"))
                .port(19092)
                .controllerPort(19093)
                .brokerProperty("log.retention.ms", "86400000")
                .build();

        Map<String, String> properties = EmbeddedKafkaBroker.brokerProperties(config);

        assertThat(properties)
                .containsEntry("log.retention.ms", "86400000")
                .containsEntry("log.message.timestamp.before.max.ms", Long.toString(Long.MAX_VALUE))
                .containsEntry("log.message.timestamp.after.max.ms", Long.toString(Long.MAX_VALUE))
                .containsEntry("controller.quorum.voters", "1@localhost:19093")
                .containsEntry("listeners", "PLAINTEXT://localhost:19092,CONTROLLER://localhost:19093")
                .containsEntry("advertised.listeners", "PLAINTEXT://localhost:19092");
    }

    @Test
    void shouldChangeOneFieldThroughToBuilder() {
        BrokerConfig config = BrokerConfig.builder().port(19092).brokerProperty("a", "b").build();

        BrokerConfig changed = config.toBuilder().nodeId(7).build();

        assertThat(changed.nodeId()).isEqualTo(7);
        assertThat(changed.port()).isEqualTo(19092);
        assertThat(changed.brokerProperties()).isEqualTo(Map.of("a", "b"));
    }
}
