package io.kmswatch.emulator.api;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Server-side constraint checks with AWS's ValidationException wording
 * ({@code 1 validation error detected: Value '…' at 'member' failed to satisfy constraint: …}). Constraints come
 * from the KMS service model (min/max, enums) and the API reference (cross-field rules botocore never checks).
 */
public final class Validation {
    private Validation() {
    }

    public static KmsServiceException fail(String member, Object value, String constraint) {
        String v = value == null ? "null" : "'" + value + "'";
        return KmsServiceException.validation("1 validation error detected: Value " + v + " at '" + member
                + "' failed to satisfy constraint: " + constraint);
    }

    /**
     * A ValidationException for every constraint one member violates, as KMS words several: {@code 2 validation
     * errors detected: Value 'x' at 'm' failed to satisfy constraint: A; Value 'x' at 'm' failed to satisfy
     * constraint: B}.
     */
    public static KmsServiceException fail(String member, Object value, List<String> constraints) {
        if (constraints.size() == 1) {
            return fail(member, value, constraints.get(0));
        }
        String v = value == null ? "null" : "'" + value + "'";
        StringBuilder m = new StringBuilder().append(constraints.size()).append(" validation errors detected: ");
        for (int i = 0; i < constraints.size(); i++) {
            m.append(i == 0 ? "" : "; ").append("Value ").append(v).append(" at '").append(member)
                    .append("' failed to satisfy constraint: ").append(constraints.get(i));
        }
        return KmsServiceException.validation(m.toString());
    }

    public static <T> T required(T value, String member) {
        if (value == null) {
            throw fail(member, null, "Member must not be null");
        }
        return value;
    }

    public static void requireKeyId(String keyId, String member) {
        required(keyId, member);
        length(keyId, member, 1, 2048);
    }

    public static void length(String value, String member, int min, int max) {
        if (value == null) {
            return;
        }
        if (value.length() < min) {
            throw fail(member, value, "Member must have length greater than or equal to " + min);
        }
        if (value.length() > max) {
            throw fail(member, value, "Member must have length less than or equal to " + max);
        }
    }

    /** A blob's length; the value is never echoed (it may be a secret). */
    public static void blobLength(Blob blob, String member, int min, int max) {
        if (blob == null) {
            return;
        }
        if (blob.length() < min) {
            throw KmsServiceException.validation("1 validation error detected: Value at '" + member
                    + "' failed to satisfy constraint: Member must have length greater than or equal to " + min);
        }
        if (blob.length() > max) {
            throw KmsServiceException.validation("1 validation error detected: Value at '" + member
                    + "' failed to satisfy constraint: Member must have length less than or equal to " + max);
        }
    }

    public static Blob requiredBlob(Blob blob, String member, int min, int max) {
        if (blob == null) {
            throw fail(member, null, "Member must not be null");
        }
        blobLength(blob, member, min, max);
        return blob;
    }

    public static void range(Integer value, String member, int min, int max) {
        if (value == null) {
            return;
        }
        if (value < min) {
            throw fail(member, value, "Member must have value greater than or equal to " + min);
        }
        if (value > max) {
            throw fail(member, value, "Member must have value less than or equal to " + max);
        }
    }

    public static void oneOf(String value, String member, Collection<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw fail(member, value, "Member must satisfy enum value set: " + allowed);
        }
    }

    public static void grantTokens(List<String> tokens) {
        if (tokens == null) {
            return;
        }
        if (tokens.size() > 10) {
            throw fail("grantTokens", tokens.size() + " tokens", "Member must have length less than or equal to 10");
        }
        for (String t : tokens) {
            if (t == null || t.isEmpty() || t.length() > 8192 || GrantTokens.decode(t) == null) {
                throw new KmsServiceException(KmsErrorCode.INVALID_GRANT_TOKEN, "Invalid grant token.");
            }
        }
    }

    public static void encryptionContext(Map<String, String> context, String member) {
        if (context == null) {
            return;
        }
        for (Map.Entry<String, String> e : context.entrySet()) {
            if (e.getKey().isEmpty()) {
                throw KmsServiceException.validation("1 validation error detected: Value at '" + member
                        + "' failed to satisfy constraint: Map keys must have length greater than or equal to 1");
            }
        }
    }

    public static void limit(Integer limit) {
        range(limit, "limit", 1, 1000);
    }

    public static void marker(String marker) {
        if (marker != null && (marker.isEmpty() || marker.length() > 1024 || !marker.matches("[\\u0020-\\u00FF]*"))) {
            throw new KmsServiceException(KmsErrorCode.INVALID_MARKER, "Invalid marker.");
        }
    }
}
