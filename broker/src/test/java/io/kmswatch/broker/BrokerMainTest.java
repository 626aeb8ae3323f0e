package io.kmswatch.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrokerMainTest {

    @Test
    void shouldParseTheArgumentsItWritesBackIntoTheSameConfig() {
        BrokerConfig config = BrokerConfig.builder()
                .dataDir(Path.of("/var/lib/kmswatch/node-2").toAbsolutePath())
                .port(19092)
                .controllerPort(19093)
                .nodeId(2)
                .controllerQuorumVoters("1@localhost:19083,2@localhost:19093,3@localhost:19103")
                .clusterId("h8g_pyaLT6iMYv3EPc9dPw")
                .brokerProperty("min.insync.replicas", "2")
                .brokerProperty("log.retention.ms", "604800000")
                .build();

        assertThat(BrokerMain.parse(BrokerMain.arguments(config))).isEqualTo(config);
    }

    @Test
    void shouldKeepEqualsSignsInPropertyValues() {
        BrokerConfig config = BrokerMain.parse(List.of("--property", "sasl.jaas.config=a=b"));

        assertThat(config.brokerProperties()).containsEntry("sasl.jaas.config", "a=b");
    }

    @Test
    void shouldRejectUnknownOptionsMissingValuesAndBadNumbers() {
        assertThatThrownBy(() -> BrokerMain.parse(List.of("--bogus", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> BrokerMain.parse(List.of("--port")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing value for --port");
        assertThatThrownBy(() -> BrokerMain.parse(List.of("--node-id", "one")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--node-id needs a number");
        assertThatThrownBy(() -> BrokerMain.parse(List.of("--property", "novalue")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NAME=VALUE");
    }
}
