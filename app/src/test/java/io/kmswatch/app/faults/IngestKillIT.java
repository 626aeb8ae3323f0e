package io.kmswatch.app.faults;

import static io.kmswatch.app.faults.ProcessConfig.quote;
import static io.kmswatch.events.CloudTrailFixtures.T0;
import static io.kmswatch.events.CloudTrailFixtures.decrypt;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.emulator.EmulatorConfig;
import io.kmswatch.emulator.KmsEmulator;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Json;
import io.kmswatch.ingest.files.FileCheckpoint;
import io.kmswatch.ingest.lookup.LookupCheckpoint;
import io.kmswatch.streams.DetectApp;
import io.kmswatch.streams.DetectionsConfig;
import io.kmswatch.streams.StreamsMetrics;
import io.kmswatch.streams.StreamsSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code kmswatch ingest} killed with SIGKILL in the middle of a log file and in the middle of a
 * LookupEvents page, then started again: nothing is lost, and nothing is counted twice.
 *
 * <p>Ingest is at-least-once by design: a file is marked done, and a LookupEvents page's position
 * saved, only after Kafka acknowledged its records, so a crash re-sends what it had in hand — the
 * records of the files not yet marked done, or of the page whose checkpoint was not yet stored — and
 * the detect stage drops the repeats by eventID. So each test asserts: every record reaches
 * {@code kms-events}; the records sent twice are exactly those the killed process had sent beyond its
 * stored checkpoint, each twice, and no others; and the detect stage, run over the result, counts
 * every event once and exactly the repeats as duplicates.
 *
 * <p>To kill at a known place, the test freezes the process (SIGSTOP), reads what it has written to
 * Kafka and its stored checkpoint, and sends SIGKILL only when the process is caught in the middle
 * (otherwise it lets it run a few more milliseconds and looks again).
 */
@Tag("system")
@ExtendWith(EmbeddedKafkaExtension.class)
class IngestKillIT {
    private static final int FILES = 24;
    private static final int RECORDS_PER_FILE = 1000;
    private static final String REGION = "us-east-1";
    private static final int PAGE = 50;
    private static final Duration STAGE_START = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldLoseNothingAndCountNothingTwiceWhenIngestIsKilledInTheMiddleOfALogFile(EmbeddedKafkaBroker kafka)
            throws Exception {
        String prefix = "ingest-kill-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String bootstrap = kafka.bootstrapServers();
        Path trail = Files.createDirectories(dir.resolve("trail"));
        Map<String, String> fileOf = new HashMap<>();
        for (int f = 0; f < FILES; f++) {
            String name = String.format("f%02d", f);
            List<CloudTrailEvent> records = new ArrayList<>();
            for (int i = 0; i < RECORDS_PER_FILE; i++) {
                CloudTrailEvent e = decrypt().key(IncidentFixtures.keyArn(f, i % 10))
                        .eventId(String.format("%08d-0000-4000-8000-%012d", f, i))
                        .at(T0.plusSeconds(f * 60L).plusMillis(i * 50L)).build();
                records.add(e);
                fileOf.put(e.eventId(), name + ".json.gz");
            }
            IncidentFixtures.writeLogFile(trail, name, records);
        }
        String sources = "sources:\n  files: {paths: [" + quote(trail.toString())
                + "], progress: false, checkpointInterval: 0s}\n";
        List<String> args = List.of("ingest", "--config",
                ProcessConfig.write(dir, "ingest", bootstrap, prefix, sources, Map.of()).toString());
        Path logs = KmswatchProcess.logDir(IngestKillIT.class, "files");
        String checkpointKey = "files:" + trail.toAbsolutePath().normalize();
        String events = prefix + "kms-events";
        String checkpoints = prefix + "kms-ingest-checkpoints";

        Caught caught;
        try (KmswatchProcess first = KmswatchProcess.start("ingest", logs, Map.of(), args);
             TopicReader.Tail tail = new TopicReader.Tail(bootstrap, events)) {
            awaitTrue(() -> !tail.eventIds().isEmpty(), Duration.ofMinutes(1), "ingest sends records");
            caught = catchInTheMiddle(first, tail,
                    () -> fileCheckpoint(bootstrap, checkpoints, checkpointKey).done().keySet(),
                    (sent, done) -> !done.isEmpty() && sent.stream().collect(Collectors.groupingBy(fileOf::get,
                            Collectors.counting())).entrySet().stream()
                            .anyMatch(e -> !done.contains(e.getKey()) && e.getValue() < RECORDS_PER_FILE));
            assertThat(caught).as("ingest caught with some files done and one partly sent; log:%n%s", first.tail(20))
                    .isNotNull();
            assertThat(first.kill()).as("ended by SIGKILL").isEqualTo(KmswatchProcess.KILLED_STATUS);
        }
        Set<String> doneAtKill = caught.checkpointed();
        assertThat(doneAtKill).as("files done at the kill").isNotEmpty().hasSizeLessThan(FILES);

        try (KmswatchProcess second = KmswatchProcess.start("ingest", logs, Map.of(), args)) {
            assertThat(second.awaitExit(Duration.ofMinutes(2))).as("the restarted ingest reads the rest and ends")
                    .isZero();
        }

        List<String> onTopic = TopicReader.eventIds(TopicReader.readAll(bootstrap, events, false));
        assertThat(Set.copyOf(onTopic)).as("nothing lost").isEqualTo(fileOf.keySet());
        Set<String> resendable = caught.sent().stream().filter(id -> !doneAtKill.contains(fileOf.get(id)))
                .collect(Collectors.toSet());
        Map<String, Integer> repeats = TopicReader.repeats(onTopic);
        assertThat(repeats.keySet()).as("sent twice: what had been sent of the files not done at the kill")
                .isNotEmpty().isEqualTo(resendable);
        assertThat(repeats).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(2));
        assertCountedOnce(bootstrap, prefix, onTopic);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldLoseNothingAndCountNothingTwiceWhenIngestIsKilledInTheMiddleOfALookupEventsPage(EmbeddedKafkaBroker kafka)
            throws Exception {
        String prefix = "lookup-kill-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String bootstrap = kafka.bootstrapServers();
        String events = prefix + "kms-events";
        String checkpoints = prefix + "kms-ingest-checkpoints";
        String checkpointKey = "lookup:" + EmulatorConfig.DEFAULT_ACCOUNT + "/" + REGION;
        Path logs = KmswatchProcess.logDir(IngestKillIT.class, "lookup");
        List<CloudTrailEvent> emitted = Collections.synchronizedList(new ArrayList<>());
        StaticCredentialsProvider admin = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                EmulatorConfig.DEFAULT_ACCESS_KEY_ID, EmulatorConfig.DEFAULT_SECRET_ACCESS_KEY));
        try (KmsEmulator emulator = KmsEmulator.start(EmulatorConfig.defaults().withPort(0));
             KmsClient kms = KmsClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(REGION))
                     .credentialsProvider(admin).httpClient(UrlConnectionHttpClient.create()).build()) {
            emulator.addListener(emitted::add);
            String keyId = kms.createKey().keyMetadata().keyId();
            calls(kms, keyId, 150); // CreateKey + 300 records: seven pages of 50

            // linger.ms keeps each page's checkpoint in the producer for 2 s after the page's records were
            // acknowledged (until the next page's flush sends both): whenever the process is caught between
            // two pages, the page it has in hand is on Kafka and its checkpoint is not, the worst moment to die.
            String sources = "sources:\n  lookup: {endpointUrl: " + quote(emulator.endpoint().toString())
                    + ", accounts: [{id: \"" + EmulatorConfig.DEFAULT_ACCOUNT + "\"}], regions: [" + REGION
                    + "], pollInterval: 2s, maxResults: " + PAGE + "}\n";
            List<String> args = List.of("ingest", "--config",
                    ProcessConfig.write(dir, "ingest", bootstrap, prefix, sources, Map.of("linger.ms", "2000")).toString());
            Map<String, String> env = Map.of(
                    "AWS_ACCESS_KEY_ID", EmulatorConfig.DEFAULT_ACCESS_KEY_ID,
                    "AWS_SECRET_ACCESS_KEY", EmulatorConfig.DEFAULT_SECRET_ACCESS_KEY,
                    "AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString(),
                    "AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());

            Caught caught;
            try (KmswatchProcess first = KmswatchProcess.start("ingest", logs, env, args);
                 TopicReader.Tail tail = new TopicReader.Tail(bootstrap, events)) {
                awaitTrue(() -> tail.eventIds().size() >= 2 * PAGE, Duration.ofMinutes(1), "ingest sends two pages");
                caught = catchInTheMiddle(first, tail,
                        () -> lookupCheckpoint(bootstrap, checkpoints, checkpointKey).seen().keySet(),
                        (sent, checkpointed) -> sent.stream().anyMatch(id -> !checkpointed.contains(id)));
                assertThat(caught).as("ingest caught with a page sent and not checkpointed; log:%n%s", first.tail(20))
                        .isNotNull();
                assertThat(first.kill()).as("ended by SIGKILL").isEqualTo(KmswatchProcess.KILLED_STATUS);
            }
            Set<String> inHand = caught.sent().stream().filter(id -> !caught.checkpointed().contains(id))
                    .collect(Collectors.toSet());
            assertThat(inHand).as("records of the page in hand").isNotEmpty().hasSizeLessThanOrEqualTo(PAGE);
            assertThat(Set.copyOf(caught.sent())).as("killed mid-poll").hasSizeLessThan(kmsEventIds(emitted).size());

            calls(kms, keyId, 5); // made while no ingest runs
            List<String> expected = kmsEventIds(emitted);
            try (KmswatchProcess second = KmswatchProcess.start("ingest", logs, env, args)) {
                awaitTrue(() -> Set.copyOf(TopicReader.eventIds(TopicReader.readAll(bootstrap, events, false)))
                        .containsAll(expected), Duration.ofMinutes(2), "every KMS record of the emulator on kms-events");
                assertThat(second.isAlive()).isTrue();
            }

            List<String> onTopic = TopicReader.eventIds(TopicReader.readAll(bootstrap, events, false));
            assertThat(Set.copyOf(onTopic)).as("nothing lost").isEqualTo(Set.copyOf(expected));
            Map<String, Integer> repeats = TopicReader.repeats(onTopic);
            assertThat(repeats.keySet()).as("sent twice: the page in hand at the kill").isEqualTo(inHand);
            assertThat(repeats).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(2));
            assertCountedOnce(bootstrap, prefix, onTopic);
        }
    }

    /** What a frozen process had sent and its stored checkpoint at that moment. */
    private record Caught(List<String> sent, Set<String> checkpointed) {
    }

    /**
     * Freezes the process, waits until Kafka holds everything it had sent, and returns that and its
     * stored checkpoint when {@code inTheMiddle} holds for them (leaving the process frozen); otherwise
     * lets it run 20 ms more and looks again, up to 100 times.
     *
     * @return null when the process was never caught in the middle
     */
    private static Caught catchInTheMiddle(KmswatchProcess process, TopicReader.Tail tail,
                                           Supplier<Set<String>> checkpoint,
                                           BiPredicate<List<String>, Set<String>> inTheMiddle) {
        for (int attempt = 0; attempt < 100; attempt++) {
            process.suspend();
            // requests already on the wire are still appended: read until the topic stops growing
            List<String> sent = tail.eventIds();
            while (true) {
                KmswatchProcess.sleep(Duration.ofMillis(300));
                List<String> again = tail.eventIds();
                if (again.size() == sent.size()) {
                    break;
                }
                sent = again;
            }
            Set<String> checkpointed = checkpoint.get();
            if (inTheMiddle.test(sent, checkpointed)) {
                return new Caught(sent, checkpointed);
            }
            process.resume();
            KmswatchProcess.sleep(Duration.ofMillis(20));
        }
        return null;
    }

    /**
     * The detect stage over everything on kms-events: each event counted once, the repeats counted as
     * duplicates and nothing else.
     */
    private void assertCountedOnce(String bootstrap, String prefix, List<String> onTopic) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StreamsMetrics metrics = new StreamsMetrics();
        metrics.bindTo(registry);
        StreamsSettings settings = StreamsSettings.of(bootstrap).withApplicationId(prefix + "detect")
                .withTopicPrefix(prefix).withStateDir(dir.resolve("detect-state"));
        Function<String, Double> sum = name -> registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
        // counting happens in the eventID dedup ahead of every rule: one rule keeps the topology small
        DetectionsConfig config = DetectionsConfig.defaultConfig().onlyEnabled("key-disabled");
        try (DetectApp detect = new DetectApp(settings, config, metrics)) {
            detect.start();
            assertThat(detect.awaitRunning(Duration.ofSeconds(60))).isTrue();
            awaitTrue(() -> sum.apply("kmswatch.streams.events") + sum.apply("kmswatch.streams.duplicates")
                    >= onTopic.size(), Duration.ofMinutes(2), "detect reads every record");
            long distinct = onTopic.stream().distinct().count();
            assertThat(sum.apply("kmswatch.streams.events")).as("events counted").isEqualTo((double) distinct);
            assertThat(sum.apply("kmswatch.streams.duplicates")).as("repeats dropped as duplicates")
                    .isEqualTo((double) (onTopic.size() - distinct));
        }
    }

    private static FileCheckpoint fileCheckpoint(String bootstrap, String topic, String key) {
        return checkpoint(bootstrap, topic, key, FileCheckpoint.class, new FileCheckpoint(null));
    }

    private static LookupCheckpoint lookupCheckpoint(String bootstrap, String topic, String key) {
        return checkpoint(bootstrap, topic, key, LookupCheckpoint.class, new LookupCheckpoint(null, null, null));
    }

    private static <T> T checkpoint(String bootstrap, String topic, String key, Class<T> type, T none) {
        byte[] value = TopicReader.latestValues(bootstrap, topic).get(key);
        if (value == null) {
            return none;
        }
        try {
            return Json.MAPPER.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable checkpoint " + key, e);
        }
    }

    private static void calls(KmsClient kms, String keyId, int n) {
        for (int i = 0; i < n; i++) {
            SdkBytes blob = kms.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("ingest-kill")))
                    .ciphertextBlob();
            kms.decrypt(r -> r.ciphertextBlob(blob));
        }
    }

    private static List<String> kmsEventIds(List<CloudTrailEvent> emitted) {
        synchronized (emitted) {
            return emitted.stream().filter(CloudTrailEvent::isKms)
                    .filter(e -> EmulatorConfig.DEFAULT_ACCOUNT.equals(e.recipientAccountId()))
                    .map(CloudTrailEvent::eventId).toList();
        }
    }

    private static void awaitTrue(Supplier<Boolean> condition, Duration timeout, String what) {
        Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(200)).until(condition::get);
    }
}
