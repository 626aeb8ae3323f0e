package io.kmswatch.emulator.policy;

import java.util.Objects;

/**
 * The answer to a {@link PolicyRequest}.
 *
 * <p>For a denial the reason starts with AWS's own phrase for why (for example {@code because no
 * resource-based policy allows the kms:Decrypt action} or {@code with an explicit deny in an identity-based
 * policy}), then {@code "; "} and the detail (which statement, which grant). {@link #accessDeniedMessage}
 * turns it into the message of an {@code AccessDeniedException}.
 *
 * @param effect ALLOW, EXPLICIT_DENY or IMPLICIT_DENY; never null
 * @param reason why, naming the statement or grant that decided; never null
 */
public record PolicyDecision(Effect effect, String reason) {

    /** The outcome: allowed, denied by a Deny statement, or denied because nothing allows. */
    public enum Effect { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY }

    public PolicyDecision {
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(reason, "reason");
    }

    /** True when the request may proceed. */
    public boolean allowed() {
        return effect == Effect.ALLOW;
    }

    /**
     * AWS's AccessDeniedException message for this denial, e.g. {@code User: arn:aws:iam::111122223333:user/bob
     * is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:…:key/… because no resource-based
     * policy allows the kms:Decrypt action}.
     */
    public String accessDeniedMessage(String principalArn, String action, String resourceArn) {
        int detail = reason.indexOf("; ");
        String phrase = detail < 0 ? reason : reason.substring(0, detail);
        return "User: " + principalArn + " is not authorized to perform: " + action + " on resource: "
                + (resourceArn == null ? "*" : resourceArn) + " " + phrase;
    }
}
