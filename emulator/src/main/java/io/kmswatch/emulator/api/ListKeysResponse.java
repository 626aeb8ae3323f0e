package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The ListKeys response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeys.html">ListKeys</a>
 */
public record ListKeysResponse(List<KeyListEntry> keys,
        String nextMarker,
        Boolean truncated) {
    public ListKeysResponse {
        keys = keys == null ? null : List.copyOf(keys);
    }
}
