package io.kmswatch.ingest.sqs;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One queue of the SQS source.
 *
 * @param queueUrl      the queue URL, as {@code aws sqs get-queue-url} prints it; required
 * @param region        the queue's region; default: read from an AWS queue URL
 *                      ({@code https://sqs.REGION.amazonaws.com/…}), else {@code us-east-1}
 * @param endpoint      endpoint override; default: none for an AWS queue URL, and the URL's own
 *                      scheme, host and port for any other host (moto_server, LocalStack, ElasticMQ),
 *                      so {@code http://127.0.0.1:PORT/123456789012/q} needs nothing else
 * @param s3EndpointUrl where the S3 objects that notifications announce are read; default: AWS for an
 *                      AWS queue, else the queue's endpoint (local stand-ins serve S3 on the same port)
 * @param profile       named profile, or null for the default chain
 * @param assumeRoleArn role to assume for receiving, deleting and reading, or null
 */
public record SqsQueueConfig(String queueUrl, String region, String endpoint, String s3EndpointUrl,
                             String profile, String assumeRoleArn) {
    private static final Pattern AWS_HOST = Pattern.compile(
            "(?:sqs\\.([a-z0-9-]+)|([a-z0-9-]+)\\.queue)\\.amazonaws\\.com(?:\\.cn)?");

    public SqsQueueConfig {
        if (queueUrl == null || queueUrl.isBlank()) {
            throw new IllegalArgumentException("sources.sqs.queues[].queueUrl is required");
        }
        URI u = uri(queueUrl, "queueUrl");
        if (u.getPath() == null || u.getPath().split("/").length < 3) {
            throw new IllegalArgumentException("sources.sqs.queues[].queueUrl '" + queueUrl
                    + "' is not a queue URL like https://sqs.us-east-1.amazonaws.com/111122223333/kms-events");
        }
        Matcher m = AWS_HOST.matcher(u.getHost().toLowerCase(Locale.ROOT));
        boolean aws = m.matches();
        if (region == null) {
            region = aws ? (m.group(1) != null ? m.group(1) : m.group(2)) : "us-east-1";
        }
        if (endpoint == null && !aws) {
            endpoint = u.getScheme() + "://" + u.getAuthority();
        }
        if (endpoint != null) {
            uri(endpoint, "endpoint");
        }
        if (s3EndpointUrl == null && !aws) {
            s3EndpointUrl = endpoint;
        }
        if (s3EndpointUrl != null) {
            uri(s3EndpointUrl, "s3EndpointUrl");
        }
    }

    /** A queue URL with every other setting defaulted. */
    public static SqsQueueConfig of(String queueUrl) {
        return new SqsQueueConfig(queueUrl, null, null, null, null, null);
    }

    /** The queue's name: the last segment of its URL. */
    public String name() {
        String p = URI.create(queueUrl).getPath();
        return p.substring(p.lastIndexOf('/') + 1);
    }

    private static URI uri(String value, String key) {
        URI u;
        try {
            u = URI.create(value);
        } catch (IllegalArgumentException e) {
            u = null;
        }
        if (u == null || u.getScheme() == null || u.getHost() == null) {
            throw new IllegalArgumentException("sources.sqs.queues[]." + key + " '" + value + "' is not a URL");
        }
        return u;
    }
}
