package io.kmswatch.emulator.crypto;

import io.kmswatch.emulator.EmulatorException;
import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.emulator.state.KeyMaterial;
import io.kmswatch.emulator.state.KmsKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The emulator's cryptography: key material generation, the symmetric envelope (AES-256-GCM with the encryption
 * context as associated data, in a {@link CiphertextBlob}), RSA OAEP, RSA PSS/PKCS#1 and ECDSA signatures
 * (DER, openssl-compatible), HMAC, and RSA unwrapping of imported key material. The JDK provider does
 * everything it supports; Bouncy Castle does secp256k1 (removed from the JDK's SunEC) and raw-digest PSS.
 *
 * <p>Callers own the plaintext arrays they pass and get back, and clear them when done.
 */
public final class CryptoCore {
    /** Bouncy Castle, used by instance only (never installed globally). */
    public static final Provider BC = new BouncyCastleProvider();
    /**
     * One DRBG per thread (seeded from the OS): NativePRNG instances share one locked state, which serialised
     * every data key and IV of concurrent requests.
     */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(CryptoCore::newDrbg);

    /** Signing algorithms per key spec, as the KMS docs list them. */
    public static List<String> signingAlgorithms(String keySpec) {
        if (keySpec.startsWith("RSA_")) {
            return List.of("RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
                    "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512");
        }
        return switch (keySpec) {
            case "ECC_NIST_P256", "ECC_SECG_P256K1" -> List.of("ECDSA_SHA_256");
            case "ECC_NIST_P384" -> List.of("ECDSA_SHA_384");
            case "ECC_NIST_P521" -> List.of("ECDSA_SHA_512");
            default -> List.of();
        };
    }

    /** Encryption algorithms per key spec. */
    public static List<String> encryptionAlgorithms(String keySpec) {
        if (keySpec.startsWith("RSA_")) {
            return List.of("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256");
        }
        return "SYMMETRIC_DEFAULT".equals(keySpec) ? List.of("SYMMETRIC_DEFAULT") : List.of();
    }

    /** The MAC algorithm matching an HMAC key spec ({@code HMAC_256} → {@code HMAC_SHA_256}). */
    public static String macAlgorithm(String keySpec) {
        return "HMAC_SHA_" + keySpec.substring("HMAC_".length());
    }

    static SecureRandom newDrbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    /** A fresh random 64-hex key material id. */
    public static String newMaterialId() {
        return HexFormat.of().formatHex(randomBytes(32));
    }

    public static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.get().nextBytes(b);
        return b;
    }

    /** Generates new backing material for a key spec. */
    public KeyMaterial newMaterial(String keySpec, int version, String rotationType, Instant now) {
        byte[] secret;
        byte[] pub = null;
        switch (keySpec) {
            case "SYMMETRIC_DEFAULT" -> secret = randomBytes(32);
            case "HMAC_224" -> secret = randomBytes(28);
            case "HMAC_256" -> secret = randomBytes(32);
            case "HMAC_384" -> secret = randomBytes(48);
            case "HMAC_512" -> secret = randomBytes(64);
            default -> {
                KeyPair kp = generateKeyPair(keySpec);
                secret = kp.getPrivate().getEncoded();
                pub = kp.getPublic().getEncoded();
            }
        }
        try {
            return new KeyMaterial(version, newMaterialId(), now, rotationType, secret, pub);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * Generates an RSA or ECC key pair ({@code RSA_2048}, {@code ECC_NIST_P256}, {@code ECC_SECG_P256K1}, …).
     *
     * @throws KmsServiceException (UnsupportedOperationException) for specs the emulator does not implement
     */
    public KeyPair generateKeyPair(String keySpec) {
        try {
            if (keySpec.startsWith("RSA_")) {
                int bits = Integer.parseInt(keySpec.substring(4));
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), RANDOM.get());
                return g.generateKeyPair();
            }
            String curve = switch (keySpec) {
                case "ECC_NIST_P256" -> "secp256r1";
                case "ECC_NIST_P384" -> "secp384r1";
                case "ECC_NIST_P521" -> "secp521r1";
                case "ECC_SECG_P256K1" -> "secp256k1";
                default -> throw new KmsServiceException(KmsErrorCode.UNSUPPORTED_OPERATION,
                        keySpec + " is not supported by this emulator.");
            };
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
            g.initialize(new ECGenParameterSpec(curve), RANDOM.get());
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new EmulatorException("key generation failed for " + keySpec, e);
        }
    }

    // ---------------------------------------------------------------- symmetric envelope

    /** Seals {@code plaintext} under the key's current material; the context is bound as associated data. */
    public byte[] encryptSymmetric(KmsKey key, byte[] plaintext, Map<String, String> context) {
        KeyMaterial m = key.currentMaterial();
        byte[] header = CiphertextBlob.header(key.accountId(), key.keyId(), m.version());
        byte[] sealed = aead(m).encrypt(plaintext, aad(header, context));
        return CiphertextBlob.assemble(header, sealed);
    }

    /**
     * Opens a parsed blob with the key it names.
     *
     * @throws InvalidCiphertextException when the material version is unknown or authentication fails
     */
    public byte[] decryptSymmetric(CiphertextBlob blob, KmsKey key, Map<String, String> context) {
        KeyMaterial m = key.material(blob.materialVersion());
        if (m == null) {
            throw new InvalidCiphertextException();
        }
        return aead(m).decrypt(blob.sealed(), aad(blob.header(), context));
    }

    private static byte[] aad(byte[] header, Map<String, String> context) {
        byte[] ec = EncryptionContexts.encode(context);
        byte[] aad = Arrays.copyOf(header, header.length + ec.length);
        System.arraycopy(ec, 0, aad, header.length, ec.length);
        return aad;
    }

    private static Aead aead(KeyMaterial m) {
        Object cached = m.decodedCache().get();
        if (cached instanceof Aead a) {
            return a;
        }
        Aead a = new AesGcmAead(m.unsafeSecret());
        m.decodedCache().set(a);
        return a;
    }

    // ---------------------------------------------------------------- RSA encryption

    /** Largest plaintext RSAES-OAEP accepts for this key size and hash: k − 2·hLen − 2. */
    public static int maxOaepPlaintext(String keySpec, String algorithm) {
        int k = Integer.parseInt(keySpec.substring(4)) / 8;
        int h = "RSAES_OAEP_SHA_1".equals(algorithm) ? 20 : 32;
        return k - 2 * h - 2;
    }

    public byte[] rsaEncrypt(KeyMaterial m, String algorithm, byte[] plaintext) {
        try {
            Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            c.init(Cipher.ENCRYPT_MODE, keyPair(m, "RSA").getPublic(), oaep(algorithm));
            return c.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new EmulatorException("RSA encryption failed", e);
        }
    }

    /** @throws InvalidCiphertextException when OAEP decoding fails */
    public byte[] rsaDecrypt(KeyMaterial m, String algorithm, byte[] ciphertext) {
        return rsaDecrypt(keyPair(m, "RSA").getPrivate(), algorithm, ciphertext);
    }

    public static byte[] rsaDecrypt(PrivateKey key, String algorithm, byte[] ciphertext) {
        try {
            Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            c.init(Cipher.DECRYPT_MODE, key, oaep(algorithm));
            return c.doFinal(ciphertext);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new InvalidCiphertextException();
        }
    }

    private static OAEPParameterSpec oaep(String algorithm) {
        // AWS KMS uses the same hash for OAEP and for MGF1.
        return "RSAES_OAEP_SHA_1".equals(algorithm)
                ? new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT)
                : new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
    }

    // ---------------------------------------------------------------- signatures

    /** Digest length in bytes of a signing algorithm's hash. */
    public static int digestLength(String signingAlgorithm) {
        return switch (hashName(signingAlgorithm)) {
            case "SHA-256" -> 32;
            case "SHA-384" -> 48;
            default -> 64;
        };
    }

    private static String hashName(String alg) {
        if (alg.endsWith("SHA_256")) {
            return "SHA-256";
        }
        if (alg.endsWith("SHA_384")) {
            return "SHA-384";
        }
        return "SHA-512";
    }

    /** Signs a message (RAW) or a precomputed digest (DIGEST). */
    public byte[] sign(KeyMaterial m, String keySpec, String algorithm, boolean digest, byte[] message) {
        try {
            Signature s = signature(keySpec, algorithm, digest);
            s.initSign(keyPair(m, keySpec.startsWith("RSA_") ? "RSA" : "EC").getPrivate(), RANDOM.get());
            s.update(digest && algorithm.startsWith("RSASSA_PKCS1") ? digestInfo(algorithm, message) : message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new EmulatorException("signing failed", e);
        }
    }

    /** Verifies; false for a signature that does not match or cannot be parsed. */
    public boolean verify(KeyMaterial m, String keySpec, String algorithm, boolean digest, byte[] message,
                          byte[] signature) {
        try {
            Signature s = signature(keySpec, algorithm, digest);
            s.initVerify(keyPair(m, keySpec.startsWith("RSA_") ? "RSA" : "EC").getPublic());
            s.update(digest && algorithm.startsWith("RSASSA_PKCS1") ? digestInfo(algorithm, message) : message);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static Signature signature(String keySpec, String alg, boolean digest) throws GeneralSecurityException {
        String hash = hashName(alg);
        String jcaHash = hash.replace("-", "");
        if (alg.startsWith("RSASSA_PSS")) {
            MGF1ParameterSpec mgf = new MGF1ParameterSpec(hash);
            PSSParameterSpec pss = new PSSParameterSpec(hash, "MGF1", mgf, digestLength(alg), 1);
            Signature s = digest ? Signature.getInstance("NONEwithRSAandMGF1", BC)
                    : Signature.getInstance("RSASSA-PSS");
            s.setParameter(pss);
            return s;
        }
        if (alg.startsWith("RSASSA_PKCS1")) {
            // DIGEST: the DigestInfo is built here and signed with raw PKCS#1 v1.5 padding.
            return Signature.getInstance(digest ? "NONEwithRSA" : jcaHash + "withRSA");
        }
        return Signature.getInstance(digest ? "NONEwithECDSA" : jcaHash + "withECDSA", BC);
    }

    private static byte[] digestInfo(String alg, byte[] digest) {
        // DER prefixes of DigestInfo for SHA-256/384/512 (RFC 8017 §9.2, note 1).
        String prefix = switch (hashName(alg)) {
            case "SHA-256" -> "3031300d060960864801650304020105000420";
            case "SHA-384" -> "3041300d060960864801650304020205000430";
            default -> "3051300d060960864801650304020305000440";
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(HexFormat.of().parseHex(prefix));
        out.writeBytes(digest);
        return out.toByteArray();
    }

    private static KeyPair keyPair(KeyMaterial m, String type) {
        Object cached = m.decodedCache().get();
        if (cached instanceof KeyPair kp) {
            return kp;
        }
        try {
            KeyFactory f = "EC".equals(type) ? KeyFactory.getInstance("EC", BC) : KeyFactory.getInstance("RSA");
            PrivateKey priv = f.generatePrivate(new PKCS8EncodedKeySpec(m.unsafeSecret()));
            PublicKey pub = f.generatePublic(new X509EncodedKeySpec(m.publicKey()));
            KeyPair kp = new KeyPair(pub, priv);
            m.decodedCache().set(kp);
            return kp;
        } catch (GeneralSecurityException e) {
            throw new EmulatorException("stored key material cannot be decoded", e);
        }
    }

    // ---------------------------------------------------------------- HMAC

    public byte[] mac(KeyMaterial m, String macAlgorithm, byte[] message) {
        String jca = "Hmac" + macAlgorithm.substring("HMAC_".length()).replace("_", "");
        try {
            Mac mac = Mac.getInstance(jca);
            mac.init(new SecretKeySpec(m.unsafeSecret(), jca));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new EmulatorException("HMAC failed", e);
        }
    }

    /** Constant-time comparison. */
    public static boolean equalsConstantTime(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    /** SHA-256 hex of bytes (fingerprint of imported material, never the material itself). */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new EmulatorException("SHA-256 unavailable", e);
        }
    }
}
