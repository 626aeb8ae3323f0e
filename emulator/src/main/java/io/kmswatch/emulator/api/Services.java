package io.kmswatch.emulator.api;

import io.kmswatch.emulator.Identities;
import io.kmswatch.emulator.crypto.CryptoCore;
import io.kmswatch.emulator.state.KeyIds;
import io.kmswatch.emulator.state.KeyStore;
import io.kmswatch.emulator.trail.CloudTrailEmitter;

import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What handlers work with: the key store, the crypto core, the authorizer, the emulator clock, the principals,
 * the trail emitter (for the service events some operations cause), the pending import parameters and where
 * new key ids come from.
 */
public record Services(KeyStore store, CryptoCore crypto, Authorizer authorizer, Clock clock, Identities identities,
                       String partition, CloudTrailEmitter trail, Map<String, ImportParameters> imports, KeyIds keyIds) {
    public Services {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(crypto, "crypto");
        Objects.requireNonNull(authorizer, "authorizer");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(trail, "trail");
        Objects.requireNonNull(imports, "imports");
        Objects.requireNonNull(keyIds, "keyIds");
    }

    /**
     * Parameters handed out by GetParametersForImport, kept in memory only (a restart invalidates them, as a
     * token expiry would). Keyed by import token (base64).
     */
    public record ImportParameters(String keyArn, String wrappingAlgorithm, PrivateKey wrappingKey, Instant validTo) {
        @Override
        public String toString() {
            return "ImportParameters[" + keyArn + ", " + wrappingAlgorithm + ", validTo=" + validTo + "]";
        }
    }
}
