package io.kmswatch.bench;

import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.events.Json;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kmswatch bench}: every figure beside a reference measured in the same run (medians of
 * several runs with their min–max spread, and the ratio ours ÷ reference).
 *
 * <p>The launcher registers a subclass as its {@code bench} subcommand; the subclass adds the
 * launcher's version provider and names the application jar the memory benchmarks run as child
 * processes ({@link #applicationJar()}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark kmswatch on this machine, each figure beside its reference measured in the same run.")
public class BenchCommand implements Callable<Integer> {
    static final Path DEFAULT_CODEC_INPUT = Path.of("../shared/datasets/invictus-ir__aws_dataset/CloudTrail");

    @Option(names = "--json", description = "Print one JSON object with every figure.")
    boolean json;

    @Option(names = "--quick", description = "Fewer and shorter runs (the whole run stays under ten minutes).")
    boolean quick;

    @Option(names = "--codec-input", description = "CloudTrail files or directories for the codec benchmark "
            + "(default: the invictus dataset beside the checkout when present, else synthetic log files).")
    List<Path> codecInput;

    @Option(names = "--only", split = ",", paramLabel = "PART",
            description = "Run only these parts: codec, replay, detect (= throughput, latency, scaling), sigma, kms, aes, memory, demo, cardinality, soak (default: all); latency includes the call-to-alert time through each source.")
    List<String> only;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE",
            description = "Extra Kafka/Streams properties for the replay and detect benchmarks (to try settings; default: the product defaults).")
    Map<String, String> kafka;

    @Option(names = "--soak", paramLabel = "DURATION", converter = SoakDurationConverter.class,
            description = "How long the soak runs (e.g. 30m, 90s, 2h; default 30m, 5m with --quick); run it alone with --only soak.")
    Duration soak;

    @Option(names = "--svg-dir", paramLabel = "DIR",
            description = "Also copy the plots (cardinality.svg, soak-memory.svg, soak-latency.svg) into this directory (e.g. docs/bench).")
    Path svgDir;

    @Option(names = "--sigma-rules", paramLabel = "PATH",
            description = "Sigma rules (a file or directory) for the sigma part (default: the 57 SigmaHQ CloudTrail rules beside the checkout when present, else ./rules).")
    Path sigmaRules;

    @Option(names = "--readers", paramLabel = "N",
            description = "Parallel file readers of the replay benchmark (to try settings; default: the files source default).")
    Integer readers;

    /**
     * The application jar that runs {@code kmswatch demo} (and, through its manifest class path, the
     * detect child) for the memory benchmarks; the launcher's subclass names it.
     *
     * @throws BenchException when no launcher named it
     */
    protected Path applicationJar() {
        throw new BenchException("the memory benchmarks run the kmswatch jar as a child process: run them with `kmswatch bench`");
    }

    private boolean runs(String part) {
        if (only == null || only.isEmpty()) {
            return true;
        }
        if (only.contains(part)) {
            return true;
        }
        return only.contains("detect") && List.of("throughput", "latency", "scaling").contains(part);
    }

    @Override
    public Integer call() {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "java", System.getProperty("java.version"), "os", System.getProperty("os.name") + " " + System.getProperty("os.version")));
        figures.put("loadAverageStart", loadAverage()); // 1-minute load: the machine is shared
        if (runs("codec")) {
            codec(figures);
        }
        Path work = DetectBenchmark.tempDir("kmswatch-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            if (runs("replay")) {
                replay(figures, broker, work);
            }
            if (runs("detect") || runs("throughput") || runs("latency") || runs("scaling")) {
                detect(figures, broker, work);
            }
            if (runs("sigma")) {
                sigma(figures, broker, work);
            }
            if (runs("kms")) {
                kmsApi(figures, work);
            }
            if (runs("aes")) {
                aesGcm(figures);
            }
            if (runs("memory")) {
                detectMemory(figures, broker, work);
            }
            if (runs("cardinality")) {
                cardinality(figures, broker, work);
            }
        }
        if (runs("demo")) {
            demoMemory(figures, work);
        }
        if (runs("soak")) {
            soak(figures, work);
        }
        figures.put("loadAverageEnd", loadAverage());
        if (json) {
            try {
                System.out.println(Json.MAPPER.writeValueAsString(figures));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return 0;
    }

    private void codec(Map<String, Object> figures) {
        CodecBenchmark bench;
        String input;
        if (codecInput != null && !codecInput.isEmpty()) {
            bench = new CodecBenchmark(codecInput);
            input = codecInput.toString();
        } else if (Files.isDirectory(DEFAULT_CODEC_INPUT)) {
            bench = new CodecBenchmark(List.of(DEFAULT_CODEC_INPUT));
            input = DEFAULT_CODEC_INPUT.toString();
        } else {
            bench = CodecBenchmark.synthetic(40, 500);
            input = "synthetic (40 files x 500 records)";
        }
        CodecBenchmark.Result r = bench.run(quick ? 3 : 5, quick ? 5 : 9, quick ? 300_000_000L : 1_000_000_000L,
                quick ? 3_000_000_000L : 5_000_000_000L);
        figures.put("codecInput", input);
        figures.put("codecRecordsPerSec", Math.round(r.codec().median()));
        figures.put("readTreeRecordsPerSec", Math.round(r.readTree().median()));
        figures.put("codecVsReadTree", round(r.ratio()));
        figures.put("codecSpread", spread(r.codec(), r.readTree()));
        if (!json) {
            System.out.println("1. Codec parse (" + input + ", " + r.recordsPerPass() + " records per pass)");
            print(r.codec());
            print(r.readTree());
            System.out.printf("   codec / readTree = %.2f%n", r.ratio());
        }
    }

    private void replay(Map<String, Object> figures, EmbeddedKafkaBroker broker, Path work) {
        ReplayBenchmark bench = ReplayBenchmark.synthetic(work.resolve("replay"), quick ? 150 : 200, 1000);
        if (readers != null) {
            bench.readers(readers);
        }
        Map<String, Object> settings = new java.util.LinkedHashMap<>(kafka());
        settings.put("bootstrap.servers", broker.bootstrapServers());
        ReplayBenchmark.Result r = bench.run(settings, quick ? 3 : 5, Duration.ofSeconds(quick ? 30 : 60));
        figures.put("replayRecordsPerSec", Math.round(r.replay().median()));
        figures.put("rawProduceRecordsPerSec", Math.round(r.rawProduce().median()));
        figures.put("replayVsRawProduce", round(r.replayToRawProduce()));
        figures.put("codecFilesRecordsPerSec", Math.round(r.codec().median()));
        figures.put("replayVsCodec", round(r.replayToCodec()));
        figures.put("replaySpread", spread(r.replay(), r.rawProduce()));
        figures.put("replayWarmUpSeconds", round(r.warmUp().toMillis() / 1000.0));
        figures.put("codecCpuMicrosPerRecord", round(r.codecCpuNanos().median() / 1000.0));
        figures.put("rawProduceCpuMicrosPerRecord", round(r.rawProduceCpuNanos().median() / 1000.0));
        figures.put("replayCpuFloorRecordsPerSec", Math.round(r.cpuFloorRecordsPerSec()));
        figures.put("replayVsCpuFloor", round(r.replayToCpuFloor()));
        figures.put("replayCpuMicrosPerRecord", round(r.replayCpuNanos().median() / 1000.0));
        figures.put("replayCpuVsFloorCpu", round(r.replayCpuToFloorCpu()));
        section("2. Replay (" + r.files() + " synthetic gzip files, " + r.records() + " records per pass) vs raw produce, same broker"
                + String.format(" (after %.0f s of warm-up)", r.warmUp().toMillis() / 1000.0));
        print(r.replay());
        print(r.rawProduce());
        print(r.codec());
        line(String.format("   replay / raw produce = %.2f (target >= 0.7); replay / codec = %.2f", r.replayToRawProduce(),
                r.replayToCodec()));
        line(String.format("   whole-process CPU per record: codec %.2f µs, raw produce %.2f µs (broker included); floor = %d cores"
                        + " / (codec + produce) = %,.0f records/s; replay / floor = %.2f (target >= 0.9)",
                r.codecCpuNanos().median() / 1000.0, r.rawProduceCpuNanos().median() / 1000.0, r.cores(),
                r.cpuFloorRecordsPerSec(), r.replayToCpuFloor()));
        line(String.format("   replay CPU per record %.2f µs = %.2f of codec + raw produce (1.00: no cost beyond the two)",
                r.replayCpuNanos().median() / 1000.0, r.replayCpuToFloorCpu()));
    }

    private void detect(Map<String, Object> figures, EmbeddedKafkaBroker broker, Path work) {
        DetectBenchmark bench = new DetectBenchmark(broker.bootstrapServers(), work.resolve("detect"), kafka());
        if (runs("throughput")) {
            throughput(figures, bench);
        }
        if (runs("latency")) {
            latency(figures, bench);
            sourceLatency(figures, bench.bootstrap(), work);
        }
        if (runs("scaling")) {
            scaling(figures, bench);
        }
    }

    private Map<String, String> kafka() {
        return kafka == null ? Map.of() : kafka;
    }

    private void throughput(Map<String, Object> figures, DetectBenchmark bench) {
        DetectBenchmark.Throughput t = bench.throughput(quick ? 200_000 : 600_000, 4, quick ? 3 : 5,
                Duration.ofSeconds(quick ? 45 : 90));
        figures.put("detectEventsPerSecEos", Math.round(t.eos().median()));
        figures.put("detectEventsPerSecAlos", Math.round(t.alos().median()));
        figures.put("rawConsumeProduceRecordsPerSec", Math.round(t.raw().median()));
        figures.put("detectVsRawEos", round(t.eosToRaw()));
        figures.put("detectVsRawAlos", round(t.alosToRaw()));
        figures.put("detectSpread", spread(t.eos(), t.alos(), t.raw()));
        figures.put("detectWarmUpSeconds", round(t.warmUp().toMillis() / 1000.0));
        figures.put("detectUntimedShare", SteadyRate.DEFAULT_SKIP);
        figures.put("detectEosFirstTenthSeconds", round(t.eosFirstTenth().median()));
        section("3. Detection throughput (" + t.events() + "-record kms-events backlog, " + t.partitions()
                + " partitions, every detection on, each drain timed from its first tenth) vs raw consume+produce"
                + String.format(" (after %.0f s of warm-up)", t.warmUp().toMillis() / 1000.0));
        print(t.eos());
        print(t.alos());
        print(t.raw());
        line(String.format("   EOS / raw = %.2f   ALO / raw = %.2f (targets: EOS >= 50,000/s, ALO >= 100,000/s, >= 0.5 of raw)",
                t.eosToRaw(), t.alosToRaw()));
        line(String.format("   (exactly-once spent %.1f s on the untimed first tenth: group join, assignment, transactions starting)",
                t.eosFirstTenth().median()));
    }

    private void latency(Map<String, Object> figures, DetectBenchmark bench) {
        Duration d = Duration.ofSeconds(quick ? 15 : 60);
        Duration warm = Duration.ofSeconds(10);
        Percentiles eos = bench.latency("exactly_once_v2", 1000, warm, d, 10);
        Percentiles alos = bench.latency("at_least_once", 1000, warm, d, 10);
        line("   (each detection's latency in send order: " + bench.latencyLog("exactly_once_v2") + ", "
                + bench.latencyLog("at_least_once") + ")");
        figures.put("latencyP50MsEos", round(eos.p50()));
        figures.put("latencyP99MsEos", round(eos.p99()));
        figures.put("latencyP999MsEos", round(eos.p999()));
        figures.put("latencyP50MsAlos", round(alos.p50()));
        figures.put("latencyP99MsAlos", round(alos.p99()));
        figures.put("latencyP999MsAlos", round(alos.p999()));
        figures.put("latencySamples", Map.of("eos", eos.samples(), "alos", alos.samples()));
        section("4. Detection latency at 1,000 events/s for " + d.toSeconds() + " s after " + warm.toSeconds()
                + " s of warm-up (every 10th event a DisableKey timed from send to its read_committed detection)");
        line(String.format("   EOS  p50 %.1f ms  p99 %.1f ms  p999 %.1f ms  max %.1f ms  (%d samples; target p99 <= 250)",
                eos.p50(), eos.p99(), eos.p999(), eos.max(), eos.samples()));
        line(String.format("   ALO  p50 %.1f ms  p99 %.1f ms  p999 %.1f ms  max %.1f ms  (%d samples; target p99 <= 50)",
                alos.p50(), alos.p99(), alos.p999(), alos.max(), alos.samples()));
    }

    private void sourceLatency(Map<String, Object> figures, String bootstrap, Path work) {
        int samples = quick ? 20 : 50;
        Duration interval = Duration.ofSeconds(quick ? 5 : 15);
        List<SourceLatencyBenchmark.Result> results = new SourceLatencyBenchmark(bootstrap, work.resolve("e2e"))
                .run(samples, interval);
        Map<String, Object> p50 = new LinkedHashMap<>();
        Map<String, Object> p99 = new LinkedHashMap<>();
        Map<String, Object> notes = new LinkedHashMap<>();
        section("5. Call to alert through each source: " + samples + " DisableKey calls per source, each timed until its"
                + " key-disabled alert reaches a webhook receiver (detections exactly-once, default settings; polled"
                + " sources and trail files every " + interval.toSeconds() + " s)");
        for (SourceLatencyBenchmark.Result r : results) {
            if (r.percentiles() != null) {
                p50.put(r.route(), round(r.percentiles().p50()));
                p99.put(r.route(), round(r.percentiles().p99()));
                line(String.format("   %-18s p50 %8.1f ms  p99 %8.1f ms  max %8.1f ms  (%d samples%s)%s", r.route(),
                        r.percentiles().p50(), r.percentiles().p99(), r.percentiles().max(), r.percentiles().samples(),
                        r.interval() == null ? "" : ", every " + r.interval().toSeconds() + " s",
                        r.note() == null ? "" : "  " + r.note()));
            } else {
                line(String.format("   %-18s not measured: %s", r.route(), r.note()));
            }
            if (r.note() != null) {
                notes.put(r.route(), r.note());
            }
        }
        line("   (targets: sqsEventBridge p99 <= 3000 ms, emulatorFeed p99 <= 1000 ms; AWS adds its own delivery delay:"
                + " README, \"Which source\")");
        figures.put("e2eLatencyP50Ms", p50);
        figures.put("e2eLatencyP99Ms", p99);
        figures.put("e2eLatencyPolledEverySeconds", interval.toSeconds());
        if (!notes.isEmpty()) {
            figures.put("e2eLatencyNotes", notes);
        }
    }

    /** The SigmaHQ CloudTrail rules beside the checkout, else kmswatch's own rules. */
    static final Path SIGMAHQ_RULES = Path.of("../shared/datasets/SigmaHQ__sigma-cloudtrail");

    private void sigma(Map<String, Object> figures, EmbeddedKafkaBroker broker, Path work) {
        Path rules = sigmaRules != null ? sigmaRules : Files.isDirectory(SIGMAHQ_RULES) ? SIGMAHQ_RULES : Path.of("rules");
        if (!Files.exists(rules)) {
            line("Sigma: no rules found (" + SIGMAHQ_RULES + " or ./rules): not measured");
            return;
        }
        io.kmswatch.sigma.RuleSet set = io.kmswatch.sigma.RuleSet.load(List.of(rules),
                io.kmswatch.sigma.LoadOptions.strict());
        List<io.kmswatch.events.CloudTrailEvent> events = Files.isDirectory(DEFAULT_CODEC_INPUT)
                ? SigmaBenchmark.read(DEFAULT_CODEC_INPUT) : List.of();
        String input = DEFAULT_CODEC_INPUT.toString();
        if (events.isEmpty()) {
            List<io.kmswatch.events.CloudTrailEvent> sample = new java.util.ArrayList<>();
            java.time.Instant t0 = java.time.Instant.parse("2026-03-02T08:00:00Z");
            for (long i = 0; i < 20_000; i++) {
                sample.add(io.kmswatch.events.CloudTrailEvent.parse(i % 100 == 0
                        ? BenchEvents.disableKey(i, BenchEvents.keyArn(i % 200), i % 50, t0.plusMillis(i))
                        : BenchEvents.decrypt(i, BenchEvents.keyArn(i % 200), i % 50, t0.plusMillis(i))));
            }
            events = sample;
            input = "synthetic KMS records";
        }
        SigmaBenchmark.Result m = SigmaBenchmark.measure(set, events, quick ? 5 : 15);
        DetectBenchmark bench = new DetectBenchmark(broker.bootstrapServers(), work.resolve("sigma"), kafka());
        DetectBenchmark.Sigma s = bench.sigma(quick ? 200_000 : 600_000, 4, quick ? 2 : 3, List.of(rules.toString()));
        figures.put("sigmaMatchRecordsPerSecPerCore", Math.round(m.recordsPerSecond()));
        figures.put("sigmaRules", m.rules());
        figures.put("sigmaVsBuiltinOnly", round(s.ratio()));
        section("Sigma: " + m.rules() + " rules from " + rules + "; the matching stage alone over " + m.records()
                + " records of " + input + ", one thread, per CPU-second; then exactly-once detection of a "
                + s.events() + "-event backlog with the rules and without");
        line(String.format("   matching alone %,.0f records/s per core (target >= 200,000)", m.recordsPerSecond()));
        print(s.builtinOnly());
        print(s.withRules());
        line(String.format("   with rules / built-in only = %.2f (target >= 0.8)", s.ratio()));
    }

    private void scaling(Map<String, Object> figures, DetectBenchmark bench) {
        DetectBenchmark.Scaling s = bench.scaling(quick ? 200_000 : 600_000, 4, 2, quick ? 2 : 3);
        figures.put("scalingEventsPerSecOneInstance", Math.round(s.one().median()));
        figures.put("scalingEventsPerSecTwoInstances", Math.round(s.many().median()));
        figures.put("scalingTwoVsOne", round(s.many().ratioTo(s.one())));
        section("Scaling: " + s.instances() + " detect instances (one application id) vs 1 on " + s.partitions()
                + " partitions, exactly-once, same JVM and broker");
        print(s.one());
        print(s.many());
        line(String.format("   %d / 1 = %.2f", s.instances(), s.many().ratioTo(s.one())));
    }

    private void kmsApi(Map<String, Object> figures, Path work) {
        Duration per = Duration.ofSeconds(quick ? 2 : 5);
        Duration warmUp = Duration.ofSeconds(quick ? 20 : 40);
        KmsApiBenchmark.Result seq = KmsApiBenchmark.run(quick ? 3 : 5, per, 1, warmUp, work);
        KmsApiBenchmark.Result par = KmsApiBenchmark.run(quick ? 3 : 5, per, 4, warmUp, work);
        figures.put("emulatorGenerateDataKeyPerSec", Math.round(par.emulatorGenerate().median()));
        figures.put("motoGenerateDataKeyPerSec", Math.round(par.motoGenerate().median()));
        figures.put("emulatorDecryptPerSec", Math.round(par.emulatorDecrypt().median()));
        figures.put("motoDecryptPerSec", Math.round(par.motoDecrypt().median()));
        figures.put("emulatorVsMotoGenerateDataKey", round(par.generateRatio()));
        figures.put("emulatorVsMotoDecrypt", round(par.decryptRatio()));
        figures.put("emulatorVsMoto", round(par.ratio()));
        figures.put("emulatorVsMotoSequential", round(seq.ratio()));
        figures.put("kmsWarmUpSeconds", Map.of("callers1", round(seq.warmUp().toMillis() / 1000.0),
                "callers4", round(par.warmUp().toMillis() / 1000.0)));
        figures.put("kmsSpread", Map.of("callers4", spread(par.emulatorGenerate(), par.motoGenerate(), par.emulatorDecrypt(),
                par.motoDecrypt()), "callers1", spread(seq.emulatorGenerate(), seq.motoGenerate(), seq.emulatorDecrypt(),
                seq.motoDecrypt())));
        for (var e : List.of(Map.entry("1 caller (sequential calls)", seq), Map.entry("4 callers", par))) {
            KmsApiBenchmark.Result r = e.getValue();
            section("5a. KMS API requests/s, one keep-alive SDK client per server, " + e.getKey() + ": emulator vs moto_server"
                    + String.format(" (after %.0f s of warm-up)", r.warmUp().toMillis() / 1000.0));
            printRate(r.emulatorGenerate(), "req/s");
            printRate(r.motoGenerate(), "req/s");
            printRate(r.emulatorDecrypt(), "req/s");
            printRate(r.motoDecrypt(), "req/s");
            line(String.format("   emulator / moto: GenerateDataKey %.1f, Decrypt %.1f, geometric mean %.1f (target >= 20)",
                    r.generateRatio(), r.decryptRatio(), r.ratio()));
        }
    }

    private void aesGcm(Map<String, Object> figures) {
        AesGcmBenchmark.Result r = AesGcmBenchmark.run(quick ? 3 : 5, quick ? 2 : 3);
        figures.put("aesGcmMBPerSec", Math.round(r.ours().median()));
        figures.put("opensslAesGcmMBPerSec", Math.round(r.openssl().median()));
        figures.put("aesGcmVsOpenssl", round(r.ratio()));
        section("5b. AES-256-GCM encrypt, 8 KiB buffers, one thread: crypto core vs openssl speed -evp");
        printRate(r.ours(), "MB/s");
        printRate(r.openssl(), "MB/s");
        line(String.format("   crypto core / openssl = %.2f (target >= 0.8)", r.ratio()));
    }

    private void detectMemory(Map<String, Object> figures, EmbeddedKafkaBroker broker, Path work) {
        MemoryBenchmark.Rss r = MemoryBenchmark.detectState(broker.bootstrapServers(), 10_000, 100_000, 200_000, work, applicationJar());
        figures.put("detectStatePeakRssMiB", Math.round(r.peakMiB()));
        figures.put("detectIdleRssMiB", Math.round(r.idleMiB()));
        figures.put("detectLiveHeapMiB", Math.round(r.liveHeapMiB()));
        section("6b. Peak RSS of detect holding state for 10,000 keys and 100,000 principals");
        line(String.format("   %,.0f MiB peak (%,.0f MiB at the end, %,.0f MiB running with empty state, %,.0f MiB live heap "
                + "after a full GC; target <= 1024) — %s", r.peakMiB(), r.lastMiB(), r.idleMiB(), r.liveHeapMiB(), r.how()));
    }

    private void demoMemory(Map<String, Object> figures, Path work) {
        Duration d = quick ? Duration.ofMinutes(2) : Duration.ofMinutes(10);
        MemoryBenchmark.Rss r = MemoryBenchmark.demo(d, work, applicationJar());
        figures.put("demoPeakRssMiB", Math.round(r.peakMiB()));
        figures.put("demoMinutes", d.toMinutes());
        section("6a. Peak RSS of demo over " + d.toMinutes() + " minutes" + (quick ? " (quick mode: the target is stated for ten; the full mode runs them)" : ""));
        line(String.format("   %,.0f MiB peak (%,.0f MiB at the end; target <= 1536) — %s", r.peakMiB(), r.lastMiB(), r.how()));
    }

    private void cardinality(Map<String, Object> figures, EmbeddedKafkaBroker broker, Path work) {
        List<CardinalityBenchmark.Point> points = quick ? CardinalityBenchmark.POINTS.subList(0, 3) : CardinalityBenchmark.POINTS;
        section("7. Cardinality: detection (exactly-once, every detection) in a child JVM at " + points.stream()
                .map(p -> SvgPlot.label(p.keys()) + "/" + SvgPlot.label(p.principals())).collect(java.util.stream.Collectors.joining(", "))
                + " keys/principals, each backlog " + CardinalityBenchmark.PASSES + " passes over every principal, the last one timed");
        CardinalityBenchmark bench = new CardinalityBenchmark(broker.bootstrapServers(), work.resolve("cardinality"),
                applicationJar().toString(), 200_000, 1000);
        List<Map<String, Object>> curve = new java.util.ArrayList<>();
        List<CardinalityBenchmark.Result> results = bench.run(points, Duration.ofMinutes(quick ? 10 : 60), r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("keys", r.keys());
            m.put("principals", r.principals());
            m.put("events", r.events());
            if (r.measured()) {
                m.put("eventsPerSec", Math.round(r.eventsPerSec()));
                m.put("peakRssMiB", Math.round(r.peakRssMiB()));
                m.put("stateDiskMiB", round(r.stateDiskMiB()));
                if (r.incomplete()) {
                    m.put("error", r.error());
                }
                line(String.format("   %9s keys %10s principals: %,10.0f events/s  peak RSS %,6.0f MiB  state on disk %,9.1f MiB"
                        + "  (%,d events, %.0f s)%s", SvgPlot.label(r.keys()), SvgPlot.label(r.principals()), r.eventsPerSec(),
                        r.peakRssMiB(), r.stateDiskMiB(), r.events(), r.drainSeconds(), r.incomplete() ? "  " + r.error() : ""));
            } else {
                m.put("error", r.error());
                line(String.format("   %9s keys %10s principals: not measured: %s", SvgPlot.label(r.keys()),
                        SvgPlot.label(r.principals()), r.error()));
            }
            curve.add(m);
        });
        figures.put("cardinality", curve);
        if (quick) {
            figures.put("cardinalityNote", "quick mode: the 1M/10M point (" + CardinalityBenchmark.POINTS.get(3).events(200_000)
                    + " records) is left out; the full mode runs it");
        }
        double worst = CardinalityBenchmark.worstVsBest(results);
        double peak = CardinalityBenchmark.peakRss(results);
        figures.put("cardinalityWorstVsBest", Double.isNaN(worst) ? null : round(worst));
        figures.put("cardinalityComplete", results.stream().allMatch(r -> r.error() == null));
        figures.put("cardinalityPeakRssMiB", Double.isNaN(peak) ? null : Math.round(peak));
        line(String.format("   worst / smallest point = %.2f (target >= 0.7); peak RSS %,.0f MiB (target <= 1024)", worst, peak));
        if (results.stream().anyMatch(CardinalityBenchmark.Result::measured)) {
            figures.put("cardinalitySvg", plot(CardinalityBenchmark.plot(results), work, "cardinality.svg").toString());
        }
    }

    private void soak(Map<String, Object> figures, Path work) {
        Duration d = soak != null ? soak : quick ? Duration.ofMinutes(5) : Duration.ofMinutes(30);
        Duration interval = quick ? Duration.ofMinutes(1) : Duration.ofMinutes(5);
        if (interval.compareTo(d) > 0) {
            interval = d;
        }
        int rate = 2_000;
        section("8. Soak: " + d.toMinutes() + " minutes of what demo runs (embedded broker, emulator, traffic at " + rate
                + " calls/s with incidents, emulator feed, detections exactly-once, alerts) in a child JVM, per "
                + interval.toSeconds() + " s; a DisableKey probe every second timed to its alert");
        SoakBenchmark.Result r = SoakBenchmark.run(d, interval, rate, 1000, work, applicationJar().toString(), this::line);
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        double lastCalls = 0;
        double lastMinute = 0;
        for (Map<String, Object> i : r.intervals()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String k : List.of("minute", "rssMiB", "heapAfterGcMiB", "stateDiskMiB", "latencyP99Ms", "latencySamples",
                    "callsMade")) {
                m.put(k, i.get(k));
            }
            // the rate the traffic reached in the interval: on a busy machine it can fall short of the one asked for
            double calls = SoakBenchmark.number(i, "callsMade");
            double minute = SoakBenchmark.number(i, "minute");
            m.put("callsPerSec", Math.round((calls - lastCalls) / Math.max(1e-9, (minute - lastMinute) * 60)));
            lastCalls = calls;
            lastMinute = minute;
            rows.add(m);
        }
        figures.put("soak", rows);
        figures.put("soakMinutes", round(d.toSeconds() / 60.0));
        figures.put("soakCallsPerSec", rate);
        figures.put("soakRssGrowth", round(r.rssGrowth()));
        figures.put("soakPeakRssMiB", Math.round(r.peakRssMiB()));
        Map<String, Object> lost = new LinkedHashMap<>();
        lost.put("callsNotServed", r.callsNotServed());
        lost.put("trailRecordsNotOnKmsEvents", r.trailRecordsNotOnKmsEvents());
        lost.put("kmsEventsNotCounted", r.kmsEventsNotCounted());
        figures.put("soakLost", lost);
        figures.put("soakAccounting", r.end());
        figures.put("soakSvg", List.of(plot(SoakBenchmark.memoryPlot(r), work, "soak-memory.svg").toString(),
                plot(SoakBenchmark.latencyPlot(r), work, "soak-latency.svg").toString()));
        line(String.format("   last / first interval RSS = %.2f (target <= 1.1); peak RSS %,.0f MiB", r.rssGrowth(), r.peakRssMiB()));
        line(String.format("   calls made %s, served by the emulator %s, its CloudTrail records %s, records on kms-events %s, events"
                        + " counted by the detections %s: lost %d, %d and %d (target 0 each)", r.end().get("callsMade"),
                r.end().get("emulatorRequests"), r.end().get("trailRecords"), r.end().get("kmsEventsRecords"),
                r.end().get("detectEvents"), r.callsNotServed(), r.trailRecordsNotOnKmsEvents(), r.kmsEventsNotCounted()));
    }

    /** Writes the plot into the work directory (and a copy into --svg-dir when given); prints and returns where. */
    private Path plot(SvgPlot plot, Path work, String name) {
        Path file = plot.write(work.resolve(name));
        line("   plot: " + file);
        if (svgDir != null) {
            Path copy = plot.write(svgDir.resolve(name));
            line("   plot: " + copy);
            return copy;
        }
        return file;
    }

    /** {@code 30m}, {@code 90s}, {@code 2h}, {@code 1h30m} or an ISO-8601 duration ({@code PT30M}). */
    static final class SoakDurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parseDuration(value);
        }
    }

    static Duration parseDuration(String value) {
        String v = value.trim();
        try {
            Duration d = v.toUpperCase(java.util.Locale.ROOT).startsWith("P") ? Duration.parse(v)
                    : Duration.parse("PT" + v.toUpperCase(java.util.Locale.ROOT));
            if (d.isNegative() || d.toSeconds() < 1) {
                throw new picocli.CommandLine.TypeConversionException("a duration of at least 1 s, not " + value);
            }
            return d;
        } catch (java.time.format.DateTimeParseException e) {
            throw new picocli.CommandLine.TypeConversionException("not a duration (like 30m, 90s, 2h): " + value);
        }
    }

    private static Map<String, Object> spread(Measurement... ms) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Measurement x : ms) {
            m.put(x.name(), Map.of("median", Math.round(x.median()), "min", Math.round(x.min()), "max", Math.round(x.max()),
                    "runs", x.runs()));
        }
        return m;
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    private void section(String title) {
        line(title);
    }

    private void line(String text) {
        if (!json) {
            System.out.println(text);
            System.out.flush();
        } else {
            System.err.println(text); // progress for whoever watches; stdout stays one JSON object
        }
    }

    private void printRate(Measurement m, String unit) {
        line(String.format("   %-26s %,12.1f %s  (min %,.1f  max %,.1f, %d runs)", m.name(), m.median(), unit, m.min(), m.max(), m.runs()));
    }

    private void print(Measurement m) {
        line(String.format("   %-12s %,12.0f records/s  (min %,.0f  max %,.0f, %d runs)", m.name(), m.median(), m.min(), m.max(), m.runs()));
    }

    static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }
}
