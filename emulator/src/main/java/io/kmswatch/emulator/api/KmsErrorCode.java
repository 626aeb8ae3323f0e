package io.kmswatch.emulator.api;

/**
 * The AWS KMS error codes the emulator returns, each with the {@code __type} string SDKs map to an
 * exception class and the HTTP status AWS uses for it. Client errors are 400; the three faults the service
 * model marks as server errors are 500/503 (see the KMS API reference, "Common Errors").
 */
public enum KmsErrorCode {
    ACCESS_DENIED("AccessDeniedException", 400),
    ALREADY_EXISTS("AlreadyExistsException", 400),
    CONFLICT("ConflictException", 400),
    DEPENDENCY_TIMEOUT("DependencyTimeoutException", 503),
    DISABLED("DisabledException", 400),
    DRY_RUN_OPERATION("DryRunOperationException", 412),
    EXPIRED_IMPORT_TOKEN("ExpiredImportTokenException", 400),
    INCORRECT_KEY("IncorrectKeyException", 400),
    INCORRECT_KEY_MATERIAL("IncorrectKeyMaterialException", 400),
    INVALID_ALIAS_NAME("InvalidAliasNameException", 400),
    INVALID_ARN("InvalidArnException", 400),
    INVALID_CIPHERTEXT("InvalidCiphertextException", 400),
    INVALID_GRANT_ID("InvalidGrantIdException", 400),
    INVALID_GRANT_TOKEN("InvalidGrantTokenException", 400),
    INVALID_IMPORT_TOKEN("InvalidImportTokenException", 400),
    INVALID_KEY_USAGE("InvalidKeyUsageException", 400),
    INVALID_MARKER("InvalidMarkerException", 400),
    KMS_INTERNAL("KMSInternalException", 500),
    KMS_INVALID_MAC("KMSInvalidMacException", 400),
    KMS_INVALID_SIGNATURE("KMSInvalidSignatureException", 400),
    KMS_INVALID_STATE("KMSInvalidStateException", 400),
    KEY_UNAVAILABLE("KeyUnavailableException", 500),
    LIMIT_EXCEEDED("LimitExceededException", 400),
    MALFORMED_POLICY_DOCUMENT("MalformedPolicyDocumentException", 400),
    NOT_FOUND("NotFoundException", 400),
    TAG("TagException", 400),
    UNSUPPORTED_OPERATION("UnsupportedOperationException", 400),
    VALIDATION("ValidationException", 400),
    SERIALIZATION("SerializationException", 400),
    UNKNOWN_OPERATION("UnknownOperationException", 400),
    REQUEST_TOO_LARGE("RequestEntityTooLargeException", 413),
    THROTTLING("ThrottlingException", 400),
    // CloudTrail LookupEvents errors answered on the same port.
    INVALID_LOOKUP_ATTRIBUTES("InvalidLookupAttributesException", 400),
    INVALID_TIME_RANGE("InvalidTimeRangeException", 400),
    INVALID_MAX_RESULTS("InvalidMaxResultsException", 400),
    INVALID_NEXT_TOKEN("InvalidNextTokenException", 400),
    // Authentication failures (SigV4), as the AWS JSON protocol reports them.
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationTokenException", 400),
    INCOMPLETE_SIGNATURE("IncompleteSignatureException", 400),
    UNRECOGNIZED_CLIENT("UnrecognizedClientException", 400),
    INVALID_SIGNATURE("InvalidSignatureException", 400),
    SIGNATURE_EXPIRED("InvalidSignatureException", 400),
    INTERNAL_FAILURE("InternalFailure", 500);

    private final String type;
    private final int httpStatus;

    KmsErrorCode(String type, int httpStatus) {
        this.type = type;
        this.httpStatus = httpStatus;
    }

    /** The {@code __type} string, which is also the CloudTrail {@code errorCode}. */
    public String type() {
        return type;
    }

    /** The HTTP status AWS answers this error with. */
    public int httpStatus() {
        return httpStatus;
    }
}
