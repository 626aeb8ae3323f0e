package io.kmswatch.bench;

import com.sun.net.httpserver.HttpServer;
import io.kmswatch.alerts.AlertsApp;
import io.kmswatch.alerts.AlertsAppSettings;
import io.kmswatch.alerts.AlertsConfig;
import io.kmswatch.emulator.EmulatorConfig;
import io.kmswatch.emulator.KmsEmulator;
import io.kmswatch.emulator.delivery.EventBridgeQueueDelivery;
import io.kmswatch.emulator.delivery.TrailBucketDelivery;
import io.kmswatch.events.config.ConfigYaml;
import io.kmswatch.ingest.IngestConfig;
import io.kmswatch.ingest.IngestService;
import io.kmswatch.ingest.SourcesConfig;
import io.kmswatch.ingest.feed.EmulatorFeed;
import io.kmswatch.ingest.lookup.LookupAccountConfig;
import io.kmswatch.ingest.lookup.LookupConfig;
import io.kmswatch.ingest.s3.S3Config;
import io.kmswatch.ingest.sqs.SqsConfig;
import io.kmswatch.streams.DetectApp;
import io.kmswatch.streams.DetectionsConfig;
import io.kmswatch.streams.StreamsMetrics;
import io.kmswatch.streams.StreamsSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Time from a KMS call to its alert at a sink, through each way events reach kmswatch: the whole
 * product in one process (emulator, the source, {@code kms-events}, the detections exactly-once, the
 * alert manager, a webhook sink whose receiver notes the arrival). Each sample is an {@code DisableKey}
 * on a fresh key, timed from just before the call until the {@code key-disabled} alert for that key
 * reaches the receiver.
 *
 * <p>Routes: the emulator feed (in process); SQS fed as an EventBridge rule does; SQS fed by S3 event
 * notifications of the bucket the emulator's trail files are put into (one file per trail roll); S3
 * bucket listing (at its poll interval); LookupEvents (at its poll interval). The SQS and S3 routes run
 * against moto_server when it is on the PATH. What AWS adds on top of each route (EventBridge seconds,
 * trail files every ~5 minutes, LookupEvents 5–15 minutes) is not in these figures.
 */
public final class SourceLatencyBenchmark {
    /** The routes, as named in the JSON keys. */
    public static final List<String> ROUTES = List.of("emulatorFeed", "sqsEventBridge", "sqsS3Notification",
            "s3Listing", "lookupEvents");
    private static final String REGION = "us-east-1";
    private static final StaticCredentialsProvider ADMIN = StaticCredentialsProvider.create(
            AwsBasicCredentials.create(EmulatorConfig.DEFAULT_ACCESS_KEY_ID, EmulatorConfig.DEFAULT_SECRET_ACCESS_KEY));

    /** One route's figures; {@code percentiles} null when it could not run ({@code note} says why). */
    public record Result(String route, Percentiles percentiles, Duration interval, String note) {
    }

    private final String bootstrap;
    private final Path workDir;
    private final Random random = new Random(7);

    public SourceLatencyBenchmark(String bootstrap, Path workDir) {
        this.bootstrap = bootstrap;
        this.workDir = workDir;
    }

    /**
     * @param samples  calls per route
     * @param interval the poll interval of the listing and LookupEvents routes, and the trail roll of the
     *                 S3-notification route
     */
    public List<Result> run(int samples, Duration interval) {
        List<Result> out = new ArrayList<>();
        // every client the sources build takes the default chain: the emulator's admin credentials (which
        // moto_server, taking any, accepts too) — this benchmark never talks to AWS
        String id = System.getProperty("aws.accessKeyId");
        String secret = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.accessKeyId", EmulatorConfig.DEFAULT_ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", EmulatorConfig.DEFAULT_SECRET_ACCESS_KEY);
        MotoProcess moto = MotoProcess.startIfInstalled();
        try {
            for (String route : ROUTES) {
                boolean needsMoto = !route.equals("emulatorFeed") && !route.equals("lookupEvents");
                if (needsMoto && moto == null) {
                    out.add(new Result(route, null, null, "moto_server not on the PATH"));
                    continue;
                }
                out.add(route(route, samples, interval, moto));
            }
        } finally {
            if (moto != null) {
                moto.close();
            }
            restore("aws.accessKeyId", id);
            restore("aws.secretAccessKey", secret);
        }
        return out;
    }

    private Result route(String route, int samples, Duration interval, MotoProcess moto) {
        String prefix = "lat-" + route + "-" + UUID.randomUUID().toString().substring(0, 6) + ".";
        Path dir = workDir.resolve(prefix);
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        List<AutoCloseable> open = new ArrayList<>();
        try {
            HttpServer receiver = receiver(arrivals);
            open.add(() -> receiver.stop(0));
            boolean s3Route = route.equals("sqsS3Notification") || route.equals("s3Listing");
            EmulatorConfig ec = EmulatorConfig.defaults().withPort(0);
            if (s3Route) {
                // one emulator minute per trail file; the clock runs so that a file rolls every `interval`
                ec = ec.withTrailDir(Files.createDirectories(dir.resolve("trail"))).withTrailRollMinutes(1)
                        .withClock(java.time.Instant.now(), 60.0 / Math.max(1, interval.toSeconds()));
            }
            KmsEmulator emulator = KmsEmulator.start(ec);
            open.add(0, emulator);
            Map<String, String> kafka = Map.of("bootstrap.servers", bootstrap);
            IngestConfig ingest = new IngestConfig(prefix, null, true, 4, null, kafka, SourcesConfig.none());
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            SqsClient sqs = moto == null ? null : SqsClient.builder().endpointOverride(URI.create(moto.url()))
                    .region(Region.of(REGION)).httpClient(UrlConnectionHttpClient.create()).build();
            S3Client s3 = moto == null ? null : S3Client.builder().endpointOverride(URI.create(moto.url()))
                    .region(Region.of(REGION)).forcePathStyle(true).httpClient(UrlConnectionHttpClient.create()).build();
            if (sqs != null) {
                open.add(sqs);
                open.add(s3);
            }
            String name = prefix.replace(".", "").toLowerCase(java.util.Locale.ROOT);
            switch (route) {
                case "emulatorFeed" -> {
                    EmulatorFeed feed = IngestService.emulatorFeed(ingest, Map.of(), registry);
                    emulator.addListener(feed);
                    open.add(0, feed);
                }
                case "sqsEventBridge" -> {
                    String queueUrl = sqs.createQueue(r -> r.queueName(name)).queueUrl();
                    EventBridgeQueueDelivery delivery = EventBridgeQueueDelivery.start(queueUrl, REGION);
                    emulator.addListener(delivery);
                    open.add(0, delivery);
                    open.add(0, IngestService.start(ingest.withSources(SourcesConfig.sqs(SqsConfig.of(queueUrl))),
                            Map.of(), registry));
                }
                case "sqsS3Notification" -> {
                    String queueUrl = sqs.createQueue(r -> r.queueName(name)).queueUrl();
                    String arn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                            .attributes().get(QueueAttributeName.QUEUE_ARN);
                    s3.createBucket(r -> r.bucket(name));
                    s3.putBucketNotificationConfiguration(r -> r.bucket(name).notificationConfiguration(n -> n
                            .queueConfigurations(q -> q.queueArn(arn).events(Event.S3_OBJECT_CREATED))));
                    TrailBucketDelivery delivery = TrailBucketDelivery.start("s3://" + name, moto.url(), REGION);
                    emulator.addTrailFileListener(delivery);
                    open.add(0, delivery);
                    open.add(0, IngestService.start(ingest.withSources(SourcesConfig.sqs(SqsConfig.of(queueUrl))),
                            Map.of(), registry));
                }
                case "s3Listing" -> {
                    s3.createBucket(r -> r.bucket(name));
                    TrailBucketDelivery delivery = TrailBucketDelivery.start("s3://" + name, moto.url(), REGION);
                    emulator.addTrailFileListener(delivery);
                    open.add(0, delivery);
                    S3Config s3config = new S3Config(List.of(name), null, moto.url(), REGION, null, null, null, true,
                            interval);
                    open.add(0, IngestService.start(ingest.withSources(new SourcesConfig(null, null, s3config)),
                            Map.of(), registry));
                }
                case "lookupEvents" -> {
                    LookupConfig lookup = new LookupConfig(List.of(new LookupAccountConfig(EmulatorConfig.DEFAULT_ACCOUNT,
                            null, null, null, null)), List.of(REGION), null, emulator.endpoint().toString(),
                            Duration.ofMinutes(15), Duration.ofMinutes(15), interval, 2.0, 50, 10_000);
                    open.add(0, IngestService.start(ingest.withSources(new SourcesConfig(lookup, null, null)), Map.of(),
                            registry));
                }
                default -> throw new IllegalArgumentException(route);
            }
            DetectApp detect = new DetectApp(new StreamsSettings(bootstrap, prefix + "detect",
                    StreamsSettings.EXACTLY_ONCE_V2, null, null, dir.resolve("state-detect"), Map.of(), prefix, 4, 1),
                    DetectionsConfig.defaultConfig(), new StreamsMetrics());
            open.add(0, detect);
            detect.start();
            if (!detect.awaitRunning(Duration.ofSeconds(60))) {
                return new Result(route, null, interval, "the detections did not start");
            }
            AlertsConfig alerts = ConfigYaml.mapper().readValue("defaultSinks: [hook]\nsinks:\n  hook: {type: webhook, url: "
                    + "\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/\"}\n", AlertsConfig.class);
            AlertsAppSettings settings = AlertsAppSettings.of(bootstrap).withApplicationId(prefix + "alerts")
                    .withStateDir(dir.resolve("state-alerts")).withTopicPrefix(prefix);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                AlertsApp.createTopics(admin, settings.topics(), 4);
            }
            open.add(0, AlertsApp.start(settings, alerts, null));

            try (KmsClient kms = KmsClient.builder().endpointOverride(emulator.endpoint()).region(Region.of(REGION))
                    .credentialsProvider(ADMIN).httpClient(UrlConnectionHttpClient.create()).build()) {
                boolean polled = !route.equals("emulatorFeed") && !route.equals("sqsEventBridge");
                Duration timeout = polled ? interval.multipliedBy(3).plusSeconds(60) : Duration.ofSeconds(60);
                // one unmeasured call: the first alert pays for connections, class loading, the first transactions
                String warm = disable(kms);
                await(arrivals, List.of(warm), timeout);
                List<String> keys = new ArrayList<>();
                Map<String, Long> sent = new ConcurrentHashMap<>();
                for (int i = 0; i < samples; i++) {
                    String arn = kms.createKey().keyMetadata().arn();
                    // polled routes: spread the calls over the poll phase
                    Thread.sleep(polled ? random.nextInt((int) Math.max(1, interval.toMillis())) : 100 + random.nextInt(200));
                    sent.put(arn, System.nanoTime());
                    kms.disableKey(r -> r.keyId(arn));
                    keys.add(arn);
                }
                await(arrivals, keys, timeout);
                long[] nanos = keys.stream().filter(arrivals::containsKey)
                        .mapToLong(k -> arrivals.get(k) - sent.get(k)).toArray();
                if (nanos.length < keys.size()) {
                    return new Result(route, nanos.length == 0 ? null : Percentiles.ofNanos(nanos), interval,
                            (keys.size() - nanos.length) + " of " + keys.size() + " alerts did not arrive within " + timeout);
                }
                return new Result(route, Percentiles.ofNanos(nanos), polled ? interval : null, null);
            }
        } catch (IOException | RuntimeException e) {
            return new Result(route, null, interval, "failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(route, null, interval, "interrupted");
        } finally {
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception e) {
                    // the next route starts on fresh topics
                }
            }
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    private static String disable(KmsClient kms) {
        String arn = kms.createKey().keyMetadata().arn();
        kms.disableKey(r -> r.keyId(arn));
        return arn;
    }

    private static void await(Map<String, Long> arrivals, List<String> keys, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !arrivals.keySet().containsAll(keys)) {
            Thread.sleep(20);
        }
    }

    /** The webhook receiver: notes when the first alert naming each key ARN arrives. */
    static HttpServer receiver(Map<String, Long> arrivals) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            long now = System.nanoTime();
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (body.contains("key-disabled")) {
                java.util.regex.Matcher m = java.util.regex.Pattern
                        .compile("arn:aws:kms:[a-z0-9-]+:\\d{12}:key/[0-9a-f-]{36}").matcher(body);
                if (m.find()) {
                    arrivals.putIfAbsent(m.group(), now);
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return server;
    }
}
