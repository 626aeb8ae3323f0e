package io.kmswatch.events.inventory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One key as the KMS API showed it at {@code snapshotTime}: the value of {@code kms-key-inventory}
 * (key: the key ARN), written by {@code kmswatch inventory} and read by the detections to seed their
 * key inventory. JSON with {@link io.kmswatch.events.Json#MAPPER}; never holds key material.
 *
 * <p>Fields mirror {@code DescribeKey}'s {@code KeyMetadata}, {@code GetKeyRotationStatus},
 * {@code GetKeyPolicy}, {@code ListGrants}, {@code ListResourceTags} and {@code ListAliases}. A call that
 * failed (access denied, a throttle that outlasted the retries) leaves its field null and says why in
 * {@code errors} (operation → message), so a partial read is visible rather than silently empty. AWS
 * managed keys ({@code keyManager} {@code AWS}) carry the metadata and aliases only.
 *
 * @param snapshotTime         when the key was read; never null
 * @param keyArn               never null
 * @param accountId            the key's account; never null
 * @param region               the key's region; never null
 * @param keyId                never null
 * @param keyManager           {@code CUSTOMER} or {@code AWS}; never null
 * @param keyState             {@code Enabled}, {@code Disabled}, {@code PendingDeletion}, {@code PendingImport},
 *                             {@code PendingReplicaDeletion}, {@code Unavailable}, {@code Creating}, {@code Updating};
 *                             null when {@code DescribeKey} failed (then every metadata field is null)
 * @param origin               {@code AWS_KMS}, {@code EXTERNAL}, {@code AWS_CLOUDHSM}, {@code EXTERNAL_KEY_STORE}
 * @param keySpec              e.g. {@code SYMMETRIC_DEFAULT}
 * @param keyUsage             e.g. {@code ENCRYPT_DECRYPT}
 * @param description          or null
 * @param creationDate         or null
 * @param deletionDate         while pending deletion; else null
 * @param pendingWindowInDays  while pending deletion; else null
 * @param rotationEnabled      automatic rotation, or null when not read (AWS managed key, unsupported, error)
 * @param rotationPeriodInDays or null
 * @param nextRotationDate     or null
 * @param multiRegionRole      {@code PRIMARY}, {@code REPLICA}, or null for a single-Region key
 * @param primaryKeyArn        the primary of a multi-Region key, or null
 * @param aliases              alias names pointing at the key; never null
 * @param tags                 never null
 * @param policy               the {@code default} key policy document as JSON text, or null when not read
 * @param grants               never null (empty when not read; see {@code errors})
 * @param errors               operation → why it failed; never null
 */
public record KeySnapshot(Instant snapshotTime, String keyArn, String accountId, String region, String keyId,
                          String keyManager, String keyState, String origin, String keySpec, String keyUsage,
                          String description, Instant creationDate, Instant deletionDate, Integer pendingWindowInDays,
                          Boolean rotationEnabled, Integer rotationPeriodInDays, Instant nextRotationDate,
                          String multiRegionRole, String primaryKeyArn, List<String> aliases,
                          Map<String, String> tags, String policy, List<KeyGrant> grants, Map<String, String> errors) {
    /** {@code keyManager} of keys the customer manages. */
    public static final String CUSTOMER = "CUSTOMER";

    public KeySnapshot {
        Objects.requireNonNull(snapshotTime, "snapshotTime");
        Objects.requireNonNull(keyArn, "keyArn");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(keyId, "keyId");
        keyManager = keyManager == null ? CUSTOMER : keyManager;
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        grants = grants == null ? List.of() : List.copyOf(grants);
        errors = errors == null ? Map.of() : Map.copyOf(errors);
    }

    /** True for a customer managed key, the only kind judged by the posture findings. */
    public boolean customerManaged() {
        return CUSTOMER.equals(keyManager);
    }
}
