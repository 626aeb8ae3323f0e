package io.kmswatch.app.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The YAML configuration a fault test hands to each {@code kmswatch} process. */
final class ProcessConfig {
    /**
     * Client settings every process gets: a member that dies is noticed after 6 s (the broker's
     * minimum) instead of 45 s, so a killed process's partitions move within the test's time.
     */
    static final Map<String, String> FAST_FAILOVER = Map.of(
            "session.timeout.ms", "6000",
            "heartbeat.interval.ms", "1000");

    private ProcessConfig() {
    }

    /**
     * Writes {@code <dir>/<name>.yaml} with its own work directory {@code <dir>/<name>} (Streams state),
     * four partitions, no replication factor (the pipeline picks it), no /metrics endpoint.
     *
     * @param sources a {@code sources:} section, or an empty string
     * @param kafka   client settings added to {@link #FAST_FAILOVER}
     */
    static Path write(Path dir, String name, String bootstrap, String prefix, String sources, Map<String, String> kafka) {
        Map<String, String> properties = new LinkedHashMap<>(FAST_FAILOVER);
        properties.putAll(kafka);
        String yaml = "workDir: " + quote(dir.resolve(name).toString()) + "\n"
                + "kafka:\n"
                + "  bootstrapServers: " + quote(bootstrap) + "\n"
                + "  topicPrefix: " + quote(prefix) + "\n"
                + "  partitions: 4\n"
                + "  properties: {" + properties.entrySet().stream()
                        .map(e -> quote(e.getKey()) + ": " + quote(e.getValue())).collect(Collectors.joining(", ")) + "}\n"
                + sources
                + "metrics: {port: -1}\n";
        Path file = dir.resolve(name + ".yaml");
        try {
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
