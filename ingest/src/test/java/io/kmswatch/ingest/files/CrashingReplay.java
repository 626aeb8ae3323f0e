package io.kmswatch.ingest.files;

import io.kmswatch.ingest.IngestConfig;
import io.kmswatch.ingest.IngestService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A replay that crashes: run in a child JVM by {@link LogFileCrashIT}, it replays a directory and
 * halts the JVM (no shutdown hooks, no flush: what {@code kill -9} does) once it has read
 * {@code haltAfter} records and at least one checkpoint is stored.
 *
 * <p>Arguments: bootstrap servers, topic prefix, directory, haltAfter.
 */
final class CrashingReplay {
    static final int HALT_STATUS = 137;

    private CrashingReplay() {
    }

    public static void main(String[] args) {
        String bootstrap = args[0];
        String prefix = args[1];
        Path dir = Path.of(args[2]);
        long haltAfter = Long.parseLong(args[3]);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Thread watcher = new Thread(() -> {
            while (true) {
                FunctionCounter in = registry.find("kmswatch.ingest.records.in").functionCounter();
                Gauge age = registry.find("kmswatch.ingest.checkpoint.age.seconds").gauge();
                if (in != null && in.count() >= haltAfter && age != null && !Double.isNaN(age.value())) {
                    Runtime.getRuntime().halt(HALT_STATUS);
                }
                Thread.onSpinWait();
            }
        }, "crash");
        watcher.setDaemon(true);
        watcher.start();
        IngestConfig config = new IngestConfig(prefix, null, null, 2, null, Map.of("bootstrap.servers", bootstrap),
                null);
        IngestService.replay(config, Map.of(), new FilesConfig(List.of(dir), false, null, false, Duration.ZERO, null),
                registry);
        System.exit(0);
    }
}
