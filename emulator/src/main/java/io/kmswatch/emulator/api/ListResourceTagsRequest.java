package io.kmswatch.emulator.api;

/**
 * The ListResourceTags request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ListResourceTags.html">ListResourceTags</a>
 */
public record ListResourceTagsRequest(String keyId,
        Integer limit,
        String marker) {
}
