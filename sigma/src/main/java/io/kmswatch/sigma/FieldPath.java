package io.kmswatch.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A Sigma field name as a dotted path into the record ({@code requestParameters.keyId}). A step that meets an
 * array goes into every element, so a path that crosses an array yields one value per element; an array at the
 * end yields its elements. Where an object has the whole remaining dotted name as one key
 * ({@code "a.b": 1}), that key is taken too.
 */
final class FieldPath {
    private final String name;
    private final String[] steps;
    /** {@code joined[i]}: steps i.. joined with dots (made once: looked up at every step of every record). */
    private final String[] joined;

    FieldPath(String name) {
        this.name = name;
        this.steps = name.split("\\.", -1);
        this.joined = new String[steps.length];
        for (int i = 0; i < steps.length; i++) {
            joined[i] = String.join(".", java.util.Arrays.asList(steps).subList(i, steps.length));
        }
    }

    String name() {
        return name;
    }

    /** The values at the path (JSON null included, arrays flattened); empty when the path is absent. */
    List<JsonNode> values(JsonNode record) {
        List<JsonNode> out = new ArrayList<>(1);
        collect(record, 0, out);
        return out;
    }

    /** True when the path is present (with any value, null or empty included). */
    boolean exists(JsonNode record) {
        return present(record, 0);
    }

    private boolean present(JsonNode node, int i) {
        if (i == steps.length) {
            return true;
        }
        if (node.isArray()) {
            for (JsonNode e : node) {
                if (present(e, i)) {
                    return true;
                }
            }
            return false;
        }
        if (!node.isObject()) {
            return false;
        }
        JsonNode next = node.get(steps[i]);
        if (next != null && present(next, i + 1)) {
            return true;
        }
        return i + 1 < steps.length && node.has(joined(i));
    }

    private void collect(JsonNode node, int i, List<JsonNode> out) {
        if (i == steps.length) {
            flatten(node, out);
            return;
        }
        if (node.isArray()) {
            for (JsonNode e : node) {
                collect(e, i, out);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        JsonNode next = node.get(steps[i]);
        if (next != null) {
            collect(next, i + 1, out);
        }
        if (i + 1 < steps.length) {
            JsonNode whole = node.get(joined(i));
            if (whole != null) {
                flatten(whole, out);
            }
        }
    }

    private String joined(int from) {
        return joined[from];
    }

    private static void flatten(JsonNode node, List<JsonNode> out) {
        if (node.isArray()) {
            for (JsonNode e : node) {
                flatten(e, out);
            }
        } else {
            out.add(node);
        }
    }

    /**
     * The text a value is matched as: strings as they are, numbers and booleans as their JSON text
     * ({@code 42}, {@code false}), objects as their compact JSON text; null for JSON null.
     */
    static String text(JsonNode leaf) {
        if (leaf.isTextual()) {
            return leaf.textValue();
        }
        if (leaf.isNull() || leaf.isMissingNode()) {
            return null;
        }
        if (leaf.isValueNode()) {
            return leaf.asText();
        }
        return leaf.toString();
    }

    /** Every leaf value of the record, for keyword searches (object texts are not repeated: only leaves). */
    static void leaves(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            for (JsonNode e : node) {
                leaves(e, out);
            }
        } else {
            out.add(node);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
