package io.kmswatch.emulator.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Base64;

/**
 * A binary member of a KMS request or response ({@code Plaintext}, {@code CiphertextBlob}, {@code Signature}, …).
 * On the wire it is a standard base64 string. The bytes are copied on the way in and out, {@link #clear()} zeroes
 * them once they are no longer needed, and {@link #toString()} never shows them, because a blob may be a plaintext
 * data key.
 */
public final class Blob {
    private final byte[] bytes;

    private Blob(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Copies {@code bytes}. */
    public static Blob of(byte[] bytes) {
        return new Blob(bytes.clone());
    }

    /** Takes ownership of {@code bytes} without copying (the caller must not keep using the array). */
    public static Blob wrap(byte[] bytes) {
        return new Blob(bytes);
    }

    /**
     * Decodes a base64 wire value: the standard alphabet, padding optional, nothing else. Line breaks,
     * spaces, the URL-safe alphabet or stray characters are refused rather than skipped (a lenient
     * decoder reads {@code "aGk=***"} as {@code "hi"} and {@code "%%%%"} as zero bytes).
     *
     * @throws IllegalArgumentException when the text is not base64
     */
    @JsonCreator
    public static Blob fromBase64(String base64) {
        try {
            return new Blob(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not valid base64: " + e.getMessage(), e);
        }
    }

    @JsonValue
    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes themselves, for code that clears or only reads them. */
    public byte[] unsafeBytes() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    /** Zeroes the bytes. */
    public void clear() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return "Blob[" + bytes.length + " bytes]";
    }
}
