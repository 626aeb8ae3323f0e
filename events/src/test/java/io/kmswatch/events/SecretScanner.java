package io.kmswatch.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The secrets a test knows it produced (plaintext data keys, decrypted payloads, key material, secret access keys),
 * in every encoding a log line, a record or a metric could carry them in, and a scan of text for any of them.
 *
 * <p>Bytes are looked for as standard base64, URL-safe base64 without padding, lower- and upper-case hex, and as
 * themselves (to find those, scan binary data decoded as ISO-8859-1, one character per byte); text also as itself. Values shorter than {@value #MIN_BYTES} bytes (or characters) are not kept: they would
 * match by chance. A scan reports where and which secret (by its label), never the secret itself, so that a
 * failing test does not print what it protects. Thread-safe.
 */
public final class SecretScanner {
    /** Shorter values are ignored: too likely to occur by chance. */
    public static final int MIN_BYTES = 8;

    /** Form → label. */
    private final Map<String, String> forms = new HashMap<>();
    /** The first {@link #window} characters of each form → the forms starting so. */
    private final Map<String, List<String>> byPrefix = new HashMap<>();
    private int window = Integer.MAX_VALUE;
    private int secrets;

    /** Remembers a binary secret (a data key, a plaintext, key material) in its binary-to-text forms. */
    public synchronized void addBytes(String label, byte[] secret) {
        if (secret == null || secret.length < MIN_BYTES) {
            return;
        }
        secrets++;
        put(Base64.getEncoder().encodeToString(secret), label + " (base64)");
        put(Base64.getUrlEncoder().withoutPadding().encodeToString(secret), label + " (base64url)");
        String hex = HexFormat.of().formatHex(secret);
        put(hex, label + " (hex)");
        put(hex.toUpperCase(Locale.ROOT), label + " (HEX)");
        put(new String(secret, StandardCharsets.ISO_8859_1), label + " (raw bytes)");
    }

    /** Remembers a textual secret (a secret access key, a text plaintext) as itself and in its encodings. */
    public synchronized void addText(String label, String secret) {
        if (secret == null || secret.length() < MIN_BYTES) {
            return;
        }
        put(secret, label);
        addBytes(label, secret.getBytes(StandardCharsets.UTF_8));
    }

    /** How many secrets are known (each in several forms). */
    public synchronized int size() {
        return secrets;
    }

    /**
     * Every known secret that occurs in {@code text}.
     *
     * @param where names the text in the findings (a file, a topic and offset, a log line number)
     * @return one finding per occurrence: {@code where: label}; empty when the text holds no secret
     */
    public synchronized List<String> scan(String where, String text) {
        List<String> findings = new ArrayList<>();
        if (text == null || forms.isEmpty() || text.length() < window) {
            return findings;
        }
        for (int i = 0; i + window <= text.length(); i++) {
            List<String> candidates = byPrefix.get(text.substring(i, i + window));
            if (candidates == null) {
                continue;
            }
            for (String form : candidates) {
                if (text.startsWith(form, i)) {
                    findings.add(where + ": " + forms.get(form) + " at " + i);
                }
            }
        }
        return findings;
    }

    private void put(String form, String label) {
        if (forms.putIfAbsent(form, label) != null) {
            return;
        }
        if (form.length() < window) {
            window = form.length();
            byPrefix.clear();
            forms.keySet().forEach(this::index);
        } else {
            index(form);
        }
    }

    private void index(String form) {
        byPrefix.computeIfAbsent(form.substring(0, window), k -> new ArrayList<>()).add(form);
    }
}
