package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The TagResource request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html">TagResource</a>
 */
public record TagResourceRequest(String keyId,
        List<Tag> tags) {
    public TagResourceRequest {
        tags = tags == null ? null : List.copyOf(tags);
    }
}
