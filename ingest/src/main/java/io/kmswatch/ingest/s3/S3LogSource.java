package io.kmswatch.ingest.s3;

import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.ingest.CheckpointStore;
import io.kmswatch.ingest.EventPublisher;
import io.kmswatch.ingest.IngestMetrics;
import io.kmswatch.ingest.IngestSource;
import io.kmswatch.ingest.IngestSummary;
import io.kmswatch.ingest.files.LogFiles;
import io.kmswatch.ingest.internal.AckCounter;
import io.kmswatch.ingest.internal.AwsClients;
import io.kmswatch.ingest.internal.CheckpointJson;
import io.kmswatch.ingest.internal.PublishingSink;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads CloudTrail log files from S3 buckets in the delivery layout
 * {@code <prefix>AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz}, including the
 * extra {@code AWSLogs/<o-org id>/<account>/…} level of organization trails (CloudTrail User Guide,
 * "Finding your CloudTrail log files"). Digest and Insight folders are never listed.
 *
 * <p>Each trail prefix (one account and region) is listed with ListObjectsV2 from its
 * {@link S3Checkpoint} ({@code StartAfter}); objects are streamed with GetObject into the codec. The
 * checkpoint moves past an object only when it and every object before it are completely
 * acknowledged by Kafka. An object that S3 refuses for good (403, 404) is rejected with its reason
 * and passed; a transient error (5xx, network) leaves the prefix for the next pass.
 */
public final class S3LogSource implements IngestSource {
    private static final Logger LOG = LoggerFactory.getLogger(S3LogSource.class);
    /** Checkpoint key prefix. */
    public static final String ID = "s3";
    private static final Duration COMMIT_EVERY = Duration.ofSeconds(1);

    private final S3Config config;
    private final S3Client s3;
    private final EventPublisher publisher;
    private final CheckpointStore checkpoints;
    private final IngestMetrics metrics;
    private final S3ObjectReader reader;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private long files;
    private long records;
    private long rejected;

    /** One listed object, in key order, and whether Kafka has everything read from it. */
    private record Pending(String key, AtomicBoolean done) {
    }

    public S3LogSource(S3Config config, EventPublisher publisher, CheckpointStore checkpoints, CloudTrailCodec codec) {
        this(config, client(config), publisher, checkpoints, codec);
    }

    public S3LogSource(S3Config config, S3Client s3, EventPublisher publisher, CheckpointStore checkpoints,
                       CloudTrailCodec codec) {
        this.config = config;
        this.s3 = s3;
        this.publisher = publisher;
        this.checkpoints = checkpoints;
        this.metrics = publisher.metrics();
        this.reader = new S3ObjectReader(s3, codec, this::isStopped);
    }

    /** The S3 client the configuration describes. */
    public static S3Client client(S3Config config) {
        Region region = Region.of(config.region());
        S3ClientBuilder b = S3Client.builder()
                .region(region)
                .credentialsProvider(AwsClients.credentials(config.profile(), config.assumeRoleArn(), null, region))
                .httpClientBuilder(AwsClients.http())
                .forcePathStyle(config.pathStyle())
                // only when the operation requires it: S3-compatible stores (moto, MinIO) differ on the
                // newer default checksums, and a read-only consumer gains nothing from them
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (config.endpointUrl() != null) {
            b.endpointOverride(URI.create(config.endpointUrl()));
        }
        return b.build();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void stop() {
        stopped.countDown();
    }

    private boolean isStopped() {
        return stopped.getCount() == 0;
    }

    @Override
    public IngestSummary run() {
        long started = System.nanoTime();
        long produced0 = metrics.produced();
        long filtered0 = metrics.filtered();
        try {
            while (!isStopped()) {
                for (String bucket : config.buckets()) {
                    for (String prefix : config.prefixes()) {
                        for (String trail : trailPrefixes(bucket, prefix)) {
                            if (isStopped()) {
                                break;
                            }
                            readTrailPrefix(bucket, trail);
                        }
                    }
                }
                if (!config.follow() || stopped.await(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.flush();
        return new IngestSummary(files, 0, records, metrics.produced() - produced0, rejected,
                metrics.filtered() - filtered0, 0, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * The {@code …/CloudTrail/<region>/} prefixes under {@code <prefix>AWSLogs/}: account folders,
     * and account folders inside organization ({@code o-…}) folders.
     */
    List<String> trailPrefixes(String bucket, String prefix) {
        List<String> out = new ArrayList<>();
        try {
            for (String top : childPrefixes(bucket, prefix + "AWSLogs/")) {
                String name = lastSegment(top);
                List<String> accounts = name.startsWith("o-") ? childPrefixes(bucket, top) : List.of(top);
                for (String account : accounts) {
                    out.addAll(childPrefixes(bucket, account + "CloudTrail/"));
                }
            }
        } catch (SdkException e) {
            LOG.error("s3 source: cannot list s3://{}/{}AWSLogs/: {}", bucket, prefix, e.getMessage());
        }
        return out;
    }

    private List<String> childPrefixes(String bucket, String prefix) {
        List<String> out = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Response page = s3.listObjectsV2(ListObjectsV2Request.builder().bucket(bucket)
                    .prefix(prefix).delimiter("/").continuationToken(token).build());
            for (CommonPrefix p : page.commonPrefixes()) {
                out.add(p.prefix());
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return out;
    }

    private static String lastSegment(String prefix) {
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    private static String key(String bucket, String trailPrefix) {
        return ID + ":" + bucket + "/" + trailPrefix;
    }

    private void readTrailPrefix(String bucket, String trail) {
        String ckKey = key(bucket, trail);
        String startAfter = checkpoints.get(ckKey).map(v -> CheckpointJson.read(ckKey, v, S3Checkpoint.class))
                .map(S3Checkpoint::startAfter).orElse(null);
        Deque<Pending> inFlight = new ArrayDeque<>();
        String committed = startAfter;
        String completedUpTo = startAfter;
        long lastCommit = System.nanoTime();
        String token = null;
        try {
            outer:
            do {
                ListObjectsV2Response page = s3.listObjectsV2(ListObjectsV2Request.builder().bucket(bucket)
                        .prefix(trail).startAfter(startAfter).continuationToken(token).build());
                for (S3Object o : page.contents()) {
                    if (isStopped()) {
                        break outer;
                    }
                    if (o.key().endsWith("/") || LogFiles.isDigestPath(o.key())) {
                        AtomicBoolean skip = new AtomicBoolean(true);
                        inFlight.add(new Pending(o.key(), skip));
                        continue;
                    }
                    AtomicBoolean done = new AtomicBoolean();
                    inFlight.add(new Pending(o.key(), done));
                    if (!readObject(bucket, o.key(), done)) {
                        inFlight.removeLast();
                        break outer; // transient failure: the next pass starts again from here
                    }
                    while (!inFlight.isEmpty() && inFlight.peekFirst().done().get()) {
                        completedUpTo = inFlight.pollFirst().key();
                    }
                    if (completedUpTo != null && !completedUpTo.equals(committed)
                            && System.nanoTime() - lastCommit > COMMIT_EVERY.toNanos()) {
                        checkpoints.save(publisher, ckKey, CheckpointJson.write(new S3Checkpoint(completedUpTo)));
                        committed = completedUpTo;
                        lastCommit = System.nanoTime();
                    }
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            LOG.error("s3 source: listing s3://{}/{} failed, retried on the next pass: {}", bucket, trail,
                    e.getMessage());
        }
        publisher.flush();
        while (!inFlight.isEmpty() && inFlight.peekFirst().done().get()) {
            completedUpTo = inFlight.pollFirst().key();
        }
        if (completedUpTo != null && !completedUpTo.equals(committed)) {
            checkpoints.save(publisher, ckKey, CheckpointJson.write(new S3Checkpoint(completedUpTo)));
        }
    }

    /** Reads one object into Kafka; false on a transient failure (nothing sent from it). */
    private boolean readObject(String bucket, String key, AtomicBoolean done) {
        AckCounter counter = new AckCounter(() -> {
            done.set(true);
            metrics.recordFileDone();
        });
        PublishingSink sink = new PublishingSink(publisher, counter);
        if (reader.read(bucket, key, sink) == S3ObjectReader.Outcome.TRANSIENT) {
            return false;
        }
        counter.readFinished();
        files++;
        records += sink.records();
        rejected += sink.rejected();
        return true;
    }
}
