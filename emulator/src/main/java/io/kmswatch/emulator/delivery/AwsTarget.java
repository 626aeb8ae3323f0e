package io.kmswatch.emulator.delivery;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Where the emulator delivers: an AWS service endpoint, or a local stand-in (moto_server, LocalStack)
 * named by its URL. A queue URL whose host is not an AWS one names its own endpoint.
 */
final class AwsTarget {
    private static final Pattern AWS_SQS_HOST = Pattern.compile("sqs\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?");

    private AwsTarget() {
    }

    /** The endpoint to override for a queue URL, or null for an AWS queue. */
    static URI queueEndpoint(URI queueUrl) {
        if (queueUrl.getScheme() == null || queueUrl.getHost() == null || queueUrl.getPath() == null
                || queueUrl.getPath().split("/").length < 3) {
            throw new IllegalArgumentException("'" + queueUrl + "' is not a queue URL like"
                    + " https://sqs.us-east-1.amazonaws.com/111122223333/kms-events");
        }
        if (AWS_SQS_HOST.matcher(queueUrl.getHost().toLowerCase(Locale.ROOT)).matches()) {
            return null;
        }
        return URI.create(queueUrl.getScheme() + "://" + queueUrl.getAuthority());
    }

    /** The region of an AWS queue URL, else {@code fallback}. */
    static String queueRegion(URI queueUrl, String fallback) {
        Matcher m = AWS_SQS_HOST.matcher(queueUrl.getHost().toLowerCase(Locale.ROOT));
        return m.matches() ? m.group(1) : fallback;
    }

    /** The default credentials chain: a local stand-in accepts any credentials the chain finds. */
    static AwsCredentialsProvider credentials() {
        return DefaultCredentialsProvider.builder().build();
    }
}
