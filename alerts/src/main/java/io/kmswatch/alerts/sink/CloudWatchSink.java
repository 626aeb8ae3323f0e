package io.kmswatch.alerts.sink;

import io.kmswatch.alerts.AlertDeliveryException;
import io.kmswatch.events.Alert;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClientBuilder;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * AWS CloudWatch {@code PutMetricData}: one datum per alert update, value 1, unit Count, timestamp
 * the delivery time (CloudWatch refuses data older than two weeks, and a replay's events are
 * older), metric {@value #FIRED} for firing updates and {@value #RESOLVED} for resolves, dimensions
 * {@code Detection} and {@code Severity} (bounded: never the key or the alert id, which would make
 * a billed metric per alert). PutMetricData is not idempotent; the delivery loop drops repeats it
 * has already delivered in this process.
 */
public final class CloudWatchSink implements AlertSink {
    /** Metric of firing alert updates (new and escalated). */
    public static final String FIRED = "AlertsFired";
    /** Metric of resolved alerts. */
    public static final String RESOLVED = "AlertsResolved";

    private final String name;
    private final CloudWatchClient client;
    private final String namespace;
    private final Clock clock;

    /** @param client owned (closed) by this sink */
    public CloudWatchSink(String name, CloudWatchClient client, String namespace, Clock clock) {
        this.name = name;
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
    }

    /**
     * A client for the configuration with the default credential chain.
     *
     * @throws IllegalArgumentException when no region is configured or found by the SDK
     */
    public static CloudWatchClient client(SinkConfig.CloudWatch config, Duration timeout) {
        return client(config, timeout, DefaultCredentialsProvider.builder().build());
    }

    /**
     * A client with the given credentials: the small URLConnection HTTP client, the endpoint
     * override if any, and no SDK retries (the delivery loop retries, with backoff and a dead-letter).
     *
     * @throws IllegalArgumentException when no region is configured or found by the SDK
     */
    public static CloudWatchClient client(SinkConfig.CloudWatch config, Duration timeout,
                                          AwsCredentialsProvider credentials) {
        CloudWatchClientBuilder b = CloudWatchClient.builder()
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(timeout)
                        .socketTimeout(timeout))
                .overrideConfiguration(o -> o.apiCallTimeout(timeout).retryStrategy(r -> r.maxAttempts(1)));
        if (config.region() != null) {
            b.region(Region.of(config.region()));
        }
        if (config.endpoint() != null) {
            b.endpointOverride(config.endpoint());
        }
        try {
            return b.build();
        } catch (SdkClientException e) {
            throw new IllegalArgumentException("cloudwatch sink: " + e.getMessage()
                    + " (set region under the sink's settings)", e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Alert alert) {
        MetricDatum datum = MetricDatum.builder()
                .metricName(alert.firing() ? FIRED : RESOLVED)
                .dimensions(Dimension.builder().name("Detection").value(alert.detection()).build(),
                        Dimension.builder().name("Severity").value(alert.severity().label()).build())
                .value(1.0)
                .unit(StandardUnit.COUNT)
                .timestamp(clock.instant())
                .build();
        try {
            client.putMetricData(r -> r.namespace(namespace).metricData(datum));
        } catch (SdkServiceException e) {
            boolean retryable = e.isThrottlingException() || e.statusCode() >= 500 || e.statusCode() == 408;
            String code = e instanceof AwsServiceException ae && ae.awsErrorDetails() != null
                    ? ae.awsErrorDetails().errorCode() : e.getMessage();
            throw new AlertDeliveryException(name + ": CloudWatch " + e.statusCode() + " " + code
                    + (retryable ? "" : " (permanent)"), retryable, e);
        } catch (SdkException e) {
            throw new AlertDeliveryException(name + ": " + e.getMessage(), true, e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
