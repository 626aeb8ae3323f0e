package io.kmswatch.emulator.state;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Draws new key ids in the shapes KMS uses: a random (version 4) UUID for single-Region keys, {@code mrk-} and
 * 32 hex digits for multi-Region keys. Random by default; from a seed, the same sequence of CreateKey calls gets
 * the same ids, which makes a seeded traffic run reproducible down to its key ARNs. Ids already taken (a journal
 * reopened with the same seed) are skipped.
 */
public final class KeyIds {
    private final Random secure;
    private final SplittableRandom seeded;

    private KeyIds(Long seed) {
        this.seeded = seed == null ? null : new SplittableRandom(seed);
        this.secure = seed == null ? new SecureRandom() : null;
    }

    /** Ids from a secure random source. */
    public static KeyIds random() {
        return new KeyIds(null);
    }

    /** Ids from {@code seed}; {@code null} means {@link #random()}. */
    public static KeyIds seeded(Long seed) {
        return new KeyIds(seed);
    }

    /** A new key id not {@code taken}. */
    public synchronized String next(boolean multiRegion, Predicate<String> taken) {
        while (true) {
            long hi = nextLong();
            long lo = nextLong();
            String id = multiRegion ? "mrk-" + HexFormat.of().toHexDigits(hi) + HexFormat.of().toHexDigits(lo)
                    : new UUID((hi & ~0xF000L) | 0x4000L, (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
            if (!taken.test(id)) {
                return id;
            }
        }
    }

    private long nextLong() {
        return seeded != null ? seeded.nextLong() : secure.nextLong();
    }
}
