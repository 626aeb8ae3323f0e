package io.kmswatch.app;

import io.kmswatch.emulator.EmulatorConfig;
import io.kmswatch.emulator.KmsEmulator;
import io.kmswatch.emulator.traffic.TrafficConfig;
import io.kmswatch.emulator.traffic.TrafficGenerator;
import io.kmswatch.emulator.traffic.TrafficShape;
import io.kmswatch.emulator.traffic.TrafficSummary;
import io.kmswatch.events.ScenarioLabel;
import io.kmswatch.events.Topics;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kmswatch traffic}: drives the emulator with a simulated organisation's KMS traffic and
 * labelled incidents, over HTTP with the AWS SDK, one signed client per principal.
 */
@Command(name = "traffic", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Generate realistic KMS traffic with labelled incidents against the emulator.",
            "Default: an in-process emulator; --trail-dir/--audit-log keep its CloudTrail for replay."})
final class TrafficCommand implements Callable<Integer> {
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the world and of every choice (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", defaultValue = "20",
            description = "Background calls per real second: at the daily peak, or exactly with --shape flat (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--shape", defaultValue = "daily", converter = ShapeConverter.class,
            description = "daily: the rate follows the working day and week of the emulator clock; flat: exactly --rate calls"
                    + " per real second, scenario calls included (default ${DEFAULT-VALUE}).")
    TrafficShape shape;

    /** {@code daily} or {@code flat}, in any case. */
    static final class ShapeConverter implements picocli.CommandLine.ITypeConverter<TrafficShape> {
        @Override
        public TrafficShape convert(String value) {
            return TrafficShape.of(value);
        }
    }

    @Option(names = "--duration", defaultValue = "1h", converter = DurationConverter.class,
            description = "Emulator time to cover (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--clock-speed", defaultValue = "60", description = "Emulator seconds per real second (default ${DEFAULT-VALUE}).")
    double clockSpeed;

    @Option(names = "--clock-start", description = "Emulator start time (ISO-8601; default 2026-03-02T08:00:00Z, a Monday).")
    Instant clockStart;

    @Option(names = "--endpoint", description = "Drive this emulator (started with the same world) instead of an in-process one.")
    URI endpoint;

    @Option(names = "--scenarios", defaultValue = "all", split = ",",
            description = "Incidents to inject: all, none, or names (${COMPLETION-CANDIDATES}).",
            completionCandidates = ScenarioNames.class)
    List<String> scenarios;

    @Option(names = "--incident-every", converter = DurationConverter.class,
            description = "Emulator time between incidents; default: each chosen scenario once, spread over the run.")
    Duration incidentEvery;

    @Option(names = "--profile", description = "YAML description of another world (accounts, applications, rates).")
    Path profile;

    @Option(names = "--labels", defaultValue = "labels.jsonl", description = "Where the ground-truth labels go (JSONL; default ${DEFAULT-VALUE}).")
    Path labels;

    @Option(names = "--bootstrap-servers", description = "Also write each label to kms-scenario-labels on this Kafka.")
    String bootstrapServers;

    @Option(names = "--topic-prefix", defaultValue = "", description = "Prefix of the labels topic name.")
    String topicPrefix;

    @Option(names = "--trail-dir", description = "In-process emulator: write S3-layout gzip CloudTrail files here.")
    Path trailDir;

    @Option(names = "--audit-log", description = "In-process emulator: append every CloudTrail record here (NDJSON).")
    Path auditLog;

    /** The scenario names, for help and completion. */
    static final class ScenarioNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return TrafficGenerator.scenarioTypes().iterator();
        }
    }

    @Override
    public Integer call() {
        List<String> chosen = scenarios.equals(List.of("none")) ? List.of() : scenarios;
        TrafficConfig config = new TrafficConfig(seed, rate, duration, clockSpeed, clockStart, endpoint, chosen,
                incidentEvery, profile, labels, shape);
        try (Lifecycle life = new Lifecycle()) {
            Consumer<ScenarioLabel> sink = label -> { };
            if (bootstrapServers != null) {
                Topics topics = Topics.withPrefix(topicPrefix);
                KafkaProducer<String, ScenarioLabel> producer = life.manage(new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                        topics.kmsScenarioLabels().keySerde().serializer(), topics.kmsScenarioLabels().valueSerde().serializer()));
                sink = label -> producer.send(new ProducerRecord<>(topics.kmsScenarioLabels().name(), label.scenarioId(), label));
            }
            KmsEmulator emulator = null;
            if (endpoint == null) {
                EmulatorConfig base = EmulatorConfig.defaults().withPort(0);
                if (trailDir != null) {
                    base = base.withTrailDir(trailDir);
                }
                if (auditLog != null) {
                    base = base.withAuditLog(auditLog);
                }
                emulator = life.manage(KmsEmulator.start(TrafficGenerator.emulatorConfig(config, base)));
            }
            TrafficGenerator generator = life.manage(new TrafficGenerator(config, emulator, sink));
            System.out.println("kmswatch traffic: seed " + seed + ", " + rate + " calls/s, " + duration + " of emulator time at x"
                    + clockSpeed + " against " + (emulator != null ? emulator.endpoint() + " (in-process)" : endpoint));
            System.out.println("  labels: " + labels.toAbsolutePath());
            System.out.flush();
            Thread runner = new Thread(() -> {
                try {
                    TrafficSummary summary = generator.run();
                    System.out.println("kmswatch traffic: done — " + summary.calls() + " calls, " + summary.errors()
                            + " answered with an AWS error, " + summary.labels().size() + " scenarios labelled");
                } catch (RuntimeException e) {
                    System.err.println("kmswatch traffic: " + Kmswatch.messageOf(e));
                } finally {
                    life.requestStop();
                }
            }, "kmswatch-traffic");
            runner.start();
            life.await(null);
            generator.close();
            runner.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
