package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The UntagResource request, as the JSON 1.1 body binds it (PascalCase members).
 * Null members were absent on the wire. Blob members hold secrets and never appear in {@code toString}.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_UntagResource.html">UntagResource</a>
 */
public record UntagResourceRequest(String keyId,
        List<String> tagKeys) {
    public UntagResourceRequest {
        tagKeys = tagKeys == null ? null : List.copyOf(tagKeys);
    }
}
