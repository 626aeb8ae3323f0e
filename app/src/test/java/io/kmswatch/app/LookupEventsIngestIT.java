package io.kmswatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.emulator.EmulatorConfig;
import io.kmswatch.emulator.KmsEmulator;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Topics;
import io.kmswatch.ingest.CheckpointStore;
import io.kmswatch.ingest.EventPublisher;
import io.kmswatch.ingest.IngestConfig;
import io.kmswatch.ingest.IngestMetrics;
import io.kmswatch.ingest.IngestSummary;
import io.kmswatch.ingest.IngestTopics;
import io.kmswatch.ingest.lookup.LookupAccountConfig;
import io.kmswatch.ingest.lookup.LookupConfig;
import io.kmswatch.ingest.lookup.LookupEventsPoller;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The LookupEvents source end to end: KMS calls made with the AWS SDK against the emulator are polled
 * from the emulator's CloudTrail LookupEvents (same port) into the embedded broker, and every KMS
 * record arrives on kms-events exactly once, across a poller restart in the middle of a page and
 * calls made while it was stopped.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class LookupEventsIngestIT {
    private static final String REGION = "us-east-1";
    private static final int PAGE = 10;
    private static final StaticCredentialsProvider ADMIN = StaticCredentialsProvider.create(
            AwsBasicCredentials.create(EmulatorConfig.DEFAULT_ACCESS_KEY_ID, EmulatorConfig.DEFAULT_SECRET_ACCESS_KEY));

    @Test
    void shouldDeliverEveryEmulatorRecordExactlyOnceAcrossARestartInTheMiddleOfAPage(EmbeddedKafkaBroker kafka) {
        IngestConfig ingest = new IngestConfig("lookup-e2e-" + UUID.randomUUID().toString().substring(0, 8) + ".",
                null, null, 2, null, Map.of("bootstrap.servers", kafka.bootstrapServers()), null);
        IngestTopics.ensure(ingest, ingest.kafka());
        List<CloudTrailEvent> emitted = Collections.synchronizedList(new ArrayList<>());
        try (KmsEmulator emulator = KmsEmulator.start(EmulatorConfig.defaults().withPort(0));
             KmsClient kms = KmsClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(REGION))
                     .credentialsProvider(ADMIN).httpClient(UrlConnectionHttpClient.create()).build()) {
            emulator.addListener(emitted::add);
            LookupConfig config = new LookupConfig(
                    List.of(new LookupAccountConfig(EmulatorConfig.DEFAULT_ACCOUNT, null, null, null, null)),
                    List.of(REGION), null, emulator.endpoint().toString(), Duration.ofMinutes(15), Duration.ofHours(1),
                    Duration.ofSeconds(1), 2.0, PAGE, 1000);
            String keyId = kms.createKey().keyMetadata().keyId();
            calls(kms, keyId, 17); // CreateKey + 34 records: four pages

            LookupEventsPoller first = poller(ingest, config, emulator);
            first.stopAfter(PAGE + 4); // inside the second page
            IngestSummary before = first.poll();
            first.close();
            calls(kms, keyId, 3); // made while no poller runs

            LookupEventsPoller second = poller(ingest, config, emulator);
            IngestSummary resumed = second.poll(); // finishes the interrupted poll
            IngestSummary next = second.poll();    // a new poll: the calls made meanwhile
            second.close();

            List<String> expected = kmsEventIds(emitted);
            List<String> arrived = kafkaEventIds(kafka.bootstrapServers(), ingest.topics().kmsEvents().name());
            assertThat(expected).hasSize(1 + 2 * 17 + 2 * 3);
            assertThat(before.produced()).isEqualTo(PAGE + 4);
            assertThat(before.produced() + resumed.produced() + next.produced()).isEqualTo(expected.size());
            assertThat(arrived).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    private static void calls(KmsClient kms, String keyId, int n) {
        for (int i = 0; i < n; i++) {
            SdkBytes blob = kms.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("lookup-e2e")))
                    .ciphertextBlob();
            kms.decrypt(r -> r.ciphertextBlob(blob));
        }
    }

    /** A poller as a fresh process builds it: checkpoints read back from Kafka, its own producer. */
    private static LookupEventsPoller poller(IngestConfig ingest, LookupConfig config, KmsEmulator emulator) {
        CloudTrailClient cloudTrail = CloudTrailClient.builder().endpointOverride(emulator.endpoint())
                .region(Region.of(REGION)).credentialsProvider(ADMIN).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        CheckpointStore checkpoints = CheckpointStore.load(ingest.kafka(), ingest.checkpointTopicName());
        EventPublisher publisher = new EventPublisher(ingest.kafka(), ingest.topics(), ingest.checkpointTopicName(),
                new IngestMetrics("lookup"));
        return new LookupEventsPoller(EmulatorConfig.DEFAULT_ACCOUNT, REGION, cloudTrail, config, publisher,
                checkpoints);
    }

    private static List<String> kmsEventIds(List<CloudTrailEvent> emitted) {
        synchronized (emitted) {
            return emitted.stream().filter(CloudTrailEvent::isKms)
                    .filter(e -> EmulatorConfig.DEFAULT_ACCOUNT.equals(e.recipientAccountId()))
                    .map(CloudTrailEvent::eventId).toList();
        }
    }

    private static List<String> kafkaEventIds(String bootstrap, String topic) {
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    ids.add(new String(r.headers().lastHeader(Topics.HEADER_EVENT_ID).value(), StandardCharsets.UTF_8));
                }
            }
        }
        return ids;
    }
}
