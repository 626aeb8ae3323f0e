package io.kmswatch.emulator.delivery;

import io.kmswatch.events.QueueUrls;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Where the emulator delivers: an AWS service endpoint, or a local stand-in (moto_server, LocalStack)
 * named by its URL ({@link QueueUrls}: a queue URL whose host is not an AWS one names its own endpoint).
 */
final class AwsTarget {
    private AwsTarget() {
    }

    /** The endpoint to override for a queue URL, or null for an AWS queue. */
    static URI queueEndpoint(URI queueUrl) {
        String own = QueueUrls.ownEndpoint(QueueUrls.parse(queueUrl.toString()));
        return own == null ? null : URI.create(own);
    }

    /** The region of an AWS queue URL, else {@code fallback}. */
    static String queueRegion(URI queueUrl, String fallback) {
        String region = QueueUrls.awsRegion(queueUrl);
        return region != null ? region : fallback;
    }

    /** The default credentials chain: a local stand-in accepts any credentials the chain finds. */
    static AwsCredentialsProvider credentials() {
        return DefaultCredentialsProvider.builder().build();
    }
}
