package io.kmswatch.emulator.api;

/**
 * The KMS Tag shape.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_Tag.html">Tag</a>
 */
public record Tag(String tagKey,
        String tagValue) {
}
