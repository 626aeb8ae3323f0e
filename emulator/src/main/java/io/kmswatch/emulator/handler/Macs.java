package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.emulator.crypto.CryptoCore;
import io.kmswatch.emulator.state.KmsKey;

/** The MAC algorithm must match the HMAC key spec (HMAC_256 key with HMAC_SHA_256, …). */
final class Macs {
    private Macs() {
    }

    static void checkAlgorithm(KmsKey key, String macAlgorithm) {
        if (!CryptoCore.macAlgorithm(key.keySpec()).equals(macAlgorithm)) {
            throw new KmsServiceException(KmsErrorCode.INVALID_KEY_USAGE, "Algorithm " + macAlgorithm
                    + " is incompatible with key spec " + key.keySpec() + ".");
        }
    }
}
