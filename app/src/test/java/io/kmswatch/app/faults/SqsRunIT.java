package io.kmswatch.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.broker.EmbeddedKafkaBroker;
import io.kmswatch.broker.EmbeddedKafkaExtension;
import io.kmswatch.emulator.EmulatorConfig;
import io.kmswatch.events.MotoServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The real-time route as an organisation runs it, without an account: {@code kmswatch emulator
 * --eventbridge-queue} sends every CloudTrail record to an SQS queue on moto_server as an EventBridge rule
 * would, {@code kmswatch run --config} reads only that queue, and an {@code aws kms disable-key} made with
 * the AWS CLI raises the {@code key-disabled} alert on the JSONL sink.
 */
@Tag("system")
@ExtendWith(EmbeddedKafkaExtension.class)
class SqsRunIT {
    private static final Map<String, String> AWS_ENV = Map.of(
            "AWS_ACCESS_KEY_ID", EmulatorConfig.DEFAULT_ACCESS_KEY_ID,
            "AWS_SECRET_ACCESS_KEY", EmulatorConfig.DEFAULT_SECRET_ACCESS_KEY,
            "AWS_REGION", "us-east-1",
            "AWS_DEFAULT_REGION", "us-east-1",
            "AWS_PAGER", "");

    @Test
    void shouldRaiseKeyDisabledFromAnEventBridgeQueueFedByTheEmulator(EmbeddedKafkaBroker kafka, @TempDir Path dir)
            throws Exception {
        Path logs = KmswatchProcess.logDir(SqsRunIT.class, "eventbridge");
        try (MotoServer moto = MotoServer.start();
             SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(moto.url())).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIATEST", "x")))
                     .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
            String queueUrl = sqs.createQueue(r -> r.queueName("kms-" + UUID.randomUUID().toString().substring(0, 8)))
                    .queueUrl();
            Path alerts = dir.resolve("alerts.jsonl");
            String sections = "sources:\n"
                    + "  sqs:\n"
                    + "    queues: [{queueUrl: " + ProcessConfig.quote(queueUrl) + "}]\n"
                    + "alerts:\n"
                    + "  defaultSinks: [file]\n"
                    + "  sinks:\n"
                    + "    file: {type: jsonl, path: " + ProcessConfig.quote(alerts.toString()) + "}\n";
            Path config = ProcessConfig.write(dir, "run", kafka.bootstrapServers(),
                    "sqs-" + UUID.randomUUID().toString().substring(0, 8) + ".", sections, Map.of());
            int port = freePort();
            String endpoint = "http://127.0.0.1:" + port;
            try (KmswatchProcess emulator = KmswatchProcess.start("emulator", logs, AWS_ENV,
                    List.of("emulator", "--port", Integer.toString(port), "--eventbridge-queue", queueUrl));
                 KmswatchProcess run = KmswatchProcess.start("run", logs, AWS_ENV,
                         List.of("run", "--config", config.toString()))) {
                emulator.awaitOutput("KMS emulator listening on", Duration.ofSeconds(60));
                run.awaitOutput("sqs source: reading", Duration.ofSeconds(120));

                String keyArn = aws(dir, "kms", "create-key", "--endpoint-url", endpoint, "--query", "KeyMetadata.Arn",
                        "--output", "text").trim();
                assertThat(keyArn).startsWith("arn:aws:kms:us-east-1:");
                aws(dir, "kms", "disable-key", "--endpoint-url", endpoint, "--key-id", keyArn);

                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                String found = null;
                while (found == null && System.nanoTime() < deadline) {
                    if (Files.exists(alerts)) {
                        found = Files.readAllLines(alerts, StandardCharsets.UTF_8).stream()
                                .filter(l -> l.contains("\"key-disabled\"") && l.contains(keyArn)).findFirst().orElse(null);
                    }
                    if (found == null) {
                        assertThat(run.isAlive()).as("run is running; log:\n" + run.tail(40)).isTrue();
                        TimeUnit.MILLISECONDS.sleep(200);
                    }
                }
                assertThat(found).as("key-disabled alert for " + keyArn + " on the JSONL sink; run log:\n"
                        + run.tail(60) + "\nemulator log:\n" + emulator.tail(20)).isNotNull();
                assertThat(found).contains("aws kms enable-key");
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Runs the AWS CLI with the emulator's default credentials; returns its stdout. */
    private static String aws(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("aws");
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "aws-", ".out");
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        b.environment().putAll(AWS_ENV);
        Process p = b.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("aws " + String.join(" ", args) + " ended").isTrue();
        String text = Files.readString(out);
        assertThat(p.exitValue()).as("aws " + String.join(" ", args) + ": " + text).isZero();
        return text;
    }
}
