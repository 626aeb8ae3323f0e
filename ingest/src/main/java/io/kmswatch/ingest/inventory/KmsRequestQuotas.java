package io.kmswatch.ingest.inventory;

import java.util.Map;

/**
 * KMS's default request quotas, in requests per second per account and Region, for the operations
 * the inventory calls (KMS Developer Guide, "Request quotas", table "Request quotas for each AWS KMS
 * API operation"). Every caller in the account shares them (applications, AWS services on the
 * account's behalf, other tools), so the inventory takes only a share of each ({@link InventoryConfig#quotaShare()}).
 */
public final class KmsRequestQuotas {
    /** Operation → documented default quota (requests per second). */
    public static final Map<String, Double> DEFAULTS = Map.of(
            "ListKeys", 500.0,
            "ListAliases", 500.0,
            "DescribeKey", 2000.0,
            "GetKeyPolicy", 1000.0,
            "GetKeyRotationStatus", 1000.0,
            "ListGrants", 100.0,
            "ListResourceTags", 2000.0);

    private KmsRequestQuotas() {
    }

    /**
     * The documented quota of an operation.
     *
     * @throws IllegalArgumentException for an operation the inventory does not call
     */
    public static double of(String operation) {
        Double q = DEFAULTS.get(operation);
        if (q == null) {
            throw new IllegalArgumentException("no request quota known for " + operation);
        }
        return q;
    }
}
