package io.kmswatch.app;

import io.kmswatch.emulator.EmulatorConfig;
import io.kmswatch.emulator.KmsEmulator;
import io.kmswatch.emulator.delivery.EventBridgeQueueDelivery;
import io.kmswatch.emulator.delivery.TrailBucketDelivery;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kmswatch emulator}: the KMS + CloudTrail emulator as a server, until Ctrl-C. */
@Command(name = "emulator", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run the KMS + CloudTrail emulator: the real KMS wire protocol (AWS CLI, boto3 and the SDKs",
            "work with --endpoint-url), envelope cryptography, key policies and grants, and a CloudTrail record",
            "for every call (LookupEvents on the same port, S3-layout log files, an NDJSON audit log)."})
final class EmulatorCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", description = "Port (default 4599; 0 picks a free one).")
    Integer port;

    @Option(names = "--bind", description = "Address to bind (default 127.0.0.1; anything else exposes the emulator and is warned about).")
    String bind;

    @Option(names = "--config", description = "YAML file with accounts, IAM users and roles, access keys, identity policies.")
    Path config;

    @Option(names = "--data-dir", description = "Keep keys, aliases, policies, grants and tags here across restarts (journal with fsync).")
    Path dataDir;

    @Option(names = "--audit-log", description = "Also append every CloudTrail record to this file, one per line.")
    Path auditLog;

    @Option(names = "--trail-dir", description = "Write S3-layout gzip CloudTrail log files under this directory.")
    Path trailDir;

    @Option(names = "--eventbridge-queue", paramLabel = "URL",
            description = "Send every CloudTrail record to this SQS queue as an EventBridge rule does (\"AWS API Call"
                    + " via CloudTrail\" events); a queue URL whose host is not AWS's names its own endpoint.")
    String eventBridgeQueue;

    @Option(names = "--trail-bucket", paramLabel = "s3://BUCKET[/PREFIX]",
            description = "Put each rolled trail file into this bucket at the key a trail gives it (point the bucket's"
                    + " notifications at a queue); implies trail files (in --trail-dir, else a temporary directory).")
    String trailBucket;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3 endpoint for --trail-bucket (moto_server,"
            + " MinIO); default AWS.")
    String s3Endpoint;

    @Option(names = "--clock-start", description = "Emulator time at start (ISO-8601, e.g. 2024-03-01T00:00:00Z).")
    Instant clockStart;

    @Option(names = "--clock-speed", description = "Emulator seconds per real second (e.g. 60: an hour per minute).")
    Double clockSpeed;

    @Override
    public Integer call() throws InterruptedException, java.io.IOException {
        EmulatorConfig c = config == null ? EmulatorConfig.defaults() : EmulatorConfig.load(config);
        if (port != null) {
            c = c.withPort(port);
        }
        if (bind != null) {
            c = c.withBind(bind);
        }
        if (dataDir != null) {
            c = c.withDataDir(dataDir);
        }
        if (auditLog != null) {
            c = c.withAuditLog(auditLog);
        }
        if (trailDir != null) {
            c = c.withTrailDir(trailDir);
        } else if (trailBucket != null) {
            c = c.withTrailDir(java.nio.file.Files.createTempDirectory("kmswatch-trail-"));
        }
        if (clockStart != null || clockSpeed != null) {
            c = c.withClock(clockStart != null ? clockStart : c.clockStart(), clockSpeed != null ? clockSpeed : c.clockSpeed());
        }
        KmsEmulator emulator = KmsEmulator.start(c);
        EventBridgeQueueDelivery events = null;
        TrailBucketDelivery files = null;
        try {
            if (eventBridgeQueue != null) {
                events = EventBridgeQueueDelivery.start(eventBridgeQueue, c.region());
                emulator.addListener(events);
            }
            if (trailBucket != null) {
                files = TrailBucketDelivery.start(trailBucket, s3Endpoint, c.region());
                emulator.addTrailFileListener(files);
            }
        } catch (IllegalArgumentException e) {
            emulator.close();
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        EventBridgeQueueDelivery eventsDelivery = events;
        TrailBucketDelivery filesDelivery = files;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close(); // writes the pending trail files, which the bucket delivery then uploads
            if (eventsDelivery != null) {
                eventsDelivery.close();
            }
            if (filesDelivery != null) {
                filesDelivery.close();
            }
            stopped.countDown();
        }, "kmswatch-emulator-stop"));
        System.out.println("KMS emulator listening on " + emulator.endpoint());
        if (eventBridgeQueue != null) {
            System.out.println("  EventBridge events to " + eventBridgeQueue);
        }
        if (trailBucket != null) {
            System.out.println("  trail files to " + trailBucket + " every " + c.trailRollMinutes()
                    + " emulator minute(s)");
        }
        if (config == null) {
            System.out.println("  default account " + EmulatorConfig.DEFAULT_ACCOUNT + ", IAM user admin:");
            System.out.println("    export AWS_ACCESS_KEY_ID=" + EmulatorConfig.DEFAULT_ACCESS_KEY_ID);
            // The secret is AWS's documented example secret (README); secrets are never printed or logged.
            System.out.println("    export AWS_SECRET_ACCESS_KEY=<the AWS documentation example secret, see README>");
            System.out.println("    export AWS_REGION=" + c.region());
            System.out.println("  aws kms create-key --endpoint-url " + emulator.endpoint());
        }
        if (dataDir != null) {
            System.out.println("  data dir: " + dataDir);
        }
        System.out.println("Press Ctrl-C to stop.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
