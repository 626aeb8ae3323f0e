package io.kmswatch.ingest.lookup;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The CloudTrail LookupEvents poller: which accounts and regions, how to reach them, how often to
 * poll and how far back each poll looks. YAML key {@code sources.lookup}.
 *
 * <p>CloudTrail allows 2 LookupEvents requests per second per account and region and cannot raise
 * it (CloudTrail User Guide, "Quotas in AWS CloudTrail"), hence the cap on
 * {@code requestsPerSecond}. Event history is delivered late (minutes), so each poll re-reads the
 * last {@code lookBack} and drops what it already sent by eventID.
 *
 * @param accounts          accounts to poll; empty: one account with the default credentials chain
 * @param regions           regions polled for accounts that name none; default {@code [us-east-1]}
 * @param profile           default named profile for accounts that name none, or null
 * @param endpointUrl       endpoint override (the emulator), or null for AWS
 * @param lookBack          overlap re-read on each poll for late delivery; default 15 minutes
 * @param initialLookBack   how far back the very first poll (no checkpoint) starts; default 15 minutes
 * @param pollInterval      pause between polls of one account-region; default 1 minute
 * @param requestsPerSecond request rate per account-region, at most 2 (the AWS limit); default 2
 * @param maxResults        page size, 1..50; default 50
 * @param dedupCapacity     eventIDs remembered per account-region for the overlap; default 10000
 */
public record LookupConfig(List<LookupAccountConfig> accounts, List<String> regions, String profile,
                           String endpointUrl, Duration lookBack, Duration initialLookBack,
                           Duration pollInterval, Double requestsPerSecond, Integer maxResults,
                           Integer dedupCapacity) {
    /** CloudTrail's fixed LookupEvents quota per account and region. */
    public static final double MAX_REQUESTS_PER_SECOND = 2.0;

    public LookupConfig {
        accounts = accounts == null || accounts.isEmpty() ? List.of(LookupAccountConfig.defaultAccount())
                : List.copyOf(accounts);
        regions = regions == null || regions.isEmpty() ? List.of("us-east-1") : List.copyOf(regions);
        for (String r : regions) {
            if (!r.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("sources.lookup.regions: '" + r + "' is not a region name");
            }
        }
        if (endpointUrl != null) {
            try {
                URI u = URI.create(endpointUrl);
                if (u.getScheme() == null || u.getHost() == null) {
                    throw new IllegalArgumentException("no scheme or host");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sources.lookup.endpointUrl '" + endpointUrl
                        + "' is not a URL like http://localhost:4599");
            }
        }
        lookBack = lookBack == null ? Duration.ofMinutes(15) : lookBack;
        initialLookBack = initialLookBack == null ? Duration.ofMinutes(15) : initialLookBack;
        pollInterval = pollInterval == null ? Duration.ofMinutes(1) : pollInterval;
        requestsPerSecond = requestsPerSecond == null ? MAX_REQUESTS_PER_SECOND : requestsPerSecond;
        maxResults = maxResults == null ? 50 : maxResults;
        dedupCapacity = dedupCapacity == null ? 10_000 : dedupCapacity;
        if (lookBack.isNegative() || initialLookBack.isNegative()) {
            throw new IllegalArgumentException("sources.lookup.lookBack and initialLookBack must not be negative");
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("sources.lookup.pollInterval must be positive, got " + pollInterval);
        }
        if (!(requestsPerSecond > 0) || requestsPerSecond > MAX_REQUESTS_PER_SECOND) {
            throw new IllegalArgumentException("sources.lookup.requestsPerSecond must be in (0, 2]: CloudTrail allows 2"
                    + " LookupEvents requests per second per account and region; got " + requestsPerSecond);
        }
        if (maxResults < 1 || maxResults > 50) {
            throw new IllegalArgumentException("sources.lookup.maxResults must be 1..50, got " + maxResults);
        }
        if (dedupCapacity < 100) {
            throw new IllegalArgumentException("sources.lookup.dedupCapacity must be at least 100, got " + dedupCapacity);
        }
        long ids = accounts.stream().map(LookupAccountConfig::id).distinct().count();
        if (ids != accounts.size()) {
            throw new IllegalArgumentException("sources.lookup.accounts: two accounts have the same id; give each its own id");
        }
    }

    /** The defaults, polling the default account in us-east-1. */
    public static LookupConfig defaults() {
        return new LookupConfig(null, null, null, null, null, null, null, null, null, null);
    }

    /** A copy with another endpoint (for {@code --endpoint-url}). */
    public LookupConfig withEndpointUrl(String url) {
        return new LookupConfig(accounts, regions, profile, url, lookBack, initialLookBack, pollInterval,
                requestsPerSecond, maxResults, dedupCapacity);
    }

    /** The regions polled for one account. */
    public List<String> regionsOf(LookupAccountConfig account) {
        return account.regions().isEmpty() ? regions : account.regions();
    }

    /** The profile used for one account, or null for the default chain. */
    public String profileOf(LookupAccountConfig account) {
        return account.profile() != null ? account.profile() : profile;
    }
}
