package io.kmswatch.emulator.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The emulator's self-describing symmetric ciphertext: which key and which material version sealed it, the IV
 * and the GCM tag. Byte layout (all integers big-endian):
 * <pre>
 * blob            = version keyRefLength keyRef materialVersion sealed
 * version         = %x01                          ; 1 byte, format version
 * keyRefLength    = 1 byte, 14..255                ; length of keyRef
 * keyRef          = account ":" keyId             ; US-ASCII, e.g. "111122223333:1234abcd-…" or "…:mrk-…"
 * account         = 12 DIGIT
 * materialVersion = 4 bytes, unsigned, &ge; 1      ; KeyMaterial.version() of the sealing material
 * sealed          = iv ciphertext tag             ; AesGcmAead output
 * iv              = 12 bytes
 * tag             = 16 bytes                       ; ciphertext may be empty only in theory (plaintext &ge; 1 byte)
 * </pre>
 * The header ({@code version … materialVersion}) followed by the encoded encryption context is the AES-GCM
 * associated data, so a blob moved to another key, version or context fails to authenticate. Every parse failure
 * throws {@link InvalidCiphertextException}. Instances copy bytes in and out and never print them.
 */
public final class CiphertextBlob {
    public static final byte VERSION = 1;
    private static final int MIN_SEALED = AesGcmAead.IV_LENGTH + AesGcmAead.TAG_LENGTH;

    private final String accountId;
    private final String keyId;
    private final int materialVersion;
    private final byte[] header;
    private final byte[] sealed;

    private CiphertextBlob(String accountId, String keyId, int materialVersion, byte[] header, byte[] sealed) {
        this.accountId = accountId;
        this.keyId = keyId;
        this.materialVersion = materialVersion;
        this.header = header;
        this.sealed = sealed;
    }

    /** The header bytes for a new blob (also the first part of its associated data). */
    public static byte[] header(String accountId, String keyId, int materialVersion) {
        byte[] ref = (accountId + ":" + keyId).getBytes(StandardCharsets.US_ASCII);
        if (ref.length > 255) {
            throw new IllegalArgumentException("key reference too long");
        }
        return ByteBuffer.allocate(2 + ref.length + 4).put(VERSION).put((byte) ref.length).put(ref)
                .putInt(materialVersion).array();
    }

    /** Joins a header and the AEAD output into a blob. */
    public static byte[] assemble(byte[] header, byte[] sealed) {
        byte[] out = Arrays.copyOf(header, header.length + sealed.length);
        System.arraycopy(sealed, 0, out, header.length, sealed.length);
        return out;
    }

    /**
     * Parses a blob.
     *
     * @throws InvalidCiphertextException when the bytes do not follow the grammar
     */
    public static CiphertextBlob parse(byte[] blob) {
        if (blob == null || blob.length < 2 + 14 + 4 + MIN_SEALED || blob[0] != VERSION) {
            throw new InvalidCiphertextException();
        }
        int refLen = blob[1] & 0xff;
        int headerLen = 2 + refLen + 4;
        if (refLen < 14 || blob.length < headerLen + MIN_SEALED) {
            throw new InvalidCiphertextException();
        }
        String ref = new String(blob, 2, refLen, StandardCharsets.US_ASCII);
        int colon = ref.indexOf(':');
        if (colon != 12 || !ref.substring(0, 12).chars().allMatch(Character::isDigit)) {
            throw new InvalidCiphertextException();
        }
        String keyId = ref.substring(13);
        if (!keyId.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '-') || keyId.isEmpty()) {
            throw new InvalidCiphertextException();
        }
        int version = ByteBuffer.wrap(blob, 2 + refLen, 4).getInt();
        if (version < 1) {
            throw new InvalidCiphertextException();
        }
        return new CiphertextBlob(ref.substring(0, 12), keyId, version, Arrays.copyOf(blob, headerLen),
                Arrays.copyOfRange(blob, headerLen, blob.length));
    }

    public String accountId() {
        return accountId;
    }

    public String keyId() {
        return keyId;
    }

    public int materialVersion() {
        return materialVersion;
    }

    public byte[] header() {
        return header.clone();
    }

    public byte[] sealed() {
        return sealed.clone();
    }

    @Override
    public String toString() {
        return "CiphertextBlob[" + accountId + ":" + keyId + " v" + materialVersion + ", " + sealed.length + " bytes]";
    }
}
