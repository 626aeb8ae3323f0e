package io.kmswatch.emulator;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.kmswatch.emulator.api.ApiJson;
import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * Reads request bodies for the pipeline. An empty body is {@code {}}, as the SDKs send for operations without
 * members. A body that does not bind is {@code SerializationException} in KMS's words: the member is named, its
 * value never echoed (it may be a plaintext), and no class name or parser position of the emulator shows.
 */
final class WireJson {
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.US_ASCII);

    private WireJson() {
    }

    /**
     * Binds a body to a request record.
     *
     * @throws KmsServiceException SerializationException when it does not bind
     */
    static <Q> Q parse(byte[] body, Class<Q> type) {
        try {
            Q q = ApiJson.WIRE.readValue(body.length == 0 ? EMPTY_OBJECT : body, type);
            if (q == null) {
                throw new KmsServiceException(KmsErrorCode.SERIALIZATION,
                        "Start of structure or map found where not expected.");
            }
            return q;
        } catch (KmsServiceException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new KmsServiceException(KmsErrorCode.SERIALIZATION, serializationMessage(e));
        }
    }

    /**
     * Reads a body that must be a JSON object (CloudTrail's LookupEvents).
     *
     * @throws KmsServiceException SerializationException when it is not one
     */
    static JsonNode parseObject(byte[] body) {
        try {
            JsonNode n = ApiJson.WIRE.readTree(body.length == 0 ? EMPTY_OBJECT : body);
            if (n == null || !n.isObject()) {
                throw new KmsServiceException(KmsErrorCode.SERIALIZATION, "Expected a JSON object.");
            }
            return n;
        } catch (IOException e) {
            throw new KmsServiceException(KmsErrorCode.SERIALIZATION, serializationMessage(e));
        }
    }

    static String serializationMessage(Exception e) {
        if (e instanceof JsonMappingException jme && jme.getCause() instanceof IllegalArgumentException bad
                && !jme.getPath().isEmpty()) {
            // a member that does not convert (a blob that is not base64): name the member, never echo the value
            String member = jme.getPath().get(jme.getPath().size() - 1).getFieldName();
            return "Value at '" + member + "' can not be converted: " + bad.getMessage();
        }
        if (e instanceof MismatchedInputException mie && !mie.getPath().isEmpty() && mie.getTargetType() != null
                && mie.getPath().get(mie.getPath().size() - 1).getFieldName() != null) {
            // a member of the wrong JSON type, in the words KMS uses ("... can not be converted to a String")
            String member = mie.getPath().get(mie.getPath().size() - 1).getFieldName();
            Class<?> t = mie.getTargetType();
            String type = Map.class.isAssignableFrom(t) ? "Map"
                    : Collection.class.isAssignableFrom(t) ? "List" : t.getSimpleName();
            return "Value at '" + member + "' can not be converted to " + type;
        }
        if (e instanceof StreamConstraintsException) {
            return "Malformed request body: JSON nested deeper than the 64 levels accepted";
        }
        // Jackson messages name our classes and positions; keep only the first line, without class names.
        String m = e.getMessage() == null ? "" : e.getMessage().split("\n", 2)[0];
        m = m.replaceAll("`?io\\.kmswatch\\.[\\w.$]+`?", "structure").replaceAll("`?java\\.[\\w.$]+`?", "value");
        return m.isBlank() ? "Malformed request body." : "Malformed request body: " + m;
    }
}
