package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The ListKeyRotations response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeyRotations.html">ListKeyRotations</a>
 */
public record ListKeyRotationsResponse(List<RotationsListEntry> rotations,
        String nextMarker,
        Boolean truncated) {
    public ListKeyRotationsResponse {
        rotations = rotations == null ? null : List.copyOf(rotations);
    }
}
