package io.kmswatch.ingest.inventory;

import java.time.Duration;
import java.util.List;

/**
 * The KMS API inventory (YAML key {@code inventory}). Which accounts and Regions it reads, and with
 * which credentials (profiles, assume-role, endpoint), come from {@code sources.lookup}: the same
 * settings as the LookupEvents source.
 *
 * @param enabled         {@code run}/{@code detect}: read the inventory at start and every {@code refresh}
 *                        into {@code kms-key-inventory}; default false
 * @param refresh         time between two reads; default 24 h, at least 1 minute
 * @param quotaShare      share of each KMS request quota the inventory may use, in (0, 1); default 0.5,
 *                        leaving the other half to the account's applications
 * @param threads         keys read in parallel per account and Region; default 8
 * @param trustedAccounts accounts whose access is not "external" (besides the key's own); the
 *                        {@code run}/{@code detect} wiring passes {@code detections.trustedAccounts}; never null
 */
public record InventoryConfig(Boolean enabled, Duration refresh, Double quotaShare, Integer threads,
                              List<String> trustedAccounts) {
    public InventoryConfig {
        enabled = enabled != null && enabled;
        refresh = refresh == null ? Duration.ofHours(24) : refresh;
        quotaShare = quotaShare == null ? 0.5 : quotaShare;
        threads = threads == null ? 8 : threads;
        trustedAccounts = trustedAccounts == null ? List.of() : List.copyOf(trustedAccounts);
        if (refresh.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("inventory.refresh must be at least 1m, got " + refresh);
        }
        if (!(quotaShare > 0) || !(quotaShare < 1)) {
            throw new IllegalArgumentException("inventory.quotaShare must be in (0, 1): the inventory shares KMS's"
                    + " request quotas with every other caller in the account; got " + quotaShare);
        }
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("inventory.threads must be 1..64, got " + threads);
        }
    }

    /** Everything at its default (off). */
    public static InventoryConfig defaults() {
        return new InventoryConfig(null, null, null, null, null);
    }

    /** A copy with these trusted accounts. */
    public InventoryConfig withTrustedAccounts(List<String> accounts) {
        return new InventoryConfig(enabled, refresh, quotaShare, threads, accounts);
    }

    /** A copy that is on or off. */
    public InventoryConfig withEnabled(boolean on) {
        return new InventoryConfig(on, refresh, quotaShare, threads, trustedAccounts);
    }
}
