package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.Blob;
import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.emulator.api.Validation;
import io.kmswatch.emulator.crypto.CryptoCore;
import io.kmswatch.emulator.state.KmsKey;

import java.util.List;

/** Sign/Verify request rules: message size, message type, algorithm valid for the key spec, digest length. */
final class Signatures {
    private Signatures() {
    }

    /** @return true for MessageType DIGEST */
    static boolean check(KmsKey key, Blob message, String messageType, String algorithm, String operation) {
        Validation.requiredBlob(message, "message", 1, 4096);
        Validation.oneOf(messageType, "messageType", List.of("RAW", "DIGEST", "EXTERNAL_MU"));
        Validation.required(algorithm, "signingAlgorithm");
        Validation.oneOf(algorithm, "signingAlgorithm", Keys.SIGNING_ALGORITHMS);
        key.requireUsage("SIGN_VERIFY", operation);
        if (!CryptoCore.signingAlgorithms(key.keySpec()).contains(algorithm)) {
            throw new KmsServiceException(KmsErrorCode.INVALID_KEY_USAGE, "Algorithm " + algorithm
                    + " is incompatible with key spec " + key.keySpec() + ".");
        }
        if ("EXTERNAL_MU".equals(messageType)) {
            throw new KmsServiceException(KmsErrorCode.UNSUPPORTED_OPERATION,
                    "MessageType EXTERNAL_MU is only valid for ML-DSA keys.");
        }
        boolean digest = "DIGEST".equals(messageType);
        if (digest && message.length() != CryptoCore.digestLength(algorithm)) {
            throw KmsServiceException.validation("Digest is invalid length for algorithm " + algorithm + ".");
        }
        return digest;
    }
}
