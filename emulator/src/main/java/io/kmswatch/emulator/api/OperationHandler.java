package io.kmswatch.emulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;

/**
 * One KMS operation. Implementations follow local-kms's order: validate → resolve key → check state →
 * authorize → act, and return the response; the dispatcher emits the CloudTrail record (from
 * {@link #requestParameters} and {@link #responseElements}) whether the call succeeded or threw.
 *
 * @param <Q> the request record, bound from the JSON body
 * @param <S> the response record
 */
public interface OperationHandler<Q, S> {
    /** Blob members KMS never logs. */
    Set<String> SECRET_MEMBERS = Set.of("plaintext", "ciphertextBlob", "message", "signature", "mac",
            "encryptedKeyMaterial", "importToken", "grantTokens", "grantToken", "privateKeyPlaintext");

    /** The operation name, the {@code X-Amz-Target} suffix and CloudTrail {@code eventName}. */
    String operation();

    Class<Q> requestType();

    /**
     * Performs the operation.
     *
     * @throws KmsServiceException for every AWS error
     */
    S handle(Q request, CallContext ctx);

    /** CloudTrail {@code readOnly}. */
    default boolean readOnly() {
        return false;
    }

    /**
     * CloudTrail {@code requestParameters}: the request in camelCase without plaintext, ciphertext, signatures,
     * messages or grant tokens.
     */
    default JsonNode requestParameters(Q request) {
        JsonNode tree = ApiJson.TRAIL.valueToTree(request);
        if (tree instanceof ObjectNode o) {
            o.remove(SECRET_MEMBERS);
            return o;
        }
        return null;
    }

    /** CloudTrail {@code responseElements}; null (the default) for crypto and read operations. */
    default JsonNode responseElements(Q request, S response) {
        return null;
    }
}
