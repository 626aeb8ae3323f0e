package io.kmswatch.app;

import io.kmswatch.alerts.AlertsConfig;
import io.kmswatch.alerts.SinkSpec;
import io.kmswatch.alerts.sink.ConsoleSink;
import io.kmswatch.app.report.ReplayReport;
import io.kmswatch.app.report.ReplayStats;
import io.kmswatch.events.Alert;
import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Json;
import io.kmswatch.events.Rejected;
import io.kmswatch.ingest.IngestService;
import io.kmswatch.ingest.IngestSummary;
import io.kmswatch.ingest.files.FilesConfig;
import io.kmswatch.ingest.files.LogFiles;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kmswatch replay PATH…}: incident logs through the real pipeline on an embedded broker, as
 * fast as it goes; then the alerts on the console, as JSONL, and in a self-contained HTML report.
 * Exit 0 when the replay completed (whatever it found), 1 when the input could not be read at all.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Replay CloudTrail logs (any wrapper, directories, gzip) through ingest, detections and alerts",
            "on an embedded broker, then print the alerts and write them as JSONL and an HTML incident report."})
final class ReplayCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "CloudTrail files or directories.")
    List<Path> paths;

    @Option(names = "--alerts-out", paramLabel = "FILE", description = "Write the alerts here, one Alert JSON per line.")
    Path alertsOut;

    @Option(names = "--report", paramLabel = "FILE.html", description = "Write a self-contained HTML incident report here.")
    Path report;

    @Option(names = "--config", paramLabel = "FILE", description = "Detections and alerts settings (the run config file); Kafka settings are ignored.")
    Path config;

    @Option(names = "--sink", paramLabel = "TYPE=TARGET", description = "Also deliver the alerts here (repeatable).")
    List<String> sinks = List.of();

    @Option(names = "--quiet", description = "Do not print the alerts on the console.")
    boolean quiet;

    @Option(names = "--timeout", defaultValue = "30m", converter = DurationConverter.class,
            description = "Give up when the pipeline has not finished within this long (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    Settle settle;

    @Mixin
    RulesOptions rules;

    @Override
    public Integer call() throws Exception {
        for (Path p : paths) {
            if (!Files.exists(p)) {
                System.err.println("kmswatch replay: no such file or directory: " + p);
                return 1;
            }
        }
        ReplayStats stats = new ReplayStats();
        CloudTrailCodec codec = new CloudTrailCodec();
        CloudTrailCodec.Sink sink = new CloudTrailCodec.Sink() {
            @Override
            public void record(CloudTrailEvent event, String location) {
                stats.add(event);
            }

            @Override
            public void rejected(Rejected r) {
                stats.rejected();
            }
        };
        paths.forEach(p -> LogFiles.read(codec, p, sink));
        if (stats.kmsRecords() + stats.otherRecords() == 0) {
            System.err.println("kmswatch replay: nothing could be read from " + paths + " (" + stats.rejectedCount()
                    + " inputs rejected; `kmswatch parse` shows why)");
            return 1;
        }

        KmswatchConfig base = config == null ? KmswatchConfig.defaults() : ConfigFiles.load(config, KmswatchConfig.class);
        ScratchDir scratch = ScratchDir.create("kmswatch-replay-");
        Path work = scratch.path();
        KmswatchConfig replayConfig = new KmswatchConfig(work, new KmswatchConfig.Kafka(null, work.resolve("broker"),
                base.kafka().topicPrefix(), base.kafka().partitions(), null, Map.of()), base.sources(), rules.apply(base.detections()),
                base.alerts(), base.streams(), new KmswatchConfig.Metrics(-1, null));
        AlertsConfig alertsConfig = base.alerts().withShortcutSinks(sinks.stream().map(SinkSpec::parse).toList());
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Alert> alerts;
        IngestSummary summary;
        try (Lifecycle life = new Lifecycle()) {
            life.manage(scratch);
            MetricsEndpoint metrics = life.manage(MetricsEndpoint.start("127.0.0.1", -1));
            Pipeline pipeline = life.manage(Pipeline.connect(replayConfig, metrics));
            pipeline.startDetect("kmswatch-replay-detect");
            pipeline.startAlerts("kmswatch-replay-alerts", alertsConfig);
            summary = IngestService.replay(pipeline.ingestConfig(replayConfig.sources()), pipeline.kafkaClientProperties(),
                    new FilesConfig(paths, false, null, System.console() != null, null, null), metrics.registry());
            settle.advance(pipeline, stats.last());
            try (Admin admin = Admin.create(pipeline.kafkaClientProperties())) {
                // The delivery loop is not awaited here: closing the alerts stage settles what it polled.
                new Quiescence(admin).await(List.of(
                        new Quiescence.Stage("kmswatch-replay-detect", pipeline.topics().kmsEvents().name()),
                        new Quiescence.Stage("kmswatch-replay-alerts", pipeline.topics().kmsDetections().name())),
                        Duration.ofSeconds(2), timeout);
            }
            alerts = readAlerts(pipeline, run);
        }
        if (!quiet) {
            for (Alert a : alerts) {
                System.out.println(ConsoleSink.format(a, System.console() != null));
            }
        }
        System.err.printf("kmswatch replay: %d records (%d KMS), %d rejected inputs → %d alerts%n",
                stats.kmsRecords() + stats.otherRecords(), stats.kmsRecords(), stats.rejectedCount(), alerts.size());
        if (alertsOut != null) {
            try (BufferedWriter w = Files.newBufferedWriter(alertsOut, StandardCharsets.UTF_8)) {
                for (Alert a : alerts) {
                    w.write(Json.MAPPER.writeValueAsString(a));
                    w.write('\n');
                }
            }
            System.err.println("  alerts:  " + alertsOut);
        }
        if (report != null) {
            new ReplayReport(stats, alerts, paths.stream().map(Path::toString).toList()).write(report);
            System.err.println("  report:  " + report);
        }
        return summary == null ? 1 : 0;
    }

    /** Every alert on kms-alerts, the latest update of each, in order of first evidence. */
    private static List<Alert> readAlerts(Pipeline pipeline, String run) {
        Map<String, Object> props = new java.util.HashMap<>(pipeline.kafkaClientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "kmswatch-replay-reader-" + run);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Alert> latest = new LinkedHashMap<>();
        var topic = pipeline.topics().kmsAlerts();
        try (KafkaConsumer<String, Alert> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            int idle = 0;
            while (idle < 5) {
                var records = consumer.poll(Duration.ofMillis(400));
                if (records.isEmpty() && !consumer.assignment().isEmpty()) {
                    idle++;
                }
                for (ConsumerRecord<String, Alert> r : records) {
                    if (r.value() != null) {
                        latest.put(r.value().id(), r.value());
                    }
                }
            }
        }
        List<Alert> out = new ArrayList<>(latest.values());
        out.sort(Comparator.comparing(Alert::firstEventTime).thenComparing(Alert::detection).thenComparing(Alert::id));
        return out;
    }
}
