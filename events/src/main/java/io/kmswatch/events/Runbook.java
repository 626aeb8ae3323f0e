package io.kmswatch.events;

import java.util.List;
import java.util.Objects;

/**
 * What a responder should check and the exact AWS CLI commands to respond, filled in with the key and
 * region (the guide's incident runbooks).
 *
 * @param checks   questions to answer first, in order; never null
 * @param commands shell commands, one per entry; never null
 */
public record Runbook(List<String> checks, List<String> commands) {
    public Runbook {
        checks = List.copyOf(Objects.requireNonNullElse(checks, List.of()));
        commands = List.copyOf(Objects.requireNonNullElse(commands, List.of()));
    }

    public static Runbook of(List<String> checks, List<String> commands) {
        return new Runbook(checks, commands);
    }

    public static Runbook empty() {
        return new Runbook(List.of(), List.of());
    }
}
