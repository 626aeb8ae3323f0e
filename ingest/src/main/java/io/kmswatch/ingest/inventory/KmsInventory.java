package io.kmswatch.ingest.inventory;

import io.kmswatch.events.KeyArns;
import io.kmswatch.events.inventory.KeyGrant;
import io.kmswatch.events.inventory.KeySnapshot;
import io.kmswatch.ingest.IngestException;
import io.kmswatch.ingest.internal.AwsClients;
import io.kmswatch.ingest.lookup.LookupAccountConfig;
import io.kmswatch.ingest.lookup.LookupConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.GrantListEntry;
import software.amazon.awssdk.services.kms.model.KeyListEntry;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * Reads the key inventory from the KMS API, for every account and Region of {@code sources.lookup}
 * (same credentials, profiles, assume-role and endpoint as the LookupEvents source): {@code ListKeys},
 * one account-wide {@code ListAliases}, then per key {@code DescribeKey} and, for customer managed keys,
 * {@code GetKeyPolicy}, {@code GetKeyRotationStatus} (enabled or disabled symmetric keys with KMS-made
 * material only: the others cannot rotate automatically or are refused in their state), {@code ListGrants} and {@code ListResourceTags}; lists through
 * the SDK's paginators. Each HTTP attempt waits for the {@link QuotaLimiter} (a share of each
 * operation's request quota), and the SDK's adaptive retry strategy backs off further when KMS throttles.
 *
 * <p>A failed call of one key is recorded in that key's {@link KeySnapshot#errors()}; an account-Region
 * whose keys cannot be listed is recorded in {@link InventoryResult#failures()}; neither stops the read.
 */
public final class KmsInventory {
    private static final Logger LOG = LoggerFactory.getLogger(KmsInventory.class);

    private final LookupConfig targets;
    private final InventoryConfig config;
    private final Clock clock;
    private final AwsCredentialsProvider credentials;

    /**
     * @param targets accounts, Regions, credentials and endpoint (the LookupEvents settings)
     * @param clock   the time written as {@link KeySnapshot#snapshotTime()} (the emulator's clock in the demo)
     */
    public KmsInventory(LookupConfig targets, InventoryConfig config, Clock clock) {
        this(targets, config, clock, null);
    }

    /**
     * @param credentials used for every account instead of the configured profiles and roles (the demo's
     *                    emulator), or null
     */
    public KmsInventory(LookupConfig targets, InventoryConfig config, Clock clock, AwsCredentialsProvider credentials) {
        this.targets = targets;
        this.config = config;
        this.clock = clock;
        this.credentials = credentials;
    }

    /**
     * Reads every configured account and Region.
     *
     * @param progress a progress bar on stderr when it is a terminal
     */
    public InventoryResult read(boolean progress) {
        long start = System.nanoTime();
        List<KeySnapshot> keys = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Map<String, Long> requests = new HashMap<>();
        Map<String, Integer> peaks = new HashMap<>();
        boolean bar = progress && System.console() != null;
        for (LookupAccountConfig account : targets.accounts()) {
            for (String region : targets.regionsOf(account)) {
                QuotaLimiter limiter = new QuotaLimiter(config.quotaShare());
                RequestRecorder recorder = new RequestRecorder(limiter, System::nanoTime);
                try (KmsClient client = client(account, region, recorder)) {
                    keys.addAll(readRegion(client, account.id() + "/" + region, bar));
                } catch (SdkException e) {
                    LOG.error("inventory {}/{}: cannot list keys: {}", account.id(), region, e.getMessage());
                    failures.add(account.id() + "/" + region + ": " + e.getMessage());
                }
                recorder.totals().forEach((op, n) -> requests.merge(op, n, Long::sum));
                recorder.peaks().forEach((op, n) -> peaks.merge(op, n, Math::max));
            }
        }
        keys.sort(Comparator.comparing(KeySnapshot::accountId).thenComparing(KeySnapshot::region)
                .thenComparing(KeySnapshot::keyArn));
        return new InventoryResult(keys, failures, Duration.ofNanos(System.nanoTime() - start), requests, peaks);
    }

    private KmsClient client(LookupAccountConfig account, String region, RequestRecorder recorder) {
        Region r = Region.of(region);
        KmsClientBuilder b = KmsClient.builder()
                .region(r)
                .credentialsProvider(credentials != null ? credentials
                        : AwsClients.credentials(targets.profileOf(account), account.assumeRoleArn(), account.externalId(), r))
                .httpClientBuilder(AwsClients.http())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.adaptiveRetryStrategy())
                        .addExecutionInterceptor(recorder));
        if (targets.endpointUrl() != null) {
            b.endpointOverride(URI.create(targets.endpointUrl()));
        }
        return b.build();
    }

    private List<KeySnapshot> readRegion(KmsClient kms, String where, boolean bar) {
        List<KeyListEntry> listed = new ArrayList<>();
        kms.listKeysPaginator(r -> r.limit(1000)).keys().forEach(listed::add);
        Map<String, List<String>> aliases = new HashMap<>();
        for (AliasListEntry a : kms.listAliasesPaginator(r -> r.limit(100)).aliases()) {
            if (a.targetKeyId() != null) {
                aliases.computeIfAbsent(a.targetKeyId(), k -> new ArrayList<>()).add(a.aliasName());
            }
        }
        LOG.info("inventory {}: {} keys", where, listed.size());
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "kmswatch-inventory-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ProgressBar progress = bar ? new ProgressBarBuilder().setTaskName("inventory " + where)
                .setInitialMax(listed.size()).setUnit(" keys", 1).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUpdateIntervalMillis(250).setMaxRenderedLength(120).build() : null;
        try {
            List<Future<KeySnapshot>> futures = new ArrayList<>();
            for (KeyListEntry k : listed) {
                futures.add(pool.submit(() -> {
                    try {
                        return readKey(kms, k, aliases);
                    } finally {
                        if (progress != null) {
                            progress.step();
                        }
                    }
                }));
            }
            List<KeySnapshot> out = new ArrayList<>();
            for (Future<KeySnapshot> f : futures) {
                KeySnapshot s = f.get();
                if (s != null) {
                    out.add(s);
                }
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestException("inventory " + where + " interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SdkException se) {
                throw se;
            }
            throw new IngestException("inventory " + where + " failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            if (progress != null) {
                progress.close();
            }
        }
    }

    /** One key; null when it vanished between ListKeys and DescribeKey. */
    private KeySnapshot readKey(KmsClient kms, KeyListEntry entry, Map<String, List<String>> aliases) {
        Instant at = clock.instant();
        KeyMetadata m;
        try {
            m = kms.describeKey(r -> r.keyId(entry.keyArn())).keyMetadata();
        } catch (NotFoundException e) {
            return null;
        } catch (AwsServiceException e) {
            // Listed but not readable (access denied on this key): the row says so, nothing is judged.
            String arn = entry.keyArn();
            return new KeySnapshot(at, arn, KeyArns.accountOf(arn), KeyArns.regionOf(arn), entry.keyId(), null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null, List.of(), Map.of(), null, List.of(),
                    Map.of("DescribeKey", errorOf(e)));
        }
        Map<String, String> errors = new LinkedHashMap<>();
        String role = null;
        String primary = null;
        if (Boolean.TRUE.equals(m.multiRegion()) && m.multiRegionConfiguration() != null) {
            role = m.multiRegionConfiguration().multiRegionKeyTypeAsString();
            primary = m.multiRegionConfiguration().primaryKey() != null
                    ? m.multiRegionConfiguration().primaryKey().arn() : null;
        }
        boolean customer = KeySnapshot.CUSTOMER.equals(m.keyManagerAsString());
        Boolean rotation = null;
        Integer period = null;
        Instant nextRotation = null;
        String policy = null;
        List<KeyGrant> grants = new ArrayList<>();
        Map<String, String> tags = new LinkedHashMap<>();
        if (customer) {
            policy = call("GetKeyPolicy", errors, () -> kms.getKeyPolicy(r -> r.keyId(m.keyId()).policyName("default")).policy());
            // Only these keys can rotate automatically, and KMS answers GetKeyRotationStatus only while a key is
            // Enabled or Disabled (KMS developer guide, "Key states": KMSInvalidStateException otherwise).
            if ("SYMMETRIC_DEFAULT".equals(m.keySpecAsString()) && "AWS_KMS".equals(m.originAsString())
                    && ("Enabled".equals(m.keyStateAsString()) || "Disabled".equals(m.keyStateAsString()))) {
                GetKeyRotationStatusResponse rs = call("GetKeyRotationStatus", errors,
                        () -> kms.getKeyRotationStatus(r -> r.keyId(m.keyId())));
                if (rs != null) {
                    rotation = rs.keyRotationEnabled();
                    period = rs.rotationPeriodInDays();
                    nextRotation = rs.nextRotationDate();
                }
            }
            call("ListGrants", errors, () -> {
                for (GrantListEntry g : kms.listGrantsPaginator(r -> r.keyId(m.keyId()).limit(100)).grants()) {
                    grants.add(new KeyGrant(g.grantId(), g.name(), g.granteePrincipal(), g.retiringPrincipal(),
                            g.issuingAccount(), g.operationsAsStrings(), g.creationDate()));
                }
                return null;
            });
            call("ListResourceTags", errors, () -> {
                for (Tag t : kms.listResourceTagsPaginator(r -> r.keyId(m.keyId()).limit(50)).tags()) {
                    tags.put(t.tagKey(), t.tagValue());
                }
                return null;
            });
        }
        List<String> names = new ArrayList<>(aliases.getOrDefault(m.keyId(), List.of()));
        names.sort(null);
        return new KeySnapshot(at, m.arn(), m.awsAccountId(), KeyArns.regionOf(m.arn()), m.keyId(), m.keyManagerAsString(),
                m.keyStateAsString(), m.originAsString(), m.keySpecAsString(), m.keyUsageAsString(),
                m.description(), m.creationDate(), m.deletionDate(), m.pendingDeletionWindowInDays(), rotation, period,
                nextRotation, role, primary, names, tags, policy, grants, errors);
    }

    private interface Call<T> {
        T run();
    }

    /** Runs one call; a service error is kept in {@code errors} (operation → code: message) and gives null. */
    private static <T> T call(String operation, Map<String, String> errors, Call<T> call) {
        try {
            return call.run();
        } catch (AwsServiceException e) {
            errors.put(operation, errorOf(e));
            return null;
        }
    }

    private static String errorOf(AwsServiceException e) {
        return e.awsErrorDetails() != null
                ? e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
