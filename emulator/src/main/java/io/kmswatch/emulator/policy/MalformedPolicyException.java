package io.kmswatch.emulator.policy;

/**
 * A policy document that AWS would refuse with {@code MalformedPolicyDocumentException}: not JSON, a missing
 * or unknown element, a bad Effect, an invalid principal. The message follows AWS's wording (for example
 * "Policy contains a statement with one or more invalid principals.") so it can be returned unchanged.
 */
public final class MalformedPolicyException extends RuntimeException {

    /** @param message what is wrong, in AWS's words; never null */
    public MalformedPolicyException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, in AWS's words; never null
     * @param cause   the parse error behind it
     */
    public MalformedPolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
