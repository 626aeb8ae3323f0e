package io.kmswatch.emulator.state;

import java.time.Instant;
import java.util.Objects;

/**
 * An alias: a regional, per-account name ({@code alias/…}) pointing at exactly one key id.
 */
public record Alias(String aliasName, String accountId, String region, String partition, String targetKeyId,
                    Instant creationDate, Instant lastUpdatedDate) {
    public Alias {
        Objects.requireNonNull(aliasName, "aliasName");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(targetKeyId, "targetKeyId");
    }

    /** {@code arn:<p>:kms:<region>:<account>:alias/<name>}. */
    public String aliasArn() {
        return "arn:" + partition + ":kms:" + region + ":" + accountId + ":" + aliasName;
    }

    /** Map key of this alias in a store. */
    public String storeKey() {
        return storeKey(accountId, region, aliasName);
    }

    public static String storeKey(String accountId, String region, String aliasName) {
        return accountId + ":" + region + ":" + aliasName;
    }
}
