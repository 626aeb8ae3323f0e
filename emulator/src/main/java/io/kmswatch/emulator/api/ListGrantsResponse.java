package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The ListGrants response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ListGrants.html">ListGrants</a>
 */
public record ListGrantsResponse(List<GrantListEntry> grants,
        String nextMarker,
        Boolean truncated) {
    public ListGrantsResponse {
        grants = grants == null ? null : List.copyOf(grants);
    }
}
