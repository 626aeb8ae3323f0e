package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The ListAliases response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ListAliases.html">ListAliases</a>
 */
public record ListAliasesResponse(List<AliasListEntry> aliases,
        String nextMarker,
        Boolean truncated) {
    public ListAliasesResponse {
        aliases = aliases == null ? null : List.copyOf(aliases);
    }
}
