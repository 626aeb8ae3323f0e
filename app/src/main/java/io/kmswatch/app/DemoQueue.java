package io.kmswatch.app;

import io.kmswatch.emulator.EmulatorConfig;
import java.net.URI;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The queue of {@code demo --source sqs}: created on a local SQS service (moto_server) for this run. */
final class DemoQueue {
    private DemoQueue() {
    }

    /**
     * Creates a queue named {@code kmswatch-demo-…} and returns its URL. When no AWS credentials are set, the
     * process uses the emulator's default admin credentials for its SQS clients (a local service takes any).
     *
     * @throws IllegalStateException when the service cannot be reached
     */
    static String create(String endpoint) {
        if (System.getenv("AWS_ACCESS_KEY_ID") == null && System.getProperty("aws.accessKeyId") == null) {
            System.setProperty("aws.accessKeyId", EmulatorConfig.DEFAULT_ACCESS_KEY_ID);
            System.setProperty("aws.secretAccessKey", EmulatorConfig.DEFAULT_SECRET_ACCESS_KEY);
        }
        String name = "kmswatch-demo-" + UUID.randomUUID().toString().substring(0, 8);
        try (SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            return sqs.createQueue(r -> r.queueName(name)).queueUrl();
        } catch (SdkException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot create a queue on " + endpoint + " (is moto_server running there?): "
                    + e.getMessage(), e);
        }
    }
}
