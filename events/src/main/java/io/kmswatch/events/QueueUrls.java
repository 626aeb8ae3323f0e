package io.kmswatch.events;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an SQS queue URL says about where the queue is: an AWS queue URL
 * ({@code https://sqs.REGION.amazonaws.com/ACCOUNT/NAME}, or the legacy {@code REGION.queue.amazonaws.com})
 * names its region; any other host (moto_server, LocalStack, ElasticMQ) names its own endpoint. Shared by
 * the SQS source, which reads queues, and the emulator, which delivers to them.
 */
public final class QueueUrls {
    private static final Pattern AWS_HOST = Pattern.compile(
            "(?:sqs\\.([a-z0-9-]+)|([a-z0-9-]+)\\.queue)\\.amazonaws\\.com(?:\\.cn)?");

    private QueueUrls() {
    }

    /**
     * @throws IllegalArgumentException when the text is not a queue URL (scheme, host, account and name)
     */
    public static URI parse(String queueUrl) {
        URI u;
        try {
            u = URI.create(queueUrl);
        } catch (IllegalArgumentException e) {
            u = null;
        }
        if (u == null || u.getScheme() == null || u.getHost() == null || u.getPath() == null
                || u.getPath().split("/").length < 3) {
            throw new IllegalArgumentException("'" + queueUrl + "' is not a queue URL like"
                    + " https://sqs.us-east-1.amazonaws.com/111122223333/kms-events");
        }
        return u;
    }

    /** The region an AWS queue URL names, or null for any other host. */
    public static String awsRegion(URI queueUrl) {
        Matcher m = AWS_HOST.matcher(queueUrl.getHost().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    /** {@code scheme://host:port} of a queue URL that is not AWS's, or null for an AWS queue. */
    public static String ownEndpoint(URI queueUrl) {
        return awsRegion(queueUrl) != null ? null : queueUrl.getScheme() + "://" + queueUrl.getAuthority();
    }
}
