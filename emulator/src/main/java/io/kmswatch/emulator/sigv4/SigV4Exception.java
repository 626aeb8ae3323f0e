package io.kmswatch.emulator.sigv4;

import java.util.Objects;

/**
 * A request refused by {@link SigV4Verifier}. The message is AWS's wording for the case, so that it can go
 * unchanged into the {@code {"__type": …, "message": …}} error body and the CloudTrail {@code errorMessage}.
 * It never contains a secret access key.
 *
 * <p>All codes answer HTTP 400, as the AWS JSON-protocol services (KMS, CloudTrail, DynamoDB) do for
 * authentication failures; SDKs read the {@code __type} to build their exception.
 */
public final class SigV4Exception extends RuntimeException {

    /** Why a request was refused, with the AWS {@code __type} each maps to. */
    public enum Code {
        /** No Authorization header, or one that is not SigV4. */
        MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationTokenException"),
        /** The Authorization header lacks a part, names an unknown algorithm, or the date is unreadable. */
        INCOMPLETE_SIGNATURE("IncompleteSignatureException"),
        /** The access key id is not known. */
        UNRECOGNIZED_CLIENT("UnrecognizedClientException"),
        /** The signature or the credential scope does not match the request. */
        INVALID_SIGNATURE("InvalidSignatureException"),
        /** The request time is further from the server clock than the allowed skew. */
        SIGNATURE_EXPIRED("InvalidSignatureException");

        private final String awsErrorType;

        Code(String awsErrorType) {
            this.awsErrorType = awsErrorType;
        }

        /** The AWS {@code __type} for this code. */
        public String awsErrorType() {
            return awsErrorType;
        }
    }

    private final Code code;

    /**
     * @param code    why the request was refused; never null
     * @param message AWS's wording; never null
     */
    public SigV4Exception(Code code, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** Why the request was refused. */
    public Code code() {
        return code;
    }

    /** The AWS {@code __type}, e.g. {@code UnrecognizedClientException}. */
    public String awsErrorType() {
        return code.awsErrorType();
    }

    /** The HTTP status to answer with: always 400, as AWS JSON-protocol services do. */
    public int httpStatus() {
        return 400;
    }
}
