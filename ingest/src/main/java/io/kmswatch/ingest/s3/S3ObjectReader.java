package io.kmswatch.ingest.s3;

import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.events.Rejected;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Streams one CloudTrail log file from S3 (GetObject) through the codec into a codec sink.
 * Used by the bucket-listing source and by the SQS source for the objects an S3 or CloudTrail
 * notification announces. An object S3 refuses for good (4xx but 429) is rejected with its reason; a
 * transient failure (5xx, 429, network) is retried a few times and then reported, so the caller can
 * read the object again later (the next listing pass, or the queue's redelivery).
 */
public final class S3ObjectReader {
    private static final Logger LOG = LoggerFactory.getLogger(S3ObjectReader.class);
    private static final int GET_ATTEMPTS = 3;

    /** What became of one object. */
    public enum Outcome {
        /** Read to the end (its bad records, if any, rejected with reasons). */
        READ,
        /** Refused for good by S3 (rejected with the reason) or gone: nothing more to do. */
        REFUSED,
        /** Not read for a transient reason; reading it again later may work. */
        TRANSIENT
    }

    private final S3Client s3;
    private final CloudTrailCodec codec;
    private final BooleanSupplier stopped;

    /**
     * @param stopped when it turns true, retries end early (the object is reported transient)
     */
    public S3ObjectReader(S3Client s3, CloudTrailCodec codec, BooleanSupplier stopped) {
        this.s3 = s3;
        this.codec = codec;
        this.stopped = stopped;
    }

    /** Reads {@code s3://bucket/key} into {@code sink}; a transient outcome sent nothing. */
    public Outcome read(String bucket, String key, CloudTrailCodec.Sink sink) {
        String location = "s3://" + bucket + "/" + key;
        for (int attempt = 1; ; attempt++) {
            try (InputStream in = s3.getObject(r -> r.bucket(bucket).key(key))) {
                codec.read(in, location, sink);
                return Outcome.READ;
            } catch (NoSuchKeyException e) {
                LOG.warn("s3: {} does not exist (deleted since it was listed or announced); skipped", location);
                return Outcome.REFUSED;
            } catch (S3Exception e) {
                if (e.statusCode() >= 400 && e.statusCode() < 500 && e.statusCode() != 429) {
                    sink.rejected(new Rejected(location, "cannot read S3 object: " + e.statusCode() + " "
                            + (e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorCode()), null));
                    return Outcome.REFUSED;
                }
                if (!retry(location, attempt, e)) {
                    return Outcome.TRANSIENT;
                }
            } catch (SdkException | IOException e) {
                if (!retry(location, attempt, e)) {
                    return Outcome.TRANSIENT;
                }
            }
        }
    }

    private boolean retry(String location, int attempt, Exception e) {
        if (attempt >= GET_ATTEMPTS || stopped.getAsBoolean()) {
            LOG.error("s3: cannot read {} after {} attempts, read again later: {}", location, attempt, e.getMessage());
            return false;
        }
        try {
            Thread.sleep(200L << attempt);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }
}
