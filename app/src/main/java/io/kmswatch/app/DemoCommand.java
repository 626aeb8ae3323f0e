package io.kmswatch.app;

import io.kmswatch.alerts.AlertsConfig;
import io.kmswatch.alerts.SinkSpec;
import io.kmswatch.emulator.EmulatorConfig;
import io.kmswatch.emulator.KmsEmulator;
import io.kmswatch.emulator.delivery.EventBridgeQueueDelivery;
import io.kmswatch.emulator.traffic.TrafficConfig;
import io.kmswatch.emulator.traffic.TrafficGenerator;
import io.kmswatch.emulator.traffic.TrafficProfile;
import io.kmswatch.emulator.traffic.TrafficWorld;
import io.kmswatch.emulator.traffic.TrafficProfile.Workload;
import io.kmswatch.events.ScenarioLabel;
import io.kmswatch.ingest.SourcesConfig;
import io.kmswatch.ingest.sqs.SqsConfig;
import io.kmswatch.ingest.inventory.InventoryConfig;
import io.kmswatch.ingest.inventory.InventoryService;
import io.kmswatch.ingest.inventory.KmsInventory;
import io.kmswatch.ingest.lookup.LookupAccountConfig;
import io.kmswatch.ingest.lookup.LookupConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kmswatch demo}: everything in one process with no configuration — embedded broker, KMS
 * emulator, traffic with an incident every half minute or so, the emulator feed, detections, the
 * alert manager with the console sink, and {@code /metrics}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run the whole pipeline on a simulated organisation: embedded Kafka, the KMS emulator,",
            "realistic traffic with labelled incidents, detections and alerts on the console, /metrics."})
final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--duration", description = "Stop after this long (e.g. 90s, 10m); default: until Ctrl-C.",
            converter = DurationConverter.class)
    Duration duration;

    @Option(names = "--clock-speed", defaultValue = "60", description = "Emulator seconds per real second (default ${DEFAULT-VALUE}: an hour a minute).")
    double clockSpeed;

    @Option(names = "--incident-every", defaultValue = "30s", converter = DurationConverter.class,
            description = "Real time between injected incidents (default ${DEFAULT-VALUE}).")
    Duration incidentEvery;

    @Option(names = "--rate", defaultValue = "20", description = "Background KMS calls per real second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the simulated world (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scenarios", defaultValue = "all", split = ",", description = "Incident scenarios to inject: all, or names.")
    List<String> scenarios;

    @Option(names = "--metrics-port", defaultValue = "9464", description = "Port of /metrics (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int metricsPort;

    @Option(names = "--source", defaultValue = "feed", paramLabel = "feed|sqs",
            description = "How events reach kmswatch: feed (in process, default) or sqs (the emulator sends them to an"
                    + " SQS queue as an EventBridge rule does and the SQS source reads it; needs --sqs-endpoint).")
    String source;

    @Option(names = "--sqs-endpoint", paramLabel = "URL",
            description = "An SQS service for --source sqs, e.g. moto_server: http://127.0.0.1:5000 (a queue is created).")
    String sqsEndpoint;

    @Option(names = "--emulator-port", defaultValue = "4599", description = "Port of the KMS emulator (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int emulatorPort;

    @Option(names = "--labels", description = "Also write the scenario labels (JSONL) here.")
    Path labels;

    @Option(names = "--sink", paramLabel = "TYPE=TARGET",
            description = "Also deliver every alert here (repeatable): alertmanager=URL, webhook=URL, slack=URL, jsonl=FILE.")
    List<String> sinks = List.of();

    @Option(names = "--status-every", defaultValue = "10s", converter = DurationConverter.class,
            description = "How often to print the status line (default ${DEFAULT-VALUE}).")
    Duration statusEvery;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = {"Address the KMS emulator and /metrics listen on (default ${DEFAULT-VALUE}).",
                "Anything but a loopback address lets whoever reaches it use the emulator's keys, and is warned about."})
    String bind;

    /**
     * Leak tests only: the simulated organisation's plaintexts (data keys, Decrypt outputs, Encrypt inputs,
     * imported key material) in hex, one per line, so that a test can look for them in logs, records and
     * metrics. They protect nothing (the whole organisation is simulated), and nothing else ever writes them.
     */
    @Option(names = "--record-plaintexts", hidden = true)
    Path plaintextsFile;

    @Mixin
    RulesOptions rules;

    @Override
    public Integer call() throws Exception {
        KmswatchConfig defaults = KmswatchConfig.defaults();
        if (!"feed".equals(source) && !"sqs".equals(source)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--source must be feed or sqs, got '" + source + "'");
        }
        if ("sqs".equals(source) && sqsEndpoint == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--source sqs needs --sqs-endpoint URL (an SQS service such as moto_server: http://127.0.0.1:5000)");
        }
        ScratchDir scratch = ScratchDir.create("kmswatch-demo-");
        Path work = scratch.path();
        KmswatchConfig config = new KmswatchConfig(work, defaults.kafka(), defaults.sources(),
                rules.apply(SimulatedOrganisation.detections(TrafficProfile.defaults())),
                defaults.alerts(), defaults.streams(), new KmswatchConfig.Metrics(metricsPort, bind),
                InventoryConfig.defaults().withEnabled(true));
        AlertsConfig alerts = config.alerts().withShortcutSinks(sinks.stream().map(SinkSpec::parse).toList());
        Path labelFile = labels != null ? labels : work.resolve("labels.jsonl");
        TrafficConfig traffic = new TrafficConfig(seed, rate,
                duration == null ? Duration.ofDays(3650) : scaled(duration.plusMinutes(1)), clockSpeed, null, null,
                scenarios, scaled(incidentEvery), null, labelFile);

        System.out.println("kmswatch demo: starting Kafka, the KMS emulator, detections and alerts…");
        System.out.flush();
        try (Lifecycle life = new Lifecycle()) {
            life.manage(scratch);
            MetricsEndpoint metrics = life.manage(MetricsEndpoint.start(bind, metricsPort));
            Pipeline pipeline = life.manage(Pipeline.connect(config, metrics));
            pipeline.startDetect("kmswatch-detect");
            pipeline.startAlerts("kmswatch-alerts", alerts);
            pipeline.createTopics(pipeline.topics().kmsScenarioLabels().name());

            KafkaProducer<String, ScenarioLabel> labelProducer = life.manage(new KafkaProducer<>(
                    pipeline.kafkaClientProperties(), pipeline.topics().kmsScenarioLabels().keySerde().serializer(),
                    pipeline.topics().kmsScenarioLabels().valueSerde().serializer()));
            KmsEmulator emulator = life.manage(KmsEmulator.start(
                    TrafficGenerator.emulatorConfig(traffic, EmulatorConfig.defaults().withPort(emulatorPort)
                            .withBind(bind))));
            metrics.bind(emulator.metrics());
            String queueUrl = null;
            if ("sqs".equals(source)) {
                queueUrl = DemoQueue.create(sqsEndpoint);
                EventBridgeQueueDelivery delivery = EventBridgeQueueDelivery.start(queueUrl, "us-east-1");
                emulator.addListener(delivery);
                life.manage(delivery);
                pipeline.startIngest(SourcesConfig.sqs(SqsConfig.of(queueUrl)));
            } else {
                emulator.addListener(pipeline.emulatorFeed());
            }

            PlaintextRecorder recorder = plaintextsFile == null ? null : life.manage(new PlaintextRecorder(plaintextsFile));
            AtomicLong injected = new AtomicLong();
            TrafficGenerator generator = new TrafficGenerator(traffic, emulator, label -> {
                labelProducer.send(new ProducerRecord<>(pipeline.topics().kmsScenarioLabels().name(), label.scenarioId(), label));
                if (!label.lookAlike()) {
                    injected.incrementAndGet();
                }
            });
            metrics.bind(generator.metrics());
            int inventoried = inventory(emulator, pipeline, generator.world());
            if (recorder != null) {
                generator.tapPlaintexts(recorder::record);
            }
            Thread trafficThread = new Thread(() -> {
                try {
                    generator.run();
                } catch (RuntimeException e) {
                    System.err.println("kmswatch demo: traffic stopped: " + Kmswatch.messageOf(e));
                }
            }, "kmswatch-demo-traffic");
            trafficThread.setDaemon(true);
            trafficThread.start();
            // Stopped first, and waited for: a call still in flight when the emulator closes would be logged
            // as failed.
            life.manage(() -> {
                generator.close();
                trafficThread.join(Duration.ofSeconds(30).toMillis());
            });

            System.out.println();
            System.out.println("  KMS emulator  " + emulator.endpoint() + "   (simulated organisation, clock x"
                    + trimmed(clockSpeed) + ", starts " + emulator.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ")");
            System.out.println("                credentials of the default admin: AWS_ACCESS_KEY_ID="
                    + EmulatorConfig.DEFAULT_ACCESS_KEY_ID + ", secret: the AWS documentation example (README)");
            System.out.println("  Kafka         " + pipeline.bootstrapServers() + "   topics: "
                    + pipeline.topics().kmsEvents().name() + ", " + pipeline.topics().kmsDetections().name() + ", "
                    + pipeline.topics().kmsAlerts().name());
            System.out.println("  metrics       " + metrics.url());
            System.out.println("  inventory     " + inventoried + " keys read from the emulator's KMS API into "
                    + pipeline.topics().kmsKeyInventory().name() + " (the production account's AWS managed keys)");
            System.out.println("  labels        " + labelFile);
            if (queueUrl != null) {
                System.out.println("  events via    " + queueUrl + " (EventBridge events, read by the SQS source)");
            }
            System.out.println("  incidents     every " + incidentEvery.toSeconds() + " s, " + String.join(",", scenarios)
                    + (duration == null ? "; Ctrl-C to stop" : "; stopping after " + duration.toSeconds() + " s"));
            System.out.println();
            System.out.flush();

            Status status = new Status(metrics.registry());
            life.await(duration, statusEvery, () -> {
                System.out.println(status.line(injected.get()));
                System.out.flush();
            });
            System.out.println(status.line(injected.get()));
            System.out.println("kmswatch demo: stopping…");
            System.out.flush();
        }
        System.out.println("kmswatch demo: stopped.");
        return 0;
    }

    /**
     * The inventory once, before any traffic: the production account's AWS managed keys (which exist
     * without a CloudTrail record, as in AWS) read from the emulator's KMS API into kms-key-inventory, so
     * the key inventory and its dashboard are not empty before the first event.
     */
    private static int inventory(KmsEmulator emulator, Pipeline pipeline, TrafficWorld world) {
        String region = TrafficProfile.defaults().region();
        String production = TrafficProfile.defaults().accounts().production();
        // The production account's administrator (the simulated organisation replaces the emulator's default admin).
        TrafficWorld.Principal admin = world.principals().stream()
                .filter(p -> p.accountId().equals(production) && p.workload() == Workload.ADMIN
                        && p.kind() == TrafficWorld.Kind.USER)
                .findFirst().orElseThrow(() -> new IllegalStateException("the simulated organisation has no administrator"));
        for (String service : List.of("s3", "ebs", "secretsmanager")) {
            emulator.createAwsManagedKey(production, region, service);
        }
        LookupConfig targets = new LookupConfig(List.of(new LookupAccountConfig(production, null,
                null, null, null)), List.of(region), null, emulator.endpoint().toString(), null, null, null, null, null, null);
        KmsInventory inventory = new KmsInventory(targets, pipeline.config().inventorySettings(), emulator.clock(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(admin.accessKeyId(), admin.secretAccessKey())));
        return InventoryService.once(inventory, pipeline.topics(), pipeline.kafkaClientProperties(),
                pipeline.config().kafka().partitions(), pipeline.config().kafka().replicationFactor()).keys().size();
    }

    private Duration scaled(Duration real) {
        return Duration.ofMillis(Math.max(1, Math.round(real.toMillis() * clockSpeed)));
    }

    private static String trimmed(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** Writes each plaintext it is shown as one hex line to a new owner-only file (see {@code --record-plaintexts}). */
    static final class PlaintextRecorder implements AutoCloseable {
        private final BufferedWriter out;
        private boolean closed;

        PlaintextRecorder(Path file) throws IOException {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            this.out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
        }

        synchronized void record(byte[] plaintext) {
            if (closed) {
                return;
            }
            try {
                out.write(HexFormat.of().formatHex(plaintext));
                out.newLine();
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void close() throws IOException {
            closed = true;
            out.close();
        }
    }

    /** The one-line status: events/s into kms-events, detections, alerts. */
    static final class Status {
        private final MeterRegistry registry;
        private double lastEvents;
        private long lastNanos = System.nanoTime();

        Status(MeterRegistry registry) {
            this.registry = registry;
        }

        String line(long incidents) {
            double events = sum("kmswatch.ingest.records.produced");
            long now = System.nanoTime();
            double rate = (events - lastEvents) * 1e9 / Math.max(1, now - lastNanos);
            lastEvents = events;
            lastNanos = now;
            return String.format(Locale.ROOT, "[status] %.0f events/s, %.0f events, %d incidents injected, %.0f detections, %.0f alerts",
                    rate, events, incidents, sum("kmswatch.streams.detections"), sum("kmswatch.alerts.emitted"));
        }

        private double sum(String name) {
            return registry.find(name).counters().stream().mapToDouble(Counter::count).sum()
                    + registry.find(name).functionCounters().stream().mapToDouble(FunctionCounter::count).sum();
        }
    }
}
