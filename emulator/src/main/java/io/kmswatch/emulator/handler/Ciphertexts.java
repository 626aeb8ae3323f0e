package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.Blob;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.emulator.api.Validation;
import io.kmswatch.emulator.crypto.CiphertextBlob;
import io.kmswatch.emulator.crypto.CryptoCore;
import io.kmswatch.emulator.crypto.InvalidCiphertextException;
import io.kmswatch.emulator.state.KmsKey;

import java.util.Map;

/**
 * Encrypting with and opening ciphertexts for Encrypt, Decrypt, ReEncrypt and GenerateDataKey*, with the
 * key-state, key-usage and algorithm rules of the API reference.
 */
final class Ciphertexts {
    private Ciphertexts() {
    }

    /** What Decrypt recovered. The caller clears {@code plaintext}. */
    record Opened(KmsKey key, byte[] plaintext, String algorithm, String materialId) {
        @Override
        public String toString() {
            return "Opened[" + key.arn() + "]";
        }
    }

    /**
     * Opens a ciphertext: symmetric blobs name their key (a given {@code keyId} must name the same key, else
     * IncorrectKeyException); asymmetric ciphertexts need {@code keyId} and an RSAES algorithm.
     */
    static Opened open(CallContext ctx, Blob blob, String keyId, Map<String, String> context, String algorithm,
                       String operation, String action, String keyMember) {
        Validation.oneOf(algorithm, "encryptionAlgorithm", Keys.ENCRYPTION_ALGORITHMS);
        Validation.encryptionContext(context, "encryptionContext");
        KmsKey requested = keyId == null ? null : ctx.resolveKey(keyId, keyMember, true);
        if (requested != null && requested.isAsymmetric()) {
            requested.requireStateFor(operation);
            requested.requireUsage("ENCRYPT_DECRYPT", "Decrypt");
            if (algorithm == null || !algorithm.startsWith("RSAES")) {
                throw new KmsServiceException(KmsErrorCode.INVALID_KEY_USAGE, requested.arn()
                        + " requires an RSAES_OAEP encryption algorithm for this operation.");
            }
            if (context != null && !context.isEmpty()) {
                throw KmsServiceException.validation("EncryptionContext is not supported with asymmetric keys.");
            }
            ctx.authorize(requested, action);
            byte[] pt = ctx.services().crypto().rsaDecrypt(requested.currentMaterial(), algorithm, blob.unsafeBytes());
            return new Opened(requested, pt, algorithm, requested.currentMaterial().materialId());
        }
        if (requested != null) {
            if (requested.isHmac() || !"ENCRYPT_DECRYPT".equals(requested.keyUsage())) {
                throw new KmsServiceException(KmsErrorCode.INVALID_KEY_USAGE, requested.arn() + " key usage is "
                        + requested.keyUsage() + " which is not valid for Decrypt.");
            }
        }
        if (algorithm != null && !"SYMMETRIC_DEFAULT".equals(algorithm)) {
            throw new InvalidCiphertextException();
        }
        CiphertextBlob parsed = CiphertextBlob.parse(blob.unsafeBytes());
        String arn = KmsKey.arn(ctx.partition(), ctx.region(), parsed.accountId(), parsed.keyId());
        if (requested != null && !requested.arn().equals(arn)) {
            throw new KmsServiceException(KmsErrorCode.INCORRECT_KEY,
                    "The key ID in the request does not identify a KMS key that can perform this operation.");
        }
        KmsKey key = ctx.services().store().key(arn).orElseThrow(InvalidCiphertextException::new);
        ctx.addResource(key);
        key.requireStateFor(operation);
        ctx.authorize(key, action, context);
        byte[] pt = ctx.services().crypto().decryptSymmetric(parsed, key, context);
        var m = key.material(parsed.materialVersion());
        return new Opened(key, pt, "SYMMETRIC_DEFAULT", m.materialId());
    }

    /** Seals a plaintext under a key (symmetric blob, or RSA OAEP for RSA keys). */
    static byte[] seal(CallContext ctx, KmsKey key, byte[] plaintext, Map<String, String> context, String algorithm,
                       String operation) {
        key.requireUsage("ENCRYPT_DECRYPT", operation);
        if (key.isAsymmetric()) {
            if (algorithm == null || !algorithm.startsWith("RSAES")) {
                throw new KmsServiceException(KmsErrorCode.INVALID_KEY_USAGE, key.arn()
                        + " requires an RSAES_OAEP encryption algorithm for " + operation + ".");
            }
            if (context != null && !context.isEmpty()) {
                throw KmsServiceException.validation("EncryptionContext is not supported with asymmetric keys.");
            }
            int max = CryptoCore.maxOaepPlaintext(key.keySpec(), algorithm);
            if (plaintext.length > max) {
                throw KmsServiceException.validation("Plaintext is too long for " + algorithm + " with "
                        + key.keySpec() + ": at most " + max + " bytes.");
            }
            return ctx.services().crypto().rsaEncrypt(key.currentMaterial(), algorithm, plaintext);
        }
        if (algorithm != null && !"SYMMETRIC_DEFAULT".equals(algorithm)) {
            throw new KmsServiceException(KmsErrorCode.INVALID_KEY_USAGE, key.arn()
                    + " key spec is SYMMETRIC_DEFAULT which is not valid for " + algorithm + ".");
        }
        ctx.putAdditional("keyMaterialId", key.currentMaterial().materialId());
        return ctx.services().crypto().encryptSymmetric(key, plaintext, context);
    }
}
