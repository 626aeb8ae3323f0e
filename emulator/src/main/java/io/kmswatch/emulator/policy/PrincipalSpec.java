package io.kmswatch.emulator.policy;

import java.util.List;
import java.util.Map;

/**
 * A Principal or NotPrincipal element: either {@code "*"} (everyone) or a map from principal type
 * ({@code AWS}, {@code Service}, {@code Federated}, {@code CanonicalUser}) to its values.
 *
 * @param anyone true for {@code "Principal": "*"}
 * @param byType principal type to values; empty when {@code anyone}
 */
public record PrincipalSpec(boolean anyone, Map<String, List<String>> byType) {
    public PrincipalSpec {
        byType = Map.copyOf(byType);
    }

    /** The values listed under one type, e.g. {@code AWS}; empty when none. */
    public List<String> values(String type) {
        return byType.getOrDefault(type, List.of());
    }
}
