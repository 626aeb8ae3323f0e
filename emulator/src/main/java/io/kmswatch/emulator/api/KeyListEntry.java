package io.kmswatch.emulator.api;

/**
 * The KMS KeyListEntry shape.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_KeyListEntry.html">KeyListEntry</a>
 */
public record KeyListEntry(String keyId,
        String keyArn) {
}
