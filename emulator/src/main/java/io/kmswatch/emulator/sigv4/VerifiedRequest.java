package io.kmswatch.emulator.sigv4;

import java.time.Instant;
import java.util.Objects;

/**
 * What a valid SigV4 signature proves: who signed the request, for which region and service, and when.
 *
 * @param accessKeyId the caller's access key id; never null
 * @param region      the region of the credential scope, e.g. {@code us-east-1}; never null
 * @param service     the service of the credential scope: {@code kms} or {@code cloudtrail}; never null
 * @param signedAt    the request time from {@code X-Amz-Date} (or {@code Date}); never null
 */
public record VerifiedRequest(String accessKeyId, String region, String service, Instant signedAt) {
    public VerifiedRequest {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(signedAt, "signedAt");
    }
}
