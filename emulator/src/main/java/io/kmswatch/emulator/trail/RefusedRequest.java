package io.kmswatch.emulator.trail;

import io.kmswatch.emulator.api.Caller;

import java.time.Instant;
import java.util.Objects;

/**
 * A KMS request refused before any operation ran: unsigned, badly signed, signed outside the allowed clock skew,
 * signed with an unknown access key, or sent through an AWS service by a principal not allowed to. Nothing of
 * its body is kept: a refused body is untrusted and may hold a plaintext.
 *
 * @param eventName   the operation the request named ({@code Decrypt}), or {@code unknown}; never null
 * @param readOnly    whether that operation only reads
 * @param caller      the principal owning the claimed access key, or null when the key is unknown or none was
 *                    claimed; a refused request only claims this identity, it did not prove it
 * @param accessKeyId the claimed access key id, or null
 * @param recipientAccountId the account whose trail receives the record; never null
 * @param region      the region of the claimed credential scope, else the emulator's; never null
 * @param sourceIp    the client address; never null
 * @param userAgent   as sent, or null
 * @param hostHeader  as sent, or null
 * @param requestId   the id the error response carries; never null
 * @param time        emulator time of arrival; never null
 * @param errorCode   the AWS {@code __type} answered ({@code InvalidSignatureException}); never null
 * @param errorMessage the message answered, with a quoted credential that is not an access key scope redacted
 *                    (see {@code ClaimedCredential#redact}); never null
 */
public record RefusedRequest(String eventName, boolean readOnly, Caller caller, String accessKeyId,
                             String recipientAccountId, String region, String sourceIp, String userAgent,
                             String hostHeader, String requestId, Instant time, String errorCode,
                             String errorMessage) {
    public RefusedRequest {
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(recipientAccountId, "recipientAccountId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(sourceIp, "sourceIp");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(errorMessage, "errorMessage");
    }
}
