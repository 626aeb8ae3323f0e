package io.kmswatch.bench;

import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Rejected;
import io.kmswatch.events.Topics;
import io.kmswatch.ingest.EventPublisher;
import io.kmswatch.ingest.IngestConfig;
import io.kmswatch.ingest.IngestException;
import io.kmswatch.ingest.IngestService;
import io.kmswatch.ingest.IngestSummary;
import io.kmswatch.ingest.IngestTopics;
import io.kmswatch.ingest.files.FilesConfig;
import io.kmswatch.ingest.files.LogFiles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Replay throughput of gzip CloudTrail log files into Kafka (the files source end to end: read,
 * gunzip, parse, filter, produce with acks=all, per-file acknowledgement tracking, checkpoints),
 * reported beside two references measured in the same run on the same broker:
 * <ul>
 *   <li>raw produce ({@code kafka-producer-perf-test} style): the same records' bytes, keys,
 *       timestamps and headers (so the same size on the wire), already in memory, sent with the same
 *       producer settings;</li>
 *   <li>the codec's own parse rate of the same files, no Kafka.</li>
 * </ul>
 * Target: replay ≥ {@value #TARGET} of raw produce. Runs are interleaved; medians are reported.
 * The {@code app}'s {@code bench} command calls {@link #run} with its broker's settings.
 */
public final class ReplayBenchmark {
    /** Replay over raw produce that the design asks for. */
    public static final double TARGET = 0.7;
    /** How many times a raw-produce pass sends the records. */
    private static final int RAW_REPEATS = 1;

    /**
     * @param records records per pass; {@code bytes} their JSON size; {@code files} files per pass
     */
    public record Result(long records, long bytes, int files, Measurement replay, Measurement rawProduce,
                         Measurement codec, Duration warmUp, Measurement codecCpuNanos, Measurement rawProduceCpuNanos,
                         Measurement replayCpuNanos, int cores) {
        /**
         * The rate at which the codec's and raw produce's whole-process CPU per record, added, fill the
         * machine's cores: what replay (which does both) could reach if nothing else cost anything.
         */
        public double cpuFloorRecordsPerSec() {
            return CpuTime.floorRecordsPerSec(cores, codecCpuNanos.median(), rawProduceCpuNanos.median());
        }

        public double replayToCpuFloor() {
            return replay.median() / cpuFloorRecordsPerSec();
        }

        /**
         * Replay's whole-process CPU per record over the codec's and raw produce's, added: what replay costs
         * beyond the two (1.0: nothing). Unlike {@link #replayToCpuFloor()} it hardly moves with the machine's
         * load, as it compares CPU time, not rates.
         */
        public double replayCpuToFloorCpu() {
            return replayCpuNanos.median() / (codecCpuNanos.median() + rawProduceCpuNanos.median());
        }

        public double replayToRawProduce() {
            return replay.ratioTo(rawProduce);
        }

        public double replayToCodec() {
            return replay.ratioTo(codec);
        }

        public boolean meetsTarget() {
            return replayToRawProduce() >= TARGET;
        }

        /** A few lines for a terminal. */
        public String report() {
            return String.format("replay benchmark: %d files, %,d records (%,.1f MB JSON) per pass%n"
                            + "  replay       %,10.0f rec/s  (min %,.0f, max %,.0f, %d runs)%n"
                            + "  raw produce  %,10.0f rec/s  (min %,.0f, max %,.0f)%n"
                            + "  codec parse  %,10.0f rec/s%n"
                            + "  replay / raw produce = %.2f (target >= %.1f: %s); replay / codec = %.2f",
                    files, records, bytes / 1e6, replay.median(), replay.min(), replay.max(), replay.runs(),
                    rawProduce.median(), rawProduce.min(), rawProduce.max(), codec.median(),
                    replayToRawProduce(), TARGET, meetsTarget() ? "met" : "NOT met", replayToCodec());
        }
    }

    private final List<Path> inputs;
    private Integer readers;

    /** Benchmarks the given files or directories (any wrapper; gzip is what the target is about). */
    public ReplayBenchmark(List<Path> inputs) {
        this.inputs = List.copyOf(inputs);
    }

    /** Sets the replay's parallel file readers (default: the files source default). */
    public ReplayBenchmark readers(int n) {
        this.readers = n;
        return this;
    }

    /**
     * Writes {@code files} gzip log files of {@code recordsPerFile} realistic KMS records each, in
     * the S3 delivery layout under {@code dir}, and benchmarks them.
     */
    public static ReplayBenchmark synthetic(Path dir, int files, int recordsPerFile) {
        String[] ops = {"Decrypt", "GenerateDataKey", "Encrypt", "Decrypt"};
        long n = 0;
        for (int f = 0; f < files; f++) {
            Path file = dir.resolve(String.format("AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/"
                    + "111122223333_CloudTrail_us-east-1_20240301T12%02dZ_%016d.json.gz", f % 60, f));
            StringBuilder sb = new StringBuilder("{\"Records\":[");
            for (int r = 0; r < recordsPerFile; r++, n++) {
                String key = String.format("arn:aws:kms:us-east-1:111122223333:key/%08x-0000-4000-8000-%012x",
                        n % 50, n % 50);
                sb.append(r == 0 ? "" : ",").append("{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":"
                        + "\"AssumedRole\",\"principalId\":\"AROAEXAMPLE:s").append(n % 7).append("\",\"arn\":"
                        + "\"arn:aws:sts::111122223333:assumed-role/app").append(n % 13).append("/s").append(n % 7)
                        .append("\",\"accountId\":\"111122223333\",\"accessKeyId\":\"ASIAEXAMPLE\",\"sessionContext\":"
                        + "{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"AROAEXAMPLE\",\"arn\":"
                        + "\"arn:aws:iam::111122223333:role/app").append(n % 13).append("\",\"accountId\":"
                        + "\"111122223333\",\"userName\":\"app").append(n % 13).append("\"},\"attributes\":"
                        + "{\"creationDate\":\"2024-03-01T11:00:00Z\",\"mfaAuthenticated\":\"false\"}}},"
                        + "\"eventTime\":\"2024-03-01T12:").append(String.format("%02d:%02d", (n / 60) % 60, n % 60))
                        .append("Z\",\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"").append(ops[(int) (n % 4)])
                        .append("\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"192.0.2.").append(n % 200)
                        .append("\",\"userAgent\":\"aws-sdk-java/2.25.0 Linux/6.1 OpenJDK_64-Bit_Server_VM/17.0.9\","
                        + "\"requestParameters\":{\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\",\"encryptionContext\":"
                        + "{\"aws:s3:arn\":\"arn:aws:s3:::bucket/object-").append(n).append("\"}},\"responseElements\":"
                        + "null,\"requestID\":\"").append(String.format("%08x-1111-4000-8000-%012x", n, n))
                        .append("\",\"eventID\":\"").append(String.format("%08x-2222-4000-8000-%012x", n, n))
                        .append("\",\"readOnly\":true,\"resources\":[{\"accountId\":\"111122223333\",\"type\":"
                        + "\"AWS::KMS::Key\",\"ARN\":\"").append(key).append("\"}],\"eventType\":\"AwsApiCall\","
                        + "\"managementEvent\":true,\"recipientAccountId\":\"111122223333\",\"eventCategory\":"
                        + "\"Management\",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":"
                        + "\"TLS_AES_128_GCM_SHA256\",\"clientProvidedHostHeader\":\"kms.us-east-1.amazonaws.com\"}}");
            }
            sb.append("]}");
            try {
                Files.createDirectories(file.getParent());
                try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 64 * 1024)) {
                    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write benchmark file " + file, e);
            }
        }
        return new ReplayBenchmark(List.of(dir));
    }

    /** {@link #run(Map, int, Duration)} with at most 60 s of warm-up. */
    public Result run(Map<String, ?> kafka, int runs) {
        return run(kafka, runs, Duration.ofSeconds(60));
    }

    /**
     * Runs {@code runs} interleaved replay and raw-produce passes, after unmeasured pairs of both until the
     * JIT compiler is quiet ({@link WarmUp}; at least one pair, at most {@code maxWarmUp}), plus the codec's
     * parse rate. Replay runs far more code than raw produce (gunzip, the reader, the parser, the
     * publisher's bookkeeping), so measured while C2 still compiles it, it looks slower than it is.
     *
     * @param kafka producer settings of the broker to measure against (bootstrap servers…)
     * @throws IngestException when Kafka fails
     */
    public Result run(Map<String, ?> kafka, int runs, Duration maxWarmUp) {
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            files.addAll(Files.isDirectory(p) ? LogFiles.listFiles(p) : List.of(p));
        }
        List<ProducerRecord<String, byte[]>> records = load(files);
        long bytes = records.stream().mapToLong(r -> r.value().length).sum();
        double[] replay = new double[runs];
        double[] raw = new double[runs];
        // one set of topics for every pass of both kinds: creating topics per pass churns the broker (file
        // creation and deletion, metadata) under the measurement
        IngestConfig config = freshConfig(kafka);
        IngestTopics.ensure(config, config.kafka());
        Duration warm = WarmUp.untilJitQuiet(() -> {
            replayPass(config);
            rawPass(config, records);
        }, 1, maxWarmUp);
        double[] rawCpu = new double[runs];
        double[] replayCpu = new double[runs];
        for (int i = 0; i < runs; i++) {
            double[] own = new double[1];
            replay[i] = replayPass(config, own);
            replayCpu[i] = own[0];
            double[] cpu = new double[1];
            raw[i] = rawPass(config, records, cpu); // reading the CPU clock twice costs nothing measurable
            rawCpu[i] = cpu[0];
        }
        List<byte[]> contents = new ArrayList<>();
        for (Path f : files) {
            try {
                contents.add(Files.readAllBytes(f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        double[] codec = new double[Math.max(3, runs)];
        double[] codecCpu = new double[codec.length];
        codecPass(contents, null);
        for (int i = 0; i < codec.length; i++) {
            double[] cpu = new double[1];
            codec[i] = codecPass(contents, cpu);
            codecCpu[i] = cpu[0];
        }
        return new Result(records.size(), bytes, files.size(), Measurement.of("replay", replay),
                Measurement.of("raw produce", raw), Measurement.of("codec (gunzip + parse, no Kafka)", codec), warm,
                Measurement.of("codec CPU ns/record", codecCpu), Measurement.of("raw produce CPU ns/record", rawCpu),
                Measurement.of("replay CPU ns/record", replayCpu), Runtime.getRuntime().availableProcessors());
    }

    /**
     * The codec alone over the same (gzip) file bytes, in memory: records/s; when {@code cpuNanosPerRecord} is
     * given, its element 0 gets the whole process's CPU nanoseconds per record of the pass.
     */
    private static double codecPass(List<byte[]> contents, double[] cpuNanosPerRecord) {
        CloudTrailCodec codec = new CloudTrailCodec();
        long[] n = {0};
        CloudTrailCodec.Sink sink = new CloudTrailCodec.Sink() {
            @Override
            public void record(CloudTrailEvent e, String location) {
                // what replay derives per record: the partition key and the filter's eventSource
                if (e.partitionKey() != null && e.isKms()) {
                    n[0]++;
                }
            }

            @Override
            public void rejected(Rejected r) {
                // not part of the measurement
            }
        };
        long cpu = cpuNanosPerRecord == null ? 0 : CpuTime.processNanos();
        long start = System.nanoTime();
        for (byte[] c : contents) {
            codec.read(new ByteArrayInputStream(c), "bench", sink);
        }
        long elapsed = System.nanoTime() - start;
        if (cpuNanosPerRecord != null) {
            cpuNanosPerRecord[0] = (double) (CpuTime.processNanos() - cpu) / n[0];
        }
        return n[0] * 1e9 / elapsed;
    }

    private static IngestConfig freshConfig(Map<String, ?> kafka) {
        Map<String, String> k = new LinkedHashMap<>();
        kafka.forEach((key, v) -> k.put(key, String.valueOf(v)));
        return new IngestConfig("bench-" + UUID.randomUUID().toString().substring(0, 8) + ".", null, true, 4, null, k,
                null);
    }

    /** Replays every file again (earlier passes' checkpoints ignored) into the run's topics. */
    private double replayPass(IngestConfig config) {
        return replayPass(config, null);
    }

    /**
     * {@link #replayPass(IngestConfig)}; when {@code cpuNanosPerRecord} is given, its element 0 gets the whole
     * process's CPU nanoseconds per record read over the pass (producer and topic set-up included, as replay
     * pays them).
     */
    private double replayPass(IngestConfig config, double[] cpuNanosPerRecord) {
        long cpu = cpuNanosPerRecord == null ? 0 : CpuTime.processNanos();
        IngestSummary s = IngestService.replay(config, Map.of(),
                new FilesConfig(inputs, false, null, false, null, readers), new SimpleMeterRegistry(), false);
        if (cpuNanosPerRecord != null) {
            cpuNanosPerRecord[0] = (double) (CpuTime.processNanos() - cpu) / Math.max(1, s.records());
        }
        return s.recordsPerSecond();
    }

    /**
     * Sends the records {@value #RAW_REPEATS} time(s) over: as many records per pass as replay reads, so the two
     * pay their per-pass fixed costs (client start, topic check, final flush: 0.1–0.4 s of CPU) over the same
     * number of records, and the bench's inputs (150,000 records in quick mode) are long enough to time.
     */
    private static double rawPass(IngestConfig config, List<ProducerRecord<String, byte[]>> records) {
        return rawPass(config, records, null);
    }

    /**
     * {@link #rawPass(IngestConfig, List)}; when {@code cpuNanosPerRecord} is given, its element 0 gets the whole
     * process's CPU nanoseconds per record sent, from the first send to the end of the flush (the embedded broker
     * writing them included).
     */
    private static double rawPass(IngestConfig config, List<ProducerRecord<String, byte[]>> records,
                                  double[] cpuNanosPerRecord) {
        String topic = config.topics().kmsEvents().name();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                EventPublisher.producerSettings(config.kafka(), "bench-raw"), new StringSerializer(),
                new ByteArraySerializer())) {
            long cpu = cpuNanosPerRecord == null ? 0 : CpuTime.processNanos();
            long start = System.nanoTime();
            for (int n = 0; n < RAW_REPEATS; n++) {
                for (ProducerRecord<String, byte[]> r : records) {
                    producer.send(new ProducerRecord<>(topic, null, r.timestamp(), r.key(), r.value(), r.headers()));
                }
            }
            producer.flush();
            long elapsed = System.nanoTime() - start;
            if (cpuNanosPerRecord != null) {
                cpuNanosPerRecord[0] = (double) (CpuTime.processNanos() - cpu) / ((long) RAW_REPEATS * records.size());
            }
            return (double) RAW_REPEATS * records.size() * 1e9 / elapsed;
        }
    }

    /** The records of the files, as raw produce sends them. */
    private static List<ProducerRecord<String, byte[]>> load(List<Path> files) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        CloudTrailCodec codec = new CloudTrailCodec();
        for (Path f : files) {
            LogFiles.read(codec, f, new CloudTrailCodec.Sink() {
                @Override
                public void record(CloudTrailEvent e, String location) {
                    RecordHeaders headers = new RecordHeaders();
                    headers.add(Topics.HEADER_SOURCE, "files".getBytes(StandardCharsets.UTF_8));
                    headers.add(Topics.HEADER_EVENT_ID, e.eventId().getBytes(StandardCharsets.UTF_8));
                    out.add(new ProducerRecord<>("raw", null, e.eventTime().toEpochMilli(), e.partitionKey(),
                            e.rawBytes(), headers));
                }

                @Override
                public void rejected(Rejected r) {
                    // not part of either measurement
                }
            });
        }
        if (out.isEmpty()) {
            throw new IngestException("no CloudTrail records in " + files.size() + " benchmark files");
        }
        return out;
    }
}
