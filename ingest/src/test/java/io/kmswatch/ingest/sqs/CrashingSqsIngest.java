package io.kmswatch.ingest.sqs;

import io.kmswatch.ingest.IngestConfig;
import io.kmswatch.ingest.IngestService;
import io.kmswatch.ingest.SourcesConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;

/**
 * An SQS ingest that crashes: run in a child JVM by {@link SqsSourceIT}, it reads a queue and halts
 * the JVM (no shutdown hooks, no flush, no delete: what {@code kill -9} does) once Kafka has
 * acknowledged {@code haltAfter} records, in the middle of a batch.
 *
 * <p>Arguments: bootstrap servers, topic prefix, queue URL, haltAfter.
 */
final class CrashingSqsIngest {
    static final int HALT_STATUS = 137;

    private CrashingSqsIngest() {
    }

    public static void main(String[] args) {
        long haltAfter = Long.parseLong(args[3]);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Thread watcher = new Thread(() -> {
            while (true) {
                FunctionCounter produced = registry.find("kmswatch.ingest.sqs.records.produced").functionCounter();
                if (produced != null && produced.count() >= haltAfter) {
                    Runtime.getRuntime().halt(HALT_STATUS);
                }
                Thread.onSpinWait();
            }
        }, "crash");
        watcher.setDaemon(true);
        watcher.start();
        SqsConfig sqs = SqsConfig.of(args[2]).withWaitTime(Duration.ofSeconds(1))
                .withVisibilityTimeout(Duration.ofSeconds(2));
        IngestConfig config = new IngestConfig(args[1], null, null, 2, null, Map.of("bootstrap.servers", args[0]),
                SourcesConfig.sqs(sqs));
        try (IngestService service = IngestService.start(config, Map.of(), registry)) {
            service.awaitTermination(Duration.ofMinutes(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.exit(0);
    }
}
