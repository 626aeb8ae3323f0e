package io.kmswatch.emulator.api;

import java.time.Instant;

/**
 * The KMS AliasListEntry shape.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_AliasListEntry.html">AliasListEntry</a>
 */
public record AliasListEntry(String aliasName,
        String aliasArn,
        String targetKeyId,
        Instant creationDate,
        Instant lastUpdatedDate) {
}
