package io.kmswatch.emulator.crypto;

/**
 * Authenticated encryption with associated data, in the shape of Tink's {@code Aead}: the output carries
 * everything needed to decrypt except the key and the associated data, and decryption fails unless both match.
 */
public interface Aead {
    /** Encrypts {@code plaintext}, binding {@code associatedData}. Output: {@code iv || ciphertext || tag}. */
    byte[] encrypt(byte[] plaintext, byte[] associatedData);

    /**
     * Decrypts what {@link #encrypt} produced.
     *
     * @throws InvalidCiphertextException when the ciphertext, the key or the associated data do not match
     */
    byte[] decrypt(byte[] ciphertext, byte[] associatedData);
}
