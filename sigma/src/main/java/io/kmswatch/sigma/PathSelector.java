package io.kmswatch.sigma;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kmswatch.events.Json;
import io.kmswatch.events.MalformedEventException;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a record's JSON bytes into a tree that holds only what a set of {@link FieldPath}s can reach: the
 * objects along each path (through arrays, which a path crosses without taking a step), the whole value at
 * its end, and the whole value of a key that equals the rest of a dotted name ({@code "a.b": …}). Everything
 * else is skipped by the tokenizer without building nodes or decoding strings, which is several times cheaper
 * than {@code readTree} on CloudTrail records whose request and response bodies no rule reads.
 *
 * <p>For those paths, {@link FieldPath#values} and {@link FieldPath#exists} give on the selected tree exactly
 * what they give on the whole tree: a repeated key keeps its last value, as {@code readTree} does, and a
 * non-container value along a path (which a path cannot go through) is kept as a JSON null. Thread-safe.
 */
final class PathSelector {
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();

    /** What to keep under one key: the whole value, or the value pruned by {@code next}. */
    private static final class Step {
        boolean whole;
        Level next;
    }

    /** The keys one object level keeps. */
    private static final class Level {
        final Map<String, Step> keys = new HashMap<>();

        Step step(String key) {
            return keys.computeIfAbsent(key, k -> new Step());
        }
    }

    private final Level root = new Level();

    /** A selector for the dotted field names (as {@link FieldPath} reads them). */
    PathSelector(Collection<String> fieldNames) {
        for (String name : fieldNames) {
            String[] steps = name.split("\\.", -1);
            Level level = root;
            for (int i = 0; i < steps.length; i++) {
                if (i + 1 < steps.length) {
                    level.step(String.join(".", java.util.Arrays.asList(steps).subList(i, steps.length))).whole = true;
                    Step s = level.step(steps[i]);
                    if (s.next == null) {
                        s.next = new Level();
                    }
                    level = s.next;
                } else {
                    level.step(steps[i]).whole = true;
                }
            }
        }
    }

    /**
     * The pruned tree of a record's bytes.
     *
     * @throws MalformedEventException when the bytes are not a JSON object
     */
    JsonNode select(byte[] json) {
        try (JsonParser p = Json.MAPPER.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedEventException("not a JSON object");
            }
            return object(p, root);
        } catch (IOException e) {
            throw new MalformedEventException("not JSON: " + e.getMessage(), e);
        }
    }

    /** At START_OBJECT: the object's kept keys; leaves the parser at its END_OBJECT. */
    private static ObjectNode object(JsonParser p, Level level) throws IOException {
        ObjectNode o = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            Step s = level.keys.get(key);
            if (s == null) {
                p.skipChildren();
            } else if (s.whole) {
                o.set(key, whole(p, t));
            } else {
                o.set(key, pruned(p, t, s.next));
            }
        }
        return o;
    }

    /** A value along a path: objects and arrays pruned, anything else (which no path goes through) as null. */
    private static JsonNode pruned(JsonParser p, JsonToken t, Level level) throws IOException {
        if (t == JsonToken.START_OBJECT) {
            return object(p, level);
        }
        if (t == JsonToken.START_ARRAY) {
            ArrayNode a = NODES.arrayNode();
            JsonToken e;
            while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                a.add(pruned(p, e, level));
            }
            return a;
        }
        return NullNode.getInstance();
    }

    /** A whole value as {@code readTree} builds it (strings, booleans and null directly; the rest by the mapper). */
    private static JsonNode whole(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> TextNode.valueOf(p.getText());
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.getInstance();
            default -> Json.MAPPER.readTree(p);
        };
    }
}
