package io.kmswatch.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A compiled piece of a rule's detection: a search identifier, a field item, or a condition operator. Evaluated
 * against one record's tree; never throws for any record shape.
 */
interface Expr {
    boolean eval(JsonNode record);

    /**
     * Adds the dotted field names this expression reads to {@code out}; false when it reads the whole record (a
     * keyword search), so that a {@link PathSelector} tree of those names cannot serve it.
     */
    boolean fields(Set<String> out);

    /** True when a part tests a field's presence ({@code |exists}), where JSON null and absence differ. */
    default boolean testsPresence() {
        return false;
    }

    /** {@link #testsPresence} of any part. */
    static boolean anyTestsPresence(List<Expr> parts) {
        for (Expr e : parts) {
            if (e.testsPresence()) {
                return true;
            }
        }
        return false;
    }

    /** {@link #fields} of every part. */
    static boolean allFields(List<Expr> parts, Set<String> out) {
        boolean ok = true;
        for (Expr e : parts) {
            ok &= e.fields(out);
        }
        return ok;
    }

    /**
     * The lowercased values {@code field} must have (exactly, case-insensitively) for this expression to be true,
     * or null when it is not constrained: the rule index is built from this.
     */
    default Set<String> required(String field) {
        return null;
    }

    /**
     * Lowercased texts of which the raw JSON of every record this expression is true for contains at least one
     * (ASCII case-insensitively), or null when there is no such set: lets a rule skip parsing a record it
     * cannot match.
     */
    default Set<String> literals() {
        return null;
    }

    /** The union of the parts' literal sets, or null when a part has none. */
    static Set<String> anyOf(List<Expr> parts) {
        Set<String> all = new HashSet<>();
        for (Expr e : parts) {
            Set<String> s = e.literals();
            if (s == null) {
                return null;
            }
            all.addAll(s);
        }
        return all;
    }

    /** An operator over parts: reads what its parts read. */
    interface Composite extends Expr {
        List<Expr> parts();

        @Override
        default boolean testsPresence() {
            return anyTestsPresence(parts());
        }

        @Override
        default boolean fields(Set<String> out) {
            return allFields(parts(), out);
        }
    }

    record And(List<Expr> parts) implements Composite {
        @Override
        public boolean eval(JsonNode r) {
            for (Expr e : parts) {
                if (!e.eval(r)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public Set<String> required(String field) {
            Set<String> best = null;
            for (Expr e : parts) {
                Set<String> s = e.required(field);
                if (s != null) {
                    if (best == null) {
                        best = new HashSet<>(s);
                    } else {
                        best.retainAll(s);
                    }
                }
            }
            return best;
        }

        @Override
        public Set<String> literals() {
            Set<String> best = null;
            int bestScore = -1;
            for (Expr e : parts) {
                Set<String> s = e.literals();
                if (s != null && !s.isEmpty()) {
                    int score = s.stream().mapToInt(String::length).min().orElse(0) * 10 - s.size();
                    if (score > bestScore) {
                        best = s;
                        bestScore = score;
                    }
                }
            }
            return best;
        }
    }

    record Or(List<Expr> parts) implements Composite {
        @Override
        public boolean eval(JsonNode r) {
            for (Expr e : parts) {
                if (e.eval(r)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Set<String> required(String field) {
            Set<String> all = new HashSet<>();
            for (Expr e : parts) {
                Set<String> s = e.required(field);
                if (s == null) {
                    return null;
                }
                all.addAll(s);
            }
            return all;
        }

        @Override
        public Set<String> literals() {
            return anyOf(parts);
        }
    }

    record Not(Expr inner) implements Expr {
        @Override
        public boolean testsPresence() {
            return inner.testsPresence();
        }

        @Override
        public boolean fields(Set<String> out) {
            return inner.fields(out);
        }

        @Override
        public boolean eval(JsonNode r) {
            return !inner.eval(r);
        }
    }

    /** At least {@code n} of the parts ({@code 1 of}); {@code all of} is an {@link And}. */
    record AtLeast(int n, List<Expr> parts) implements Composite {
        @Override
        public boolean eval(JsonNode r) {
            int hits = 0;
            for (Expr e : parts) {
                if (e.eval(r) && ++hits >= n) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Set<String> required(String field) {
            return new Or(parts).required(field);
        }

        @Override
        public Set<String> literals() {
            return anyOf(parts);
        }
    }
}
