package io.kmswatch.app;

import io.kmswatch.app.evaluate.Scoreboard;
import io.kmswatch.emulator.EmulatorConfig;
import io.kmswatch.emulator.KmsEmulator;
import io.kmswatch.emulator.traffic.TrafficConfig;
import io.kmswatch.emulator.traffic.TrafficGenerator;
import io.kmswatch.emulator.traffic.TrafficProfile;
import io.kmswatch.emulator.traffic.TrafficSummary;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Json;
import io.kmswatch.events.ScenarioLabel;
import io.kmswatch.ingest.feed.EmulatorFeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kmswatch evaluate}: every incident scenario and every look-alike through the full pipeline on
 * an embedded broker with a fast clock, detections matched to the ground-truth labels: per detection
 * true and false positives, misses, precision, recall and time to detect (event time).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Score the detections: run every scenario and look-alike through the pipeline and compare",
            "what fired with the labels (precision, recall, time to detect)."})
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the world and the traffic (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--duration", defaultValue = "6h", converter = DurationConverter.class,
            description = "Emulator time the traffic covers (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--clock-speed", defaultValue = "120", description = "Emulator seconds per real second (default ${DEFAULT-VALUE}).")
    double clockSpeed;

    @Option(names = "--rate", defaultValue = "20", description = "Background calls per real second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--tolerance", defaultValue = "20m", converter = DurationConverter.class,
            description = "How far outside a scenario's span a detection still counts for it (default ${DEFAULT-VALUE}).")
    Duration tolerance;

    @Option(names = "--json", description = "Print the scores as one JSON object.")
    boolean json;

    @Option(names = "--verbose", description = "Also list every label and every finding (detection, key, principal, account, time) on stderr.")
    boolean verbose;

    @Mixin
    RulesOptions rules;

    @Override
    public Integer call() throws Exception {
        ScratchDir scratch = ScratchDir.create("kmswatch-evaluate-");
        Path work = scratch.path();
        KmswatchConfig defaults = KmswatchConfig.defaults();
        KmswatchConfig config = new KmswatchConfig(work, new KmswatchConfig.Kafka(null, work.resolve("broker"), null, null, null, null),
                defaults.sources(), rules.apply(SimulatedOrganisation.detections(TrafficProfile.defaults())), defaults.alerts(),
                defaults.streams(), new KmswatchConfig.Metrics(-1, null));
        TrafficConfig traffic = new TrafficConfig(seed, rate, duration, clockSpeed, null, null, List.of("all"), null, null,
                work.resolve("labels.jsonl"));
        List<ScenarioLabel> labels = Collections.synchronizedList(new ArrayList<>());
        List<Detection> detections;
        TrafficSummary summary;
        try (Lifecycle life = new Lifecycle()) {
            life.manage(scratch);
            MetricsEndpoint metrics = life.manage(MetricsEndpoint.start("127.0.0.1", -1));
            Pipeline pipeline = life.manage(Pipeline.connect(config, metrics));
            pipeline.startDetect("kmswatch-evaluate-detect");
            KmsEmulator emulator = life.manage(KmsEmulator.start(
                    TrafficGenerator.emulatorConfig(traffic, EmulatorConfig.defaults().withPort(0))));
            EmulatorFeed feed = pipeline.emulatorFeed();
            emulator.addListener(feed);
            if (!json) {
                System.err.printf("kmswatch evaluate: seed %d, %s of emulator time at x%s, every scenario and look-alike…%n",
                        seed, duration, clockSpeed);
            }
            Instant[] last = {null};
            emulator.addListener(e -> {
                synchronized (last) {
                    if (last[0] == null || e.eventTime().isAfter(last[0])) {
                        last[0] = e.eventTime();
                    }
                }
            });
            try (TrafficGenerator generator = new TrafficGenerator(traffic, emulator, labels::add)) {
                summary = generator.run();
            }
            feed.flush();
            Settle.advance(pipeline, last[0], Duration.ofHours(1));
            try (Admin admin = Admin.create(pipeline.kafkaClientProperties())) {
                new Quiescence(admin).await(List.of(new Quiescence.Stage("kmswatch-evaluate-detect",
                        pipeline.topics().kmsEvents().name())), Duration.ofSeconds(2), Duration.ofMinutes(10));
            }
            detections = readDetections(pipeline);
        }
        Scoreboard.Result result = new Scoreboard(tolerance).score(labels, detections);
        if (verbose) {
            printVerbose(labels, detections);
        }
        if (json) {
            System.out.println(Json.MAPPER.writeValueAsString(asJson(result, summary)));
        } else {
            print(result, summary);
        }
        return 0;
    }

    private static List<Detection> readDetections(Pipeline pipeline) {
        Map<String, Object> props = new HashMap<>(pipeline.kafkaClientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "kmswatch-evaluate-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var topic = pipeline.topics().kmsDetections();
        List<Detection> out = new ArrayList<>();
        try (KafkaConsumer<String, Detection> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            int idle = 0;
            while (idle < 5) {
                var records = consumer.poll(Duration.ofMillis(400));
                if (records.isEmpty() && !consumer.assignment().isEmpty()) {
                    idle++;
                }
                for (ConsumerRecord<String, Detection> r : records) {
                    if (r.value() != null) {
                        out.add(r.value());
                    }
                }
            }
        }
        return out;
    }

    private static void print(Scoreboard.Result r, TrafficSummary summary) {
        System.out.printf("%d incidents, %d look-alikes, %d KMS calls, %d findings%n%n", r.incidents(), r.lookAlikes(),
                summary.calls(), r.findings());
        System.out.printf("%-30s %4s %4s %4s %9s %7s %10s%n", "detection", "TP", "FP", "FN", "precision", "recall", "TTD p50");
        for (Scoreboard.Score s : r.scores()) {
            System.out.printf(Locale.ROOT, "%-30s %4d %4d %4d %9.2f %7.2f %10s%n", s.detection(), s.truePositives(),
                    s.falsePositives(), s.falseNegatives(), s.precision(), s.recall(), ttd(s.medianTimeToDetect()));
        }
        System.out.println();
        if (r.lookAlikeHits().isEmpty()) {
            System.out.println("look-alikes: nothing fired");
        } else {
            r.lookAlikeHits().forEach(h -> System.out.println("look-alike fired: " + h.scenarioType() + " → " + h.detection()));
        }
        r.missed().forEach(m -> System.out.println("missed: " + m));
    }

    /** Labels and findings, one a line, on stderr: what a miss or a false positive needs to be explained. */
    private static void printVerbose(List<ScenarioLabel> labels, List<Detection> detections) {
        List<ScenarioLabel> ls = new ArrayList<>(labels);
        ls.sort(java.util.Comparator.comparing(ScenarioLabel::start));
        for (ScenarioLabel l : ls) {
            System.err.printf("label %s %s %s..%s key=%s principal=%s account=%s expects=%s%n", l.lookAlike() ? "look-alike" : "incident",
                    l.scenarioId(), l.start(), l.end(), l.keyArn(), l.principal(), l.accountId(), l.expectedDetections());
        }
        List<Detection> ds = new ArrayList<>(detections);
        ds.sort(java.util.Comparator.comparing(Detection::lastEventTime));
        for (Detection d : ds) {
            System.err.printf("finding %s%s %s..%s key=%s principal=%s account=%s count=%d fp=%s title=%s%n", d.detection(),
                    d.resolves() ? " (resolves)" : "", d.firstEventTime(), d.lastEventTime(), d.keyArn(), d.principal(),
                    d.accountId(), d.count(), d.fingerprint(), d.title());
        }
    }

    private static String ttd(Duration d) {
        return d == null ? "-" : d.toMinutes() > 0 ? d.toMinutes() + "m" + d.toSecondsPart() + "s" : d.toSeconds() + "s";
    }

    private static Map<String, Object> asJson(Scoreboard.Result r, TrafficSummary summary) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("incidents", r.incidents());
        out.put("lookAlikes", r.lookAlikes());
        out.put("calls", summary.calls());
        out.put("findings", r.findings());
        Map<String, Object> per = new LinkedHashMap<>();
        for (Scoreboard.Score s : r.scores()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("truePositives", s.truePositives());
            m.put("falsePositives", s.falsePositives());
            m.put("falseNegatives", s.falseNegatives());
            m.put("precision", s.precision());
            m.put("recall", s.recall());
            m.put("medianTimeToDetectSeconds", s.medianTimeToDetect() == null ? null : s.medianTimeToDetect().toSeconds());
            m.put("maxTimeToDetectSeconds", s.maxTimeToDetect() == null ? null : s.maxTimeToDetect().toSeconds());
            per.put(s.detection(), m);
        }
        out.put("detections", per);
        out.put("lookAlikeHits", r.lookAlikeHits());
        out.put("missed", r.missed());
        return out;
    }
}
