package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The ListKeyPolicies response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyPolicies.html">ListKeyPolicies</a>
 */
public record ListKeyPoliciesResponse(List<String> policyNames,
        String nextMarker,
        Boolean truncated) {
    public ListKeyPoliciesResponse {
        policyNames = policyNames == null ? null : List.copyOf(policyNames);
    }
}
