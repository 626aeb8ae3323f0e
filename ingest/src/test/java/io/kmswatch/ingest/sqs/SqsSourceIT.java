package io.kmswatch.ingest.sqs;

import static io.kmswatch.ingest.LogFixtures.ec2;
import static io.kmswatch.ingest.LogFixtures.gzip;
import static io.kmswatch.ingest.LogFixtures.kms;
import static io.kmswatch.ingest.LogFixtures.records;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.events.MotoServer;
import io.kmswatch.events.Topics;
import io.kmswatch.ingest.IngestConfig;
import io.kmswatch.ingest.IngestService;
import io.kmswatch.ingest.KafkaRecords;
import io.kmswatch.ingest.LogFixtures;
import io.kmswatch.ingest.SourcesConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The SQS source against moto_server's SQS, SNS and S3: every message shape AWS sends, raw and through
 * SNS, with S3 bucket notifications made by the S3 server itself; an unreadable message among good
 * ones; a {@code kill -9} of the ingest process mid-batch.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class SqsSourceIT {
    private static final Instant T = Instant.parse("2026-03-02T08:00:00Z");
    private static MotoServer moto;
    private static SqsClient sqs;
    private static SnsClient sns;
    private static S3Client s3;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
        StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIATEST", "x"));
        sqs = SqsClient.builder().endpointOverride(URI.create(moto.url())).region(Region.US_EAST_1)
                .credentialsProvider(creds).build();
        sns = SnsClient.builder().endpointOverride(URI.create(moto.url())).region(Region.US_EAST_1)
                .credentialsProvider(creds).build();
        s3 = S3Client.builder().endpointOverride(URI.create(moto.url())).region(Region.US_EAST_1)
                .credentialsProvider(creds).forcePathStyle(true).build();
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            sqs.close();
            sns.close();
            s3.close();
            moto.close();
        }
    }

    private static String queue(String name) {
        return sqs.createQueue(r -> r.queueName(name)).queueUrl();
    }

    private static String queueArn(String url) {
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** An SNS topic whose messages reach the queue wrapped in the SNS envelope (raw delivery off). */
    private static String topicInto(String queueUrl) {
        String topic = sns.createTopic(r -> r.name("t-" + UUID.randomUUID().toString().substring(0, 8))).topicArn();
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(queueArn(queueUrl)));
        return topic;
    }

    private static String bucket(String prefix) {
        String b = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(r -> r.bucket(b));
        return b;
    }

    private static void send(String queueUrl, String body) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
    }

    private static String deliveryKey(String region, int n) {
        return LogFixtures.deliveryKey("111122223333", region, T.plusSeconds(300L * n),
                String.format("K%015d", n));
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(100)).until(condition::getAsBoolean);
    }

    private static double counter(SimpleMeterRegistry registry, String name) {
        FunctionCounter c = registry.find(name).functionCounter();
        return c == null ? 0 : c.count();
    }

    @Test
    void shouldReadEveryShapeRawAndThroughSnsAndRejectTheOneBadMessage(EmbeddedKafkaBroker kafka) throws Exception {
        String queueUrl = queue("kms-" + UUID.randomUUID().toString().substring(0, 8));
        String topic = topicInto(queueUrl);
        Set<String> expected = new HashSet<>();

        // EventBridge "AWS API Call via CloudTrail", raw and through SNS
        String ebRaw = kms("eb-raw", T);
        send(queueUrl, SqsMessageTest.eventBridge(ebRaw));
        sns.publish(r -> r.topicArn(topic).message(SqsMessageTest.eventBridge(kms("eb-sns", T.plusSeconds(1)))));
        expected.addAll(List.of("eb-raw", "eb-sns"));

        // S3 event notifications made by the S3 server: straight to the queue, and through SNS
        String direct = bucket("trail-direct");
        s3.putBucketNotificationConfiguration(r -> r.bucket(direct).notificationConfiguration(n -> n
                .queueConfigurations(q -> q.queueArn(queueArn(queueUrl)).events(Event.S3_OBJECT_CREATED))));
        s3.putObject(r -> r.bucket(direct).key(deliveryKey("us-east-1", 1)),
                RequestBody.fromBytes(gzip(records(List.of(kms("s3-0", T), kms("s3-1", T), ec2("s3-ec2", T))))));
        s3.putObject(r -> r.bucket(direct).key("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/02/"
                + "111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20260302T080000Z.json.gz"),
                RequestBody.fromBytes(gzip("{\"digestStartTime\":\"2026-03-02T07:00:00Z\"}")));
        expected.addAll(List.of("s3-0", "s3-1"));
        String viaSns = bucket("trail-sns");
        s3.putBucketNotificationConfiguration(r -> r.bucket(viaSns).notificationConfiguration(n -> n
                .topicConfigurations(t -> t.topicArn(topic).events(Event.S3_OBJECT_CREATED))));
        // a key with a space and '=' arrives URL-encoded in the notification
        String spaced = "AWSLogs/o-abc123def4/111122223333/CloudTrail/eu-west-1/2026/03/02/with space=1.json.gz";
        s3.putObject(r -> r.bucket(viaSns).key(spaced),
                RequestBody.fromBytes(gzip(records(List.of(kms("sns-s3-0", T), kms("sns-s3-1", T))))));
        expected.addAll(List.of("sns-s3-0", "sns-s3-1"));

        // CloudTrail's own notification, raw (a queue subscribed with raw delivery) and through SNS
        String plain = bucket("trail-plain");
        s3.putObject(r -> r.bucket(plain).key(deliveryKey("us-east-2", 2)),
                RequestBody.fromBytes(gzip(records(List.of(kms("ct-raw-0", T), kms("ct-raw-1", T))))));
        s3.putObject(r -> r.bucket(plain).key(deliveryKey("us-east-2", 3)),
                RequestBody.fromBytes(gzip(records(List.of(kms("ct-sns-0", T))))));
        send(queueUrl, "{\"s3Bucket\":\"" + plain + "\",\"s3ObjectKey\":[\"" + deliveryKey("us-east-2", 2) + "\"]}");
        sns.publish(r -> r.topicArn(topic).message("{\"s3Bucket\":\"" + plain + "\",\"s3ObjectKey\":[\""
                + deliveryKey("us-east-2", 3) + "\"]}"));
        expected.addAll(List.of("ct-raw-0", "ct-raw-1", "ct-sns-0"));

        // one message that cannot be read, among the good ones
        send(queueUrl, "{\"greeting\":\"not an event\"}");

        String prefix = KafkaRecords.uniquePrefix();
        SqsConfig sqsConfig = SqsConfig.of(queueUrl).withWaitTime(Duration.ofSeconds(1));
        IngestConfig config = new IngestConfig(prefix, null, null, 2, null, KafkaRecords.kafka(kafka.bootstrapServers()),
                SourcesConfig.sqs(sqsConfig));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (IngestService service = IngestService.start(config, Map.of(), registry)) {
            await("the queue to be drained", Duration.ofSeconds(60), () ->
                    counter(registry, "kmswatch.ingest.sqs.records.produced") >= expected.size()
                            && counter(registry, "kmswatch.ingest.sqs.messages.rejected") >= 1
                            && counter(registry, "kmswatch.ingest.sqs.messages.deleted")
                            >= counter(registry, "kmswatch.ingest.sqs.messages.received"));
        }

        List<ConsumerRecord<String, byte[]>> events = KafkaRecords.readAll(kafka.bootstrapServers(),
                config.topics().kmsEvents().name());
        assertThat(events).extracting(r -> KafkaRecords.header(r, Topics.HEADER_EVENT_ID))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(events).allSatisfy(r -> assertThat(KafkaRecords.header(r, Topics.HEADER_SOURCE)).isEqualTo("sqs"));
        // the EventBridge detail, byte for byte
        assertThat(events).filteredOn(r -> "eb-raw".equals(KafkaRecords.header(r, Topics.HEADER_EVENT_ID)))
                .singleElement().satisfies(r -> assertThat(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo(ebRaw));
        List<ConsumerRecord<String, byte[]>> rejected = KafkaRecords.readAll(kafka.bootstrapServers(),
                config.topics().kmsEventsRejected().name());
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.key()).startsWith("sqs://" + queueUrl.substring(queueUrl.lastIndexOf('/') + 1) + "/");
            assertThat(KafkaRecords.header(r, Topics.HEADER_REASON)).contains("not an EventBridge event");
            assertThat(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).contains("not an event");
        });
        // every message deleted: the S3 test events count as ignored, the digest as skipped
        assertThat(counter(registry, "kmswatch.ingest.sqs.messages.ignored")).isGreaterThanOrEqualTo(2);
        assertThat(counter(registry, "kmswatch.ingest.sqs.objects.skipped")).isEqualTo(1);
        assertThat(sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(1)).messages()).isEmpty();
    }

    @Test
    void shouldKeepALargeFileHiddenWhileItIsReadSoItIsReadOnce(EmbeddedKafkaBroker kafka) throws Exception {
        String queueUrl = queue("large-" + UUID.randomUUID().toString().substring(0, 8));
        String trail = bucket("trail-large");
        int records = 300_000;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.Writer w = new java.io.OutputStreamWriter(new java.util.zip.GZIPOutputStream(bytes),
                java.nio.charset.StandardCharsets.UTF_8)) {
            String template = kms("big-0", T);
            w.write("{\"Records\":[");
            for (int i = 0; i < records; i++) {
                w.write(i > 0 ? "," : "");
                w.write(template.replace("\"eventID\":\"big-0\"", "\"eventID\":\"big-" + i + "\""));
            }
            w.write("]}");
        }
        s3.putObject(r -> r.bucket(trail).key(deliveryKey("us-east-1", 99)), RequestBody.fromBytes(bytes.toByteArray()));
        send(queueUrl, "{\"s3Bucket\":\"" + trail + "\",\"s3ObjectKey\":[\"" + deliveryKey("us-east-1", 99) + "\"]}");

        // a 2-second visibility timeout: reading 300,000 records takes longer, so without the extensions the
        // queue would hand the message out again mid-read
        IngestConfig config = new IngestConfig(KafkaRecords.uniquePrefix(), null, null, 2, null,
                KafkaRecords.kafka(kafka.bootstrapServers()), SourcesConfig.sqs(SqsConfig.of(queueUrl)
                .withWaitTime(Duration.ofSeconds(1)).withVisibilityTimeout(Duration.ofSeconds(2))));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (IngestService service = IngestService.start(config, Map.of(), registry)) {
            await("the file to be read and its message deleted", Duration.ofSeconds(180),
                    () -> counter(registry, "kmswatch.ingest.sqs.messages.deleted") >= 1);
            // the queue is empty: no second delivery is waiting either
            assertThat(sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(3)).messages()).isEmpty();
        }
        assertThat(counter(registry, "kmswatch.ingest.sqs.visibility.extensions")).isPositive();
        assertThat(counter(registry, "kmswatch.ingest.sqs.messages.received")).isEqualTo(1);
        assertThat(counter(registry, "kmswatch.ingest.sqs.records.produced")).isEqualTo(records);
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> c = new org.apache.kafka.clients.consumer
                .KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            String topic = config.topics().kmsEvents().name();
            List<org.apache.kafka.common.TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            assertThat(c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum())
                    .as("records on kms-events: each once").isEqualTo(records);
        }
    }

    @Test
    @Tag("system") // the ingest process is a child JVM, killed with SIGKILL
    void shouldLoseNothingWhenTheIngestProcessIsKilledMidBatch(EmbeddedKafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        String queueUrl = queue("crash-" + UUID.randomUUID().toString().substring(0, 8));
        String trail = bucket("trail-crash");
        s3.putBucketNotificationConfiguration(r -> r.bucket(trail).notificationConfiguration(n -> n
                .queueConfigurations(q -> q.queueArn(queueArn(queueUrl)).events(Event.S3_OBJECT_CREATED))));
        Set<String> expected = new HashSet<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            expected.add("m-" + i);
            bodies.add(SqsMessageTest.eventBridge(kms("m-" + i, T.plusSeconds(i))));
        }
        for (int from = 0; from < bodies.size(); from += 10) {
            List<String> chunk = bodies.subList(from, from + 10);
            sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(IntStream.range(0, chunk.size())
                    .mapToObj(i -> software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder()
                            .id("e" + i).messageBody(chunk.get(i)).build()).toList()));
        }
        for (int f = 0; f < 5; f++) {
            int file = f;
            List<String> recs = IntStream.range(0, 400).mapToObj(i -> kms("f-" + file + "-" + i,
                    T.plusSeconds(1000L * file + i))).toList();
            recs.forEach(r -> expected.add("f-" + file + "-" + recs.indexOf(r)));
            s3.putObject(r -> r.bucket(trail).key(deliveryKey("us-east-1", 10 + file)),
                    RequestBody.fromBytes(gzip(records(recs))));
        }
        String prefix = KafkaRecords.uniquePrefix();

        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Daws.accessKeyId=AKIAINGESTTEST000000", "-Daws.secretAccessKey=not-a-secret",
                "-cp", System.getProperty("java.class.path"), CrashingSqsIngest.class.getName(),
                kafka.bootstrapServers(), prefix, queueUrl, "150")
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        boolean ended = child.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            child.destroyForcibly();
        }
        assertThat(ended).as("child ingest ended: " + Files.readString(dir.resolve("child.log"))).isTrue();
        assertThat(child.exitValue()).as("child halted mid-queue, see " + Files.readString(dir.resolve("child.log")))
                .isEqualTo(CrashingSqsIngest.HALT_STATUS);

        IngestConfig config = new IngestConfig(prefix, null, null, 2, null, KafkaRecords.kafka(kafka.bootstrapServers()),
                SourcesConfig.sqs(SqsConfig.of(queueUrl).withWaitTime(Duration.ofSeconds(1))
                        .withVisibilityTimeout(Duration.ofSeconds(2))));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String events = config.topics().kmsEvents().name();
        try (IngestService service = IngestService.start(config, Map.of(), registry)) {
            // what the killed process received and never deleted becomes visible again after 2 s
            await("every record after the restart", Duration.ofSeconds(120), () -> {
                long queued = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes().values()
                        .stream().mapToLong(Long::parseLong).sum();
                return queued == 0;
            });
        }
        List<String> arrived = KafkaRecords.readAll(kafka.bootstrapServers(), events).stream()
                .map(r -> KafkaRecords.header(r, Topics.HEADER_EVENT_ID)).toList();
        assertThat(new HashSet<>(arrived)).as("every record, once duplicates are dropped by eventID")
                .isEqualTo(expected);
        assertThat(counter(registry, "kmswatch.ingest.sqs.records.produced"))
                .as("the restarted ingest read what the killed one left, not everything again")
                .isLessThanOrEqualTo(expected.size() - 140);
    }
}
