package io.kmswatch.emulator.sigv4;

import java.util.Optional;

/**
 * Finds the secret access key that belongs to an access key id, so that {@link SigV4Verifier} can
 * recompute a request's signature. Implementations must be thread-safe; the verifier calls them once
 * per request and never keeps, logs or copies the secret anywhere but into the HMAC.
 */
@FunctionalInterface
public interface CredentialLookup {

    /**
     * @param accessKeyId the id taken from the {@code Credential=} part of the Authorization header, never null
     * @return the secret access key, or empty when the id is unknown (the request is then refused with
     *         {@code UnrecognizedClientException})
     */
    Optional<String> secretFor(String accessKeyId);
}
