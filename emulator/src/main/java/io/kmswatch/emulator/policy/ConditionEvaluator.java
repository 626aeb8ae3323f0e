package io.kmswatch.emulator.policy;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * Evaluates a statement's Condition block against the request context, following the IAM
 * <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html">condition
 * operators</a> reference:
 *
 * <ul>
 *   <li>clauses are ANDed; the values of one clause are ORed; a negated operator ({@code StringNotEquals},
 *       {@code NotIpAddress}, {@code ArnNotLike}, …) holds when the context value matches none of them;</li>
 *   <li>a key missing from the context makes a positive operator false and a negated one true; {@code …IfExists}
 *       makes any operator true on a missing key; {@code Null} tests presence;</li>
 *   <li>{@code ForAllValues:} holds when every context value satisfies the operator (and on a missing or
 *       empty key); {@code ForAnyValue:} when at least one does (and is false on a missing key); without a
 *       prefix a multi-valued key holds when any of its values does (for negated operators: none matches);</li>
 *   <li>policy variables {@code ${key}} in String and Arn values are replaced by the context value; an
 *       unresolvable variable matches nothing.</li>
 * </ul>
 *
 * An operator this class does not know yields {@link Outcome#UNSUPPORTED}: the evaluator treats it as
 * holding in a Deny (fail closed) and as not holding in an Allow.
 */
final class ConditionEvaluator {

    /** The result of a condition block. */
    enum Outcome { TRUE, FALSE, UNSUPPORTED }

    private enum Qualifier { NONE, FOR_ANY_VALUE, FOR_ALL_VALUES }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("(?=.*:)[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    /** An operator: the positive test of one context value against one policy value, and whether it is negated. */
    private record Operator(BiPredicate<String, String> test, boolean negated, boolean variables) {
    }

    private static final Map<String, Operator> OPERATORS = Map.ofEntries(
            op("StringEquals", String::equals, false, true),
            op("StringNotEquals", String::equals, true, true),
            op("StringEqualsIgnoreCase", String::equalsIgnoreCase, false, true),
            op("StringNotEqualsIgnoreCase", String::equalsIgnoreCase, true, true),
            op("StringLike", (ctx, pol) -> Wildcards.matches(pol, ctx), false, true),
            op("StringNotLike", (ctx, pol) -> Wildcards.matches(pol, ctx), true, true),
            op("NumericEquals", (ctx, pol) -> compareNumbers(ctx, pol) == 0, false, false),
            op("NumericNotEquals", (ctx, pol) -> compareNumbers(ctx, pol) == 0, true, false),
            op("NumericLessThan", (ctx, pol) -> compareNumbers(ctx, pol) == -1, false, false),
            op("NumericLessThanEquals", (ctx, pol) -> within(compareNumbers(ctx, pol), -1, 0), false, false),
            op("NumericGreaterThan", (ctx, pol) -> compareNumbers(ctx, pol) == 1, false, false),
            op("NumericGreaterThanEquals", (ctx, pol) -> within(compareNumbers(ctx, pol), 0, 1), false, false),
            op("DateEquals", (ctx, pol) -> compareDates(ctx, pol) == 0, false, false),
            op("DateNotEquals", (ctx, pol) -> compareDates(ctx, pol) == 0, true, false),
            op("DateLessThan", (ctx, pol) -> compareDates(ctx, pol) == -1, false, false),
            op("DateLessThanEquals", (ctx, pol) -> within(compareDates(ctx, pol), -1, 0), false, false),
            op("DateGreaterThan", (ctx, pol) -> compareDates(ctx, pol) == 1, false, false),
            op("DateGreaterThanEquals", (ctx, pol) -> within(compareDates(ctx, pol), 0, 1), false, false),
            op("Bool", String::equalsIgnoreCase, false, false),
            op("BinaryEquals", String::equals, false, false),
            op("IpAddress", ConditionEvaluator::inCidr, false, false),
            op("NotIpAddress", ConditionEvaluator::inCidr, true, false),
            op("ArnEquals", ConditionEvaluator::arnLike, false, true),
            op("ArnLike", ConditionEvaluator::arnLike, false, true),
            op("ArnNotEquals", ConditionEvaluator::arnLike, true, true),
            op("ArnNotLike", ConditionEvaluator::arnLike, true, true));

    private ConditionEvaluator() {
    }

    private static Map.Entry<String, Operator> op(String name, BiPredicate<String, String> test, boolean negated,
                                                  boolean variables) {
        return Map.entry(name.toLowerCase(Locale.ROOT), new Operator(test, negated, variables));
    }

    /**
     * @param clauses the statement's conditions
     * @param context condition key (lower case) to values
     */
    static Outcome evaluate(List<ConditionClause> clauses, Map<String, List<String>> context) {
        boolean unsupported = false;
        for (ConditionClause clause : clauses) {
            Outcome outcome = clause(clause, context);
            if (outcome == Outcome.FALSE) {
                return Outcome.FALSE;
            }
            unsupported |= outcome == Outcome.UNSUPPORTED;
        }
        return unsupported ? Outcome.UNSUPPORTED : Outcome.TRUE;
    }

    private static Outcome clause(ConditionClause clause, Map<String, List<String>> context) {
        String name = clause.operator();
        Qualifier qualifier = Qualifier.NONE;
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("foranyvalue:")) {
            qualifier = Qualifier.FOR_ANY_VALUE;
            lower = lower.substring("foranyvalue:".length());
        } else if (lower.startsWith("forallvalues:")) {
            qualifier = Qualifier.FOR_ALL_VALUES;
            lower = lower.substring("forallvalues:".length());
        }
        List<String> values = context.get(clause.key().toLowerCase(Locale.ROOT));
        boolean present = values != null && !values.isEmpty();

        if (lower.equals("null")) {
            if (qualifier != Qualifier.NONE) {
                return Outcome.UNSUPPORTED;
            }
            for (String expected : clause.values()) {
                if (expected.equalsIgnoreCase("true") ? !present : expected.equalsIgnoreCase("false") && present) {
                    return Outcome.TRUE;
                }
            }
            return Outcome.FALSE;
        }
        boolean ifExists = lower.endsWith("ifexists");
        if (ifExists) {
            lower = lower.substring(0, lower.length() - "ifexists".length());
        }
        Operator operator = OPERATORS.get(lower);
        if (operator == null) {
            return Outcome.UNSUPPORTED;
        }
        if (!present) {
            if (ifExists || qualifier == Qualifier.FOR_ALL_VALUES) {
                return Outcome.TRUE;
            }
            if (qualifier == Qualifier.FOR_ANY_VALUE) {
                return Outcome.FALSE;
            }
            return operator.negated() ? Outcome.TRUE : Outcome.FALSE;
        }
        List<String> policyValues = operator.variables() ? substitute(clause.values(), context) : clause.values();
        boolean result = switch (qualifier) {
            case NONE -> {
                boolean anyMatch = false;
                for (String v : values) {
                    anyMatch |= matchesAny(operator, v, policyValues);
                }
                yield operator.negated() != anyMatch;
            }
            case FOR_ANY_VALUE -> {
                boolean any = false;
                for (String v : values) {
                    any |= operator.negated() != matchesAny(operator, v, policyValues);
                }
                yield any;
            }
            case FOR_ALL_VALUES -> {
                boolean all = true;
                for (String v : values) {
                    all &= operator.negated() != matchesAny(operator, v, policyValues);
                }
                yield all;
            }
        };
        return result ? Outcome.TRUE : Outcome.FALSE;
    }

    private static boolean matchesAny(Operator operator, String contextValue, List<String> policyValues) {
        for (String policyValue : policyValues) {
            if (contextValue != null && operator.test().test(contextValue, policyValue)) {
                return true;
            }
        }
        return false;
    }

    /** Replaces {@code ${key}} with the context value; values whose variable cannot be resolved are dropped. */
    private static List<String> substitute(List<String> values, Map<String, List<String>> context) {
        List<String> out = new ArrayList<>(values.size());
        for (String value : values) {
            String resolved = substitute(value, context);
            if (resolved != null) {
                out.add(resolved);
            }
        }
        return out;
    }

    private static String substitute(String value, Map<String, List<String>> context) {
        int start = value.indexOf("${");
        if (start < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (start >= 0) {
            int end = value.indexOf('}', start);
            if (end < 0) {
                break;
            }
            out.append(value, i, start);
            String name = value.substring(start + 2, end).strip();
            switch (name) {
                case "*", "?", "$" -> out.append(name);
                default -> {
                    List<String> resolved = context.get(name.toLowerCase(Locale.ROOT));
                    if (resolved == null || resolved.size() != 1) {
                        return null;
                    }
                    out.append(resolved.get(0));
                }
            }
            i = end + 1;
            start = value.indexOf("${", i);
        }
        out.append(value.substring(i));
        return out.toString();
    }

    private static boolean within(int comparison, int low, int high) {
        return comparison != Integer.MIN_VALUE && comparison >= low && comparison <= high;
    }

    /** -1, 0 or 1; {@link Integer#MIN_VALUE} when either side is not a number. */
    private static int compareNumbers(String ctx, String pol) {
        try {
            return Integer.signum(new BigDecimal(ctx.strip()).compareTo(new BigDecimal(pol.strip())));
        } catch (NumberFormatException e) {
            return Integer.MIN_VALUE;
        }
    }

    private static int compareDates(String ctx, String pol) {
        Instant a = instant(ctx);
        Instant b = instant(pol);
        return a == null || b == null ? Integer.MIN_VALUE : Integer.signum(a.compareTo(b));
    }

    private static Instant instant(String value) {
        String v = value.strip();
        try {
            if (v.matches("-?\\d+(\\.\\d+)?")) {
                return Instant.ofEpochMilli(new BigDecimal(v).movePointRight(3).longValue());
            }
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }

    /** ArnLike/ArnEquals: the six colon-separated parts compared one by one, wildcards allowed in each. */
    private static boolean arnLike(String ctx, String pol) {
        String[] c = ctx.split(":", 6);
        String[] p = pol.split(":", 6);
        if (c.length != 6 || p.length != 6) {
            return pol.equals("*") || Wildcards.matches(pol, ctx);
        }
        for (int i = 0; i < 6; i++) {
            if (!Wildcards.matches(p[i], c[i])) {
                return false;
            }
        }
        return true;
    }

    /** Whether the context IP lies in the policy CIDR (or equals the policy IP); v4 and v6, never a DNS lookup. */
    static boolean inCidr(String ctx, String pol) {
        String cidr = pol.strip();
        int slash = cidr.indexOf('/');
        byte[] network = literal(slash < 0 ? cidr : cidr.substring(0, slash));
        byte[] address = literal(ctx.strip());
        if (network == null || address == null || network.length != address.length) {
            return false;
        }
        int bits;
        try {
            bits = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (bits < 0 || bits > network.length * 8) {
            return false;
        }
        for (int i = 0; i < network.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((network[i] & mask) != (address[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The address bytes of an IP literal, or null when the text is not one (host names are never resolved). */
    private static byte[] literal(String text) {
        if (IPV4.matcher(text).matches()) {
            String[] parts = text.split("\\.");
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                int part = Integer.parseInt(parts[i]);
                if (part > 255) {
                    return null;
                }
                out[i] = (byte) part;
            }
            return out;
        }
        if (IPV6.matcher(text).matches()) {
            try {
                // Only hex digits, colons and dots reach here, so InetAddress parses a literal and never does DNS.
                byte[] bytes = InetAddress.getByName(text).getAddress();
                return bytes.length == 16 ? bytes : null;
            } catch (UnknownHostException | IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }
}
