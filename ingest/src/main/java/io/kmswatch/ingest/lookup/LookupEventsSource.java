package io.kmswatch.ingest.lookup;

import io.kmswatch.ingest.CheckpointStore;
import io.kmswatch.ingest.EventPublisher;
import io.kmswatch.ingest.IngestException;
import io.kmswatch.ingest.IngestSource;
import io.kmswatch.ingest.IngestSummary;
import io.kmswatch.ingest.internal.AwsClients;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClientBuilder;

/**
 * Runs one {@link LookupEventsPoller} per configured account and region, each on its own thread,
 * polling every {@code pollInterval} until stopped. A poller whose CloudTrail calls fail (access
 * denied, endpoint down) logs the error and tries again at its next interval; a failed send to Kafka
 * stops the whole source with an {@link IngestException}.
 */
public final class LookupEventsSource implements IngestSource {
    private static final Logger LOG = LoggerFactory.getLogger(LookupEventsSource.class);
    /** Checkpoint key prefix. */
    public static final String ID = "lookup";

    private final LookupConfig config;
    private final List<LookupEventsPoller> pollers = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final EventPublisher publisher;

    public LookupEventsSource(LookupConfig config, EventPublisher publisher, CheckpointStore checkpoints) {
        this.config = config;
        this.publisher = publisher;
        for (LookupAccountConfig account : config.accounts()) {
            for (String region : config.regionsOf(account)) {
                pollers.add(new LookupEventsPoller(account.id(), region, client(config, account, region), config,
                        publisher, checkpoints));
            }
        }
    }

    /** A CloudTrail client for one account-region; SDK retries off, the poller does its own. */
    public static CloudTrailClient client(LookupConfig config, LookupAccountConfig account, String region) {
        Region r = Region.of(region);
        CloudTrailClientBuilder b = CloudTrailClient.builder()
                .region(r)
                .credentialsProvider(AwsClients.credentials(config.profileOf(account), account.assumeRoleArn(),
                        account.externalId(), r))
                .httpClientBuilder(AwsClients.http())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (config.endpointUrl() != null) {
            b.endpointOverride(URI.create(config.endpointUrl()));
        }
        return b.build();
    }

    @Override
    public String id() {
        return ID;
    }

    public List<LookupEventsPoller> pollers() {
        return List.copyOf(pollers);
    }

    @Override
    public void stop() {
        stopped.countDown();
        pollers.forEach(LookupEventsPoller::stop);
    }

    @Override
    public IngestSummary run() {
        long started = System.nanoTime();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        AtomicReference<IngestSummary> total = new AtomicReference<>(
                new IngestSummary(0, 0, 0, 0, 0, 0, 0, Duration.ZERO));
        AtomicInteger n = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(pollers.size(), r -> {
            Thread t = new Thread(r, "kmswatch-lookup-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            for (LookupEventsPoller poller : pollers) {
                threads.execute(() -> {
                    while (!poller.isStopped() && stopped.getCount() > 0) {
                        try {
                            IngestSummary s = poller.poll();
                            total.accumulateAndGet(s, IngestSummary::plus);
                        } catch (IngestException e) {
                            failure.compareAndSet(null, e);
                            stop();
                            return;
                        } catch (SdkException e) {
                            LOG.error("lookup {}: LookupEvents failed, next try in {}: {}", poller.name(),
                                    config.pollInterval(), e.getMessage());
                        } catch (RuntimeException e) {
                            LOG.error("lookup {}: poll failed, next try in {}", poller.name(), config.pollInterval(), e);
                        }
                        try {
                            if (stopped.await(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                                return;
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                });
            }
            threads.shutdown();
            while (!threads.awaitTermination(1, TimeUnit.SECONDS)) {
                // pollers stop at the next record boundary after stop()
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        } finally {
            threads.shutdownNow();
            pollers.forEach(LookupEventsPoller::close);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        publisher.flush();
        IngestSummary s = total.get();
        return new IngestSummary(s.files(), s.filesSkipped(), s.records(), s.produced(), s.rejected(), s.filtered(),
                s.duplicates(), Duration.ofNanos(System.nanoTime() - started));
    }
}
