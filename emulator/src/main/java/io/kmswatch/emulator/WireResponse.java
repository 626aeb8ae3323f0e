package io.kmswatch.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.events.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * An answer as the transport writes it: the status, the request id (header {@code x-amzn-RequestId}), the AWS
 * error type for errors (header {@code x-amzn-ErrorType}, null on success) and the JSON body. An error body is
 * {@code {"__type": …, "message": …}}, the AWS JSON 1.1 error shape. A success body may hold a plaintext or data
 * key: the transport zeroes it once written ({@link #clearBody}).
 */
final class WireResponse {
    private final int status;
    private final String requestId;
    private final String errorType;
    private final byte[] body;

    private WireResponse(int status, String requestId, String errorType, byte[] body) {
        this.status = status;
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.errorType = errorType;
        this.body = Objects.requireNonNull(body, "body");
    }

    /** A 200 with the given body, which this response owns from now on. */
    static WireResponse ok(String requestId, byte[] body) {
        return new WireResponse(200, requestId, null, body);
    }

    /** The error an AWS exception stands for, with its status and {@code __type}. */
    static WireResponse error(String requestId, KmsServiceException e) {
        return error(requestId, e.code().httpStatus(), e.type(), e.getMessage());
    }

    /** An error response; {@code message} null leaves the member out, as AWS does for some errors. */
    static WireResponse error(String requestId, int status, String type, String message) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("__type", type);
        if (message != null) {
            o.put("message", message);
        }
        try {
            return new WireResponse(status, requestId, type, Json.MAPPER.writeValueAsBytes(o));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int status() {
        return status;
    }

    String requestId() {
        return requestId;
    }

    /** The AWS error type, or null for a success. */
    String errorType() {
        return errorType;
    }

    /** The body itself, not a copy: the transport writes it and then clears it. */
    byte[] body() {
        return body;
    }

    void clearBody() {
        Arrays.fill(body, (byte) 0);
    }

    @Override
    public String toString() {
        return "WireResponse[" + status + (errorType == null ? "" : " " + errorType) + ", " + body.length + " bytes]";
    }
}
