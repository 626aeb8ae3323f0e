package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.emulator.api.Validation;
import io.kmswatch.emulator.crypto.CryptoCore;
import io.kmswatch.emulator.state.KmsKey;

import java.util.List;
import java.util.Map;

/** Shared rules of GenerateDataKey* and GenerateDataKeyPair*. */
final class DataKeys {
    private DataKeys() {
    }

    /**
     * Exactly one of KeySpec (AES_128 = 16 bytes, AES_256 = 32) or NumberOfBytes (1–1024).
     *
     * @return the data key length
     */
    static int length(String keySpec, Integer numberOfBytes) {
        Validation.oneOf(keySpec, "keySpec", List.of("AES_256", "AES_128"));
        Validation.range(numberOfBytes, "numberOfBytes", 1, 1024);
        if ((keySpec == null) == (numberOfBytes == null)) {
            throw KmsServiceException.validation("Please specify either KeySpec or NumberOfBytes, but not both.");
        }
        return numberOfBytes != null ? numberOfBytes : "AES_256".equals(keySpec) ? 32 : 16;
    }

    /** Resolves, state-checks and authorizes the symmetric key a data key is generated under. */
    static KmsKey key(CallContext ctx, String keyId, Map<String, String> context, List<String> grantTokens,
                      String operation) {
        Validation.requireKeyId(keyId, "keyId");
        Validation.grantTokens(grantTokens);
        Validation.encryptionContext(context, "encryptionContext");
        KmsKey key = ctx.resolveKey(keyId);
        key.requireStateFor(operation);
        key.requireSymmetric(operation);
        ctx.authorize(key, "kms:" + operation, context);
        return key;
    }

    static void checkPairSpec(String keyPairSpec) {
        Validation.required(keyPairSpec, "keyPairSpec");
        Validation.oneOf(keyPairSpec, "keyPairSpec", Keys.DATA_KEY_PAIR_SPECS);
        if (keyPairSpec.equals("SM2") || keyPairSpec.equals("ECC_NIST_EDWARDS25519")) {
            throw new KmsServiceException(KmsErrorCode.UNSUPPORTED_OPERATION,
                    keyPairSpec + " is not supported by this emulator.");
        }
    }

    static byte[] random(int n) {
        return CryptoCore.randomBytes(n);
    }
}
