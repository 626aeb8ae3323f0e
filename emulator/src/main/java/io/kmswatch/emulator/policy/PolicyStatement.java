package io.kmswatch.emulator.policy;

import java.util.List;
import java.util.Objects;

/**
 * One statement of a {@link PolicyDocument}, with every element normalized to lists.
 *
 * @param sid          the Sid, or null
 * @param effect       Allow or Deny; never null
 * @param principal    the Principal (or NotPrincipal when {@code notPrincipal}); null when the statement has
 *                     neither, as in identity policies
 * @param notPrincipal true when {@code principal} came from NotPrincipal
 * @param actions      Action (or NotAction) patterns, wildcards allowed; never empty
 * @param notAction    true when {@code actions} came from NotAction
 * @param resources    Resource (or NotResource) patterns; never empty
 * @param notResource  true when {@code resources} came from NotResource
 * @param conditions   the Condition block flattened to one clause per operator and key; empty when none
 */
public record PolicyStatement(String sid, Effect effect, PrincipalSpec principal, boolean notPrincipal,
                              List<String> actions, boolean notAction, List<String> resources,
                              boolean notResource, List<ConditionClause> conditions) {

    /** A statement's Effect. */
    public enum Effect { ALLOW, DENY }

    public PolicyStatement {
        Objects.requireNonNull(effect, "effect");
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        conditions = List.copyOf(conditions);
    }

    /** The Sid, or a stand-in naming the statement's position, for decision reasons. */
    String label(int index) {
        return sid != null && !sid.isEmpty() ? "'" + sid + "'" : "#" + (index + 1);
    }
}
