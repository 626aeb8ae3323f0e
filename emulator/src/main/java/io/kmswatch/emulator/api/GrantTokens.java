package io.kmswatch.emulator.api;

import io.kmswatch.emulator.crypto.CryptoCore;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Grant tokens: opaque to clients; here {@code base64url("kmswatch-grant:" keyArn "|" grantId "|" 16 random hex)}.
 * Grants take effect at once in the emulator, so a token's only use is naming a grant for RetireGrant; a token
 * that does not decode is InvalidGrantTokenException wherever tokens are accepted.
 */
public final class GrantTokens {
    private static final String PREFIX = "kmswatch-grant:";

    private GrantTokens() {
    }

    /** The key ARN and grant id a token names. */
    public record Decoded(String keyArn, String grantId) {
    }

    public static String create(String keyArn, String grantId) {
        String raw = PREFIX + keyArn + "|" + grantId + "|" + HexFormat.of().formatHex(CryptoCore.randomBytes(8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a token, or null when it is not one of ours. */
    public static Decoded decode(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!raw.startsWith(PREFIX)) {
                return null;
            }
            String[] p = raw.substring(PREFIX.length()).split("\\|");
            return p.length == 3 ? new Decoded(p[0], p[1]) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
