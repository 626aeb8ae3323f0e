package io.kmswatch.emulator.delivery;

import io.kmswatch.emulator.trail.S3TrailWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Puts every trail file the emulator rolls into an S3 bucket at the key a trail gives it
 * ({@code [prefix/]AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<file>.json.gz}), so the bucket's event
 * notifications (to SQS, directly or through SNS) announce it as they would a real trail's delivery.
 * Uploads run on one background thread in the order the files were written; a failed upload is retried
 * three times and then logged.
 */
public final class TrailBucketDelivery implements S3TrailWriter.FileListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrailBucketDelivery.class);

    private final String bucket;
    private final String prefix;
    private final S3Client s3;
    private final ExecutorService uploads = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kms-emulator-trail-upload");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong uploaded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private TrailBucketDelivery(String bucket, String prefix, S3Client s3) {
        this.bucket = bucket;
        this.prefix = prefix;
        this.s3 = s3;
    }

    /**
     * @param target   {@code s3://BUCKET} or {@code s3://BUCKET/PREFIX}
     * @param endpoint an S3 endpoint (moto_server, MinIO) or null for AWS
     * @param region   the bucket's region
     */
    public static TrailBucketDelivery start(String target, String endpoint, String region) {
        URI u = URI.create(target);
        if (!"s3".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("'" + target + "' is not s3://BUCKET or s3://BUCKET/PREFIX");
        }
        String p = u.getPath() == null ? "" : u.getPath().replaceAll("^/+", "");
        if (!p.isEmpty() && !p.endsWith("/")) {
            p = p + "/";
        }
        S3ClientBuilder b = S3Client.builder().region(Region.of(region)).credentialsProvider(AwsTarget.credentials())
                .httpClientBuilder(Apache5HttpClient.builder())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (endpoint != null) {
            b.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        return new TrailBucketDelivery(u.getHost(), p, b.build());
    }

    @Override
    public void onFile(String key, Path file) {
        uploads.execute(() -> upload(prefix + key, file));
    }

    private void upload(String key, Path file) {
        for (int attempt = 1; ; attempt++) {
            try {
                s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromFile(file));
                uploaded.incrementAndGet();
                return;
            } catch (SdkException e) {
                if (attempt >= 3) {
                    failed.incrementAndGet();
                    LOG.warn("trail delivery: cannot put s3://{}/{}: {}", bucket, key, e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(200L << attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Files put into the bucket. */
    public long uploaded() {
        return uploaded.get();
    }

    /** Uploads what is pending (for up to 30 s), then stops. */
    @Override
    public void close() {
        uploads.shutdown();
        try {
            if (!uploads.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("trail delivery: uploads to s3://{} still pending at stop", bucket);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        s3.close();
    }

    @Override
    public String toString() {
        return "trail delivery to s3://" + bucket + "/" + prefix;
    }
}
