package io.kmswatch.emulator.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One version of a key's backing material. For symmetric and HMAC keys {@code secret} is the raw key; for
 * asymmetric keys it is the PKCS#8 private key and {@code publicKey} the X.509 SubjectPublicKeyInfo. The
 * version number is the one written into ciphertext blobs; the material id is KMS's 64-hex
 * {@code KeyMaterialId}. {@link #toString()} shows neither secret nor public bytes.
 *
 * <p>Journal form (JSON): {@code {"version":1,"materialId":"…","createdAt":"…","rotationType":null|"AUTOMATIC"|"ON_DEMAND",
 * "secret":"<base64>","publicKey":"<base64>"|null}}.
 */
public final class KeyMaterial {
    private final int version;
    private final String materialId;
    private final Instant createdAt;
    private final String rotationType;
    private final byte[] secret;
    private final byte[] publicKey;
    /** Decoded JCA key objects, cached because parsing PKCS#8 on every Sign would dominate its cost. */
    @JsonIgnore
    private final AtomicReference<Object> decoded = new AtomicReference<>();

    public KeyMaterial(int version, String materialId, Instant createdAt, String rotationType, byte[] secret,
                       byte[] publicKey) {
        this.version = version;
        this.materialId = Objects.requireNonNull(materialId, "materialId");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.rotationType = rotationType;
        this.secret = secret.clone();
        this.publicKey = publicKey == null ? null : publicKey.clone();
    }

    @JsonCreator
    static KeyMaterial fromJson(@JsonProperty("version") int version, @JsonProperty("materialId") String materialId,
                                @JsonProperty("createdAt") Instant createdAt,
                                @JsonProperty("rotationType") String rotationType,
                                @JsonProperty("secret") String secret, @JsonProperty("publicKey") String publicKey) {
        return new KeyMaterial(version, materialId, createdAt, rotationType, Base64.getDecoder().decode(secret),
                publicKey == null ? null : Base64.getDecoder().decode(publicKey));
    }

    @JsonProperty("version")
    public int version() {
        return version;
    }

    @JsonProperty("materialId")
    public String materialId() {
        return materialId;
    }

    @JsonProperty("createdAt")
    public Instant createdAt() {
        return createdAt;
    }

    /** Null for the first material, else how it was rotated in. */
    @JsonProperty("rotationType")
    public String rotationType() {
        return rotationType;
    }

    /** The secret bytes themselves (not a copy): callers must not modify or keep them. */
    public byte[] unsafeSecret() {
        return secret;
    }

    @JsonProperty("secret")
    String secretBase64() {
        return Base64.getEncoder().encodeToString(secret);
    }

    /** The public key (SPKI DER), or null for symmetric and HMAC material. */
    public byte[] publicKey() {
        return publicKey == null ? null : publicKey.clone();
    }

    @JsonProperty("publicKey")
    String publicKeyBase64() {
        return publicKey == null ? null : Base64.getEncoder().encodeToString(publicKey);
    }

    /** Cache slot for decoded key objects, owned by the crypto package. */
    public AtomicReference<Object> decodedCache() {
        return decoded;
    }

    /** True when both hold the same secret (constant time). */
    public boolean sameSecret(byte[] other) {
        return java.security.MessageDigest.isEqual(secret, other);
    }

    /** Zeroes the secret (when the material is deleted). */
    public void destroy() {
        Arrays.fill(secret, (byte) 0);
        decoded.set(null);
    }

    @Override
    public String toString() {
        return "KeyMaterial[v" + version + ", " + materialId + "]";
    }
}
