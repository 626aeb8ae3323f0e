package io.kmswatch.ingest.lookup;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.MalformedEventException;
import io.kmswatch.events.Rejected;
import io.kmswatch.ingest.CheckpointStore;
import io.kmswatch.ingest.EventPublisher;
import io.kmswatch.ingest.IngestMetrics;
import io.kmswatch.ingest.IngestSummary;
import io.kmswatch.ingest.internal.CheckpointJson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

/**
 * Polls CloudTrail event history (LookupEvents) of one account and region for
 * {@code EventSource = kms.amazonaws.com} and sends the records to {@code kms-events}.
 *
 * <p>One {@link #poll()} reads everything from {@code newest − lookBack} on (newest first, as the
 * API returns it, paging with NextToken and repeating the other parameters exactly), drops eventIDs
 * already sent (the overlap absorbs CloudTrail's late delivery), and ends by moving {@code newest}.
 * EndTime is not sent: the service's own "now" bounds the poll, so a server whose clock runs ahead
 * (the emulator's accelerated clock) is read completely. After every page the producer is flushed
 * and the checkpoint ({@link LookupCheckpoint}) saved; {@link #stop()} between two records of a page
 * saves the position inside the page, so a restart neither re-sends nor misses. A crash (no stop)
 * re-sends at most the page in hand, which downstream drops by eventID.
 *
 * <p>Requests go through a {@link RateLimiter} (at most 2/s per account-region, CloudTrail's quota)
 * and back off exponentially on ThrottlingException. Not thread-safe: one thread polls it.
 */
public final class LookupEventsPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LookupEventsPoller.class);
    static final String EVENT_SOURCE = "kms.amazonaws.com";
    private static final int MAX_ERROR_ATTEMPTS = 5;
    private static final long MAX_BACKOFF_MILLIS = 20_000;

    private final String account;
    private final String region;
    private final CloudTrailClient client;
    private final LookupConfig config;
    private final EventPublisher publisher;
    private final CheckpointStore checkpoints;
    private final RateLimiter limiter;
    private final Clock clock;
    private final IngestMetrics metrics;
    private volatile boolean stopped;
    private volatile long stopAfterRecords = Long.MAX_VALUE;
    private long handled;

    /**
     * @param account the account label (checkpoint key and logs)
     * @param client  a client for the account's credentials, region and endpoint; closed by {@link #close()}
     */
    public LookupEventsPoller(String account, String region, CloudTrailClient client, LookupConfig config,
                              EventPublisher publisher, CheckpointStore checkpoints) {
        this(account, region, client, config, publisher, checkpoints, Clock.systemUTC());
    }

    LookupEventsPoller(String account, String region, CloudTrailClient client, LookupConfig config,
                       EventPublisher publisher, CheckpointStore checkpoints, Clock clock) {
        this.account = account;
        this.region = region;
        this.client = client;
        this.config = config;
        this.publisher = publisher;
        this.checkpoints = checkpoints;
        this.limiter = new RateLimiter(config.requestsPerSecond());
        this.clock = clock;
        this.metrics = publisher.metrics();
    }

    /** The checkpoint key, {@code lookup:<account>/<region>}. */
    public String checkpointKey() {
        return LookupEventsSource.ID + ":" + account + "/" + region;
    }

    public String name() {
        return account + "/" + region;
    }

    /** Stops at the next record boundary; the checkpoint then resumes inside the page. */
    public void stop() {
        stopped = true;
    }

    /**
     * Stops, as {@link #stop()} does, once this poller has handled {@code records} records: a bounded
     * run, and how tests restart a poller at an exact place inside a page.
     */
    public void stopAfter(long records) {
        stopAfterRecords = records;
    }

    /** The meters this poller counts on (shared with the other pollers of the source). */
    public IngestMetrics metrics() {
        return metrics;
    }

    public boolean isStopped() {
        return stopped;
    }

    /** The saved checkpoint, or an empty one. */
    public LookupCheckpoint checkpoint() {
        String key = checkpointKey();
        return checkpoints.get(key).map(v -> CheckpointJson.read(key, v, LookupCheckpoint.class))
                .orElse(new LookupCheckpoint(null, null, null));
    }

    /**
     * Runs one poll to its end (or to {@link #stop()}).
     *
     * @return what it did
     * @throws io.kmswatch.ingest.IngestException when a send to Kafka failed after retries
     * @throws software.amazon.awssdk.core.exception.SdkException when CloudTrail keeps failing or
     *         refuses the request (access denied…); the checkpoint keeps the position
     */
    public IngestSummary poll() {
        long started = System.nanoTime();
        long produced0 = metrics.produced();
        long duplicates0 = metrics.duplicates();
        long records = 0;
        long rejected = 0;
        LookupCheckpoint cp = checkpoint();
        EventIdWindow seen = new EventIdWindow(config.dedupCapacity(), cp.seen());
        LookupCheckpoint.Cycle cycle = cp.cycle();
        if (cycle == null) {
            Instant start = cp.newest() != null ? cp.newest().minus(config.lookBack())
                    : clock.instant().minus(config.initialLookBack());
            cycle = new LookupCheckpoint.Cycle(start.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                    config.maxResults(), null, 0, null);
        } else {
            LOG.info("lookup {}: resuming the poll from {} at record {} of the {} page", name(), cycle.start(),
                    cycle.index(), cycle.token() == null ? "first" : "saved NextToken's");
        }
        String token = cycle.token();
        int index = cycle.index();
        Instant cycleNewest = cycle.newest();
        try {
            while (true) {
                LookupEventsResponse page;
                try {
                    page = call(cycle.start(), cycle.maxResults(), token);
                } catch (InvalidNextTokenException e) {
                    // an expired or foreign token: read the poll again from its first page; the
                    // eventIDs already sent are in `seen`, so nothing goes twice
                    LOG.warn("lookup {}: NextToken refused ({}); restarting the poll from its first page", name(),
                            e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
                    token = null;
                    index = 0;
                    continue;
                }
                if (page == null) { // stopped while waiting
                    save(cp.newest(), seen, new LookupCheckpoint.Cycle(cycle.start(), cycle.maxResults(), token,
                            index, cycleNewest));
                    break;
                }
                List<Event> events = page.events();
                for (int i = index; i < events.size(); i++) {
                    if (stopped || handled >= stopAfterRecords) {
                        stopped = true;
                        publisher.flush();
                        save(cp.newest(), seen, new LookupCheckpoint.Cycle(cycle.start(), cycle.maxResults(), token,
                                i, cycleNewest));
                        publisher.flush(); // the checkpoint too: whoever reads the topic next starts from it
                        return summary(started, records, rejected, produced0, duplicates0);
                    }
                    handled++;
                    records++;
                    Event e = events.get(i);
                    CloudTrailEvent event;
                    try {
                        event = CloudTrailEvent.parse(e.cloudTrailEvent() == null ? "" : e.cloudTrailEvent());
                    } catch (MalformedEventException ex) {
                        rejected++;
                        publisher.reject(new Rejected("lookup:" + name() + ":event " + e.eventId(),
                                "unreadable CloudTrailEvent in LookupEvents: " + ex.getMessage(),
                                e.cloudTrailEvent() == null ? null
                                        : e.cloudTrailEvent().getBytes(StandardCharsets.UTF_8)), null);
                        continue;
                    }
                    if (seen.contains(event.eventId())) {
                        metrics.recordDuplicate();
                        continue;
                    }
                    publisher.publish(event, "lookup:" + name() + ":event " + event.eventId(), null);
                    seen.add(event.eventId(), event.eventTime().getEpochSecond());
                    if (cycleNewest == null || event.eventTime().isAfter(cycleNewest)) {
                        cycleNewest = event.eventTime();
                    }
                }
                token = page.nextToken();
                index = 0;
                publisher.flush();
                if (token == null || token.isEmpty()) {
                    Instant newest = cp.newest();
                    if (cycleNewest != null && (newest == null || cycleNewest.isAfter(newest))) {
                        newest = cycleNewest;
                    }
                    if (newest != null) {
                        seen.prune(newest.minus(config.lookBack()).getEpochSecond());
                    }
                    save(newest, seen, null);
                    break;
                }
                save(cp.newest(), seen, new LookupCheckpoint.Cycle(cycle.start(), cycle.maxResults(), token, 0,
                        cycleNewest));
            }
            // the poll's last checkpoint is acknowledged before it returns, so a poller that loads the
            // checkpoint topic next (another process, a restart) starts where this one ended
            publisher.flush();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
        return summary(started, records, rejected, produced0, duplicates0);
    }

    private IngestSummary summary(long started, long records, long rejected, long produced0, long duplicates0) {
        return new IngestSummary(0, 0, records, metrics.produced() - produced0, rejected, 0,
                metrics.duplicates() - duplicates0, Duration.ofNanos(System.nanoTime() - started));
    }

    private void save(Instant newest, EventIdWindow seen, LookupCheckpoint.Cycle cycle) {
        checkpoints.save(publisher, checkpointKey(),
                CheckpointJson.write(new LookupCheckpoint(newest, seen.snapshot(), cycle)));
    }

    /** One LookupEvents request, rate-limited, retried on throttling and transient errors; null when stopped. */
    private LookupEventsResponse call(Instant start, int maxResults, String token) throws InterruptedException {
        LookupEventsRequest request = LookupEventsRequest.builder()
                .lookupAttributes(LookupAttribute.builder().attributeKey(LookupAttributeKey.EVENT_SOURCE)
                        .attributeValue(EVENT_SOURCE).build())
                .startTime(start)
                .maxResults(maxResults)
                .nextToken(token)
                .build();
        int errors = 0;
        for (int attempt = 0; ; attempt++) {
            if (stopped) {
                return null;
            }
            limiter.acquire();
            try {
                LookupEventsResponse response = client.lookupEvents(request);
                metrics.recordLookupCall("success");
                return response;
            } catch (InvalidNextTokenException e) {
                metrics.recordLookupCall("error");
                throw e;
            } catch (AwsServiceException e) {
                if (isThrottling(e)) {
                    metrics.recordLookupCall("throttled");
                    long backoff = backoffMillis(attempt);
                    LOG.debug("lookup {}: throttled, backing off {} ms", name(), backoff);
                    limiter.backOff(TimeUnit.MILLISECONDS.toNanos(backoff));
                    continue;
                }
                metrics.recordLookupCall("error");
                if (e.statusCode() < 500 || ++errors >= MAX_ERROR_ATTEMPTS) {
                    throw e;
                }
                LOG.warn("lookup {}: {} (attempt {}), retrying", name(), e.getMessage(), errors);
                Thread.sleep(backoffMillis(errors));
            } catch (SdkClientException e) {
                metrics.recordLookupCall("error");
                if (++errors >= MAX_ERROR_ATTEMPTS) {
                    throw e;
                }
                LOG.warn("lookup {}: {} (attempt {}), retrying", name(), e.getMessage(), errors);
                Thread.sleep(backoffMillis(errors));
            }
        }
    }

    private static boolean isThrottling(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return e.isThrottlingException() || "ThrottlingException".equals(code) || e.statusCode() == 429;
    }

    /** Exponential with full jitter: 250 ms × 2^attempt, at most 20 s. */
    static long backoffMillis(int attempt) {
        long cap = Math.min(MAX_BACKOFF_MILLIS, 250L << Math.min(attempt, 16));
        return cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
    }

    @Override
    public void close() {
        client.close();
    }
}
