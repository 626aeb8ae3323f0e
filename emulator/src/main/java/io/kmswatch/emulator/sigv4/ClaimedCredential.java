package io.kmswatch.emulator.sigv4;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The access key id and region a request <em>claims</em> in the {@code Credential=} part of its
 * {@code Authorization} header, read without verifying anything. It names who a refused request pretended to
 * be, for the audit record of the refusal; it proves nothing.
 *
 * <p>Only values of the documented shapes are taken: an access key id of 16–128 upper-case letters and digits
 * (so that a secret access key pasted into the id slot, which has lower-case letters, {@code /} or {@code +},
 * is never copied into a record) and a region of lower-case letters, digits and dashes.
 *
 * @param accessKeyId the claimed access key id; never null
 * @param region      the claimed region, or null when the scope has none of the right shape
 */
public record ClaimedCredential(String accessKeyId, String region) {
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");

    public ClaimedCredential {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
    }

    /**
     * Reads the claimed credential of a request.
     *
     * @param headers header name (any case) to values; never null
     * @return the claim, or empty when there is no SigV4 {@code Authorization} header or its access key id has
     *         not the shape of one
     */
    public static Optional<ClaimedCredential> of(Map<String, List<String>> headers) {
        String credential = credential(headers);
        if (credential == null) {
            return Optional.empty();
        }
        String[] scope = credential.split("/", -1);
        if (!ACCESS_KEY_ID.matcher(scope[0]).matches()) {
            return Optional.empty();
        }
        String region = scope.length > 2 && REGION.matcher(scope[2]).matches() ? scope[2] : null;
        return Optional.of(new ClaimedCredential(scope[0], region));
    }

    /**
     * An error message fit for an audit record: AWS's messages for a malformed {@code Authorization} header quote
     * the header or its {@code Credential=} value, and when that value does not start with an access key id it
     * may well be a secret access key sent in the wrong place (secrets contain {@code /}, which breaks the scope
     * apart). Such a value is replaced by {@code <redacted>}; a message quoting a well-formed credential is
     * returned as it is.
     *
     * @param message the message answered to the client; never null
     * @param headers the request headers; never null
     */
    public static String redact(String message, Map<String, List<String>> headers) {
        String credential = credential(headers);
        if (credential == null || credential.isEmpty() || !message.contains(credential)) {
            return message;
        }
        String[] scope = credential.split("/", -1);
        if (ACCESS_KEY_ID.matcher(scope[0]).matches()) {
            return message;
        }
        return message.replace(credential, "<redacted>");
    }

    /** The text between {@code Credential=} and the next comma of the Authorization header, or null. */
    private static String credential(Map<String, List<String>> headers) {
        String authorization = null;
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey() != null && h.getKey().toLowerCase(Locale.ROOT).equals("authorization")
                    && h.getValue() != null && !h.getValue().isEmpty()) {
                authorization = h.getValue().get(0);
                break;
            }
        }
        if (authorization == null) {
            return null;
        }
        int at = authorization.indexOf("Credential=");
        if (at < 0) {
            return null;
        }
        int end = authorization.indexOf(',', at);
        return authorization.substring(at + "Credential=".length(), end < 0 ? authorization.length() : end).strip();
    }
}
