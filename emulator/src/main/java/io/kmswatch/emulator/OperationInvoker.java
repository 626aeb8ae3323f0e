package io.kmswatch.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.emulator.api.ApiJson;
import io.kmswatch.emulator.api.Blob;
import io.kmswatch.emulator.api.CallContext;
import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.emulator.api.OperationHandler;
import io.kmswatch.emulator.trail.CloudTrailEmitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.reflect.RecordComponent;

/**
 * Runs one authenticated KMS operation: binds the body to the handler's request record, calls the handler, and
 * emits its CloudTrail record(s) whether it succeeded or threw (an unexpected exception is recorded as
 * {@code KMSInternalException}). The {@link Blob} members of request and response (plaintexts, data keys,
 * messages) are zeroed once the answer is serialized.
 */
final class OperationInvoker {
    private static final Logger LOG = LoggerFactory.getLogger(OperationInvoker.class);

    private final CloudTrailEmitter trail;
    OperationInvoker(CloudTrailEmitter trail) {
        this.trail = trail;
    }

    /**
     * Answers the body with the handler.
     *
     * @return the response JSON
     * @throws KmsServiceException the AWS error the handler or the binding raised
     */
    <Q, S> byte[] invoke(OperationHandler<Q, S> handler, CallContext ctx, byte[] body) throws IOException {
        Q request = WireJson.parse(body, handler.requestType());
        S response;
        try {
            response = handler.handle(request, ctx);
        } catch (KmsServiceException e) {
            emit(ctx, handler, request, null, e.type(), e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            emit(ctx, handler, request, null, KmsErrorCode.KMS_INTERNAL.type(), "internal error");
            throw e;
        }
        emit(ctx, handler, request, response, null, null);
        try {
            return ApiJson.WIRE.writeValueAsBytes(response);
        } finally {
            clearBlobs(request);
            clearBlobs(response);
        }
    }

    /** Zeroes the Blob members (plaintexts, data keys, messages) of a request or response record once used. */
    static void clearBlobs(Object record) {
        if (record == null) {
            return;
        }
        for (java.lang.reflect.Method accessor : BLOB_ACCESSORS.get(record.getClass())) {
            try {
                Object v = accessor.invoke(record);
                if (v != null) {
                    ((Blob) v).clear();
                }
            } catch (ReflectiveOperationException e) {
                LOG.debug("cannot clear {}: {}", accessor.getName(), e.toString());
            }
        }
    }

    /**
     * The accessors of each record type's Blob members, found once per type: {@link Class#getRecordComponents()}
     * builds new reflection objects on every call, which cost more than the rest of clearing.
     */
    private static final ClassValue<java.lang.reflect.Method[]> BLOB_ACCESSORS = new ClassValue<>() {
        @Override
        protected java.lang.reflect.Method[] computeValue(Class<?> type) {
            if (!type.isRecord()) {
                return new java.lang.reflect.Method[0];
            }
            return java.util.Arrays.stream(type.getRecordComponents()).filter(c -> c.getType() == Blob.class)
                    .map(RecordComponent::getAccessor).toArray(java.lang.reflect.Method[]::new);
        }
    };

    private <Q, S> void emit(CallContext ctx, OperationHandler<Q, S> handler, Q request, S response,
                             String errorCode, String errorMessage) {
        JsonNode params;
        JsonNode elements = null;
        try {
            params = handler.requestParameters(request);
            if (response != null) {
                elements = handler.responseElements(request, response);
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot render trail parameters of {}: {}", handler.operation(), e.toString());
            params = null;
        }
        trail.emitApiCall(ctx, handler.operation(), handler.readOnly(), params, elements, errorCode, errorMessage);
    }
}
