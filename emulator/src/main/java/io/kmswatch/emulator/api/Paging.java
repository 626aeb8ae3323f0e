package io.kmswatch.emulator.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Marker paging for List* operations: the marker is an opaque base64 of the next index. A marker that does not
 * decode, or points past the end, is an {@code InvalidMarkerException}.
 */
public final class Paging {
    private Paging() {
    }

    /** One page of a list. */
    public record Page<T>(List<T> items, String nextMarker, boolean truncated) {
        public Page {
            items = List.copyOf(items);
        }
    }

    public static <T> Page<T> page(List<T> all, Integer limit, String marker, int defaultLimit) {
        Validation.limit(limit);
        int size = limit == null ? defaultLimit : limit;
        int from = 0;
        if (marker != null) {
            try {
                from = Integer.parseInt(new String(Base64.getDecoder().decode(marker), StandardCharsets.US_ASCII)
                        .substring("m".length()));
            } catch (RuntimeException e) {
                throw new KmsServiceException(KmsErrorCode.INVALID_MARKER, "Invalid marker.");
            }
            if (from < 0 || from > all.size()) {
                throw new KmsServiceException(KmsErrorCode.INVALID_MARKER, "Invalid marker.");
            }
        }
        int to = Math.min(all.size(), from + size);
        boolean truncated = to < all.size();
        String next = truncated
                ? Base64.getEncoder().encodeToString(("m" + to).getBytes(StandardCharsets.US_ASCII)) : null;
        return new Page<>(all.subList(from, to), next, truncated);
    }
}
