package io.kmswatch.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Input that could not be read as a CloudTrail record, kept with where it came from and why, so that
 * bad input is never silently dropped. The raw bytes are bounded to {@link #MAX_RAW_BYTES}; the
 * original length is kept.
 */
public final class Rejected {
    /** At most this many bytes of the bad input are kept. */
    public static final int MAX_RAW_BYTES = 64 * 1024;

    private final String location;
    private final String reason;
    private final byte[] raw;
    private final long originalLength;

    /**
     * @param location file and record index or line ({@code path:record 12}, {@code path:line 3}), never null
     * @param reason   a human-readable cause, never null
     * @param raw      the bytes that failed (may be null or empty when none could be isolated); copied
     */
    public Rejected(String location, String reason, byte[] raw) {
        this.location = Objects.requireNonNull(location, "location");
        this.reason = Objects.requireNonNull(reason, "reason");
        byte[] r = raw == null ? new byte[0] : raw;
        this.originalLength = r.length;
        this.raw = Arrays.copyOf(r, Math.min(r.length, MAX_RAW_BYTES));
    }

    public String location() {
        return location;
    }

    public String reason() {
        return reason;
    }

    /** A copy of the (bounded) raw bytes. */
    public byte[] raw() {
        return raw.clone();
    }

    /** Length of the bad input before bounding. */
    public long originalLength() {
        return originalLength;
    }

    /** A short category for metrics labels: the reason up to its first colon or quote, bounded. */
    public String reasonCategory() {
        return categoryOf(reason);
    }

    /** A bounded, label-safe category of a reason text. */
    public static String categoryOf(String reason) {
        String r = reason;
        int cut = r.length();
        for (char c : new char[] {':', '\'', '(', '"'}) {
            int i = r.indexOf(c);
            if (i > 0 && i < cut) {
                cut = i;
            }
        }
        r = r.substring(0, Math.min(cut, 48)).trim().toLowerCase(java.util.Locale.ROOT);
        StringBuilder b = new StringBuilder();
        for (char c : r.toCharArray()) {
            b.append(Character.isLetterOrDigit(c) ? c : '_');
        }
        return b.toString().replaceAll("_+", "_").replaceAll("^_|_$", "");
    }

    @Override
    public String toString() {
        return "Rejected[" + location + ": " + reason + " (" + originalLength + " bytes)]";
    }

    /** The first bytes as text, for messages. */
    public String preview(int maxChars) {
        String s = new String(raw, StandardCharsets.UTF_8);
        return s.length() <= maxChars ? s : s.substring(0, maxChars) + "…";
    }
}
