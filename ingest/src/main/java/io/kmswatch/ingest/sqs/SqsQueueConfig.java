package io.kmswatch.ingest.sqs;

import io.kmswatch.events.QueueUrls;
import java.net.URI;

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
    public SqsQueueConfig {
        if (queueUrl == null || queueUrl.isBlank()) {
            throw new IllegalArgumentException("sources.sqs.queues[].queueUrl is required");
        }
        URI u;
        try {
            u = QueueUrls.parse(queueUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sources.sqs.queues[].queueUrl: " + e.getMessage(), e);
        }
        boolean aws = QueueUrls.awsRegion(u) != null;
        if (region == null) {
            region = aws ? QueueUrls.awsRegion(u) : "us-east-1";
        }
        if (endpoint == null) {
            endpoint = QueueUrls.ownEndpoint(u);
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
