package io.kmswatch.bench;

import io.kmswatch.streams.DetectApp;
import io.kmswatch.streams.DetectionsConfig;
import io.kmswatch.streams.StreamsMetrics;
import io.kmswatch.streams.StreamsSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;

/**
 * The detect process of the memory benchmark (a child JVM so its RSS is its own): runs the detections with
 * the defaults of {@code kmswatch detect} and prints {@code processed <n>} once a second; for each line read
 * on stdin it collects garbage and prints {@code heap <bytes used>} (the live heap, which RSS does not show).
 * Arguments: bootstrap servers, topic prefix, state directory, and optionally the application id (default
 * {@code bench-memory}) and the milliseconds between {@code processed} lines (default 1000).
 */
public final class DetectStateChild {
    private DetectStateChild() {
    }

    public static void main(String[] args) throws Exception {
        StreamsSettings s = StreamsSettings.of(args[0]).withTopicPrefix(args[1]).withApplicationId(args.length > 3 ? args[3] : "bench-memory")
                .withStateDir(Path.of(args[2]));
        StreamsMetrics metrics = new StreamsMetrics();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        long every = args.length > 4 ? Long.parseLong(args[4]) : 1000;
        try (DetectApp app = new DetectApp(s, DetectionsConfig.defaultConfig(), metrics)) {
            app.start();
            if (!app.awaitRunning(java.time.Duration.ofSeconds(90))) {
                System.err.println("detect did not reach RUNNING: " + app.state());
                System.exit(2);
            }
            Thread gc = new Thread(() -> {
                try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                        java.nio.charset.StandardCharsets.UTF_8))) {
                    while (in.readLine() != null) {
                        System.gc();
                        Runtime rt = Runtime.getRuntime();
                        System.out.println("heap " + (rt.totalMemory() - rt.freeMemory()));
                        System.out.flush();
                    }
                } catch (java.io.IOException e) {
                    // the parent closed our stdin: nothing more to answer
                }
            }, "bench-gc-on-request");
            gc.setDaemon(true);
            gc.start();
            while (true) {
                System.out.println("processed " + (long) DetectBenchmark.processed(List.of(registry)));
                System.out.flush();
                Thread.sleep(every);
            }
        }
    }
}
