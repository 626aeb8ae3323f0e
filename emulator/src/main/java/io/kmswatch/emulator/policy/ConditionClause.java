package io.kmswatch.emulator.policy;

import java.util.List;
import java.util.Objects;

/**
 * One {@code "Operator": {"key": values}} entry of a Condition block. Clauses of a statement are ANDed;
 * the values of one clause are ORed (for negated operators: none may match).
 *
 * @param operator the operator as written, e.g. {@code ForAnyValue:StringLikeIfExists}; never null
 * @param key      the condition key as written, e.g. {@code kms:EncryptionContext:Department}; never null
 * @param values   the values, booleans and numbers rendered as strings; never null
 */
public record ConditionClause(String operator, String key, List<String> values) {
    public ConditionClause {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(key, "key");
        values = List.copyOf(values);
    }
}
