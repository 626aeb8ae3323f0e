package io.kmswatch.emulator.api;

import java.util.List;

/**
 * The ListResourceTags response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_ListResourceTags.html">ListResourceTags</a>
 */
public record ListResourceTagsResponse(List<Tag> tags,
        String nextMarker,
        Boolean truncated) {
    public ListResourceTagsResponse {
        tags = tags == null ? null : List.copyOf(tags);
    }
}
