package io.kmswatch.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pruned tree a {@link PathSelector} reads gives every selected path the values and presence the whole tree
 * gives: on random records with arrays, nested arrays, dotted keys, repeated keys, nulls and scalars in the way.
 */
class PathSelectorProperties {
    private static final String[] KEYS = {"a", "b", "c", "a.b", "b.c", "a.b.c"};
    private static final List<String> PATHS = List.of("a", "b", "a.b", "a.b.c", "b.c", "c.a.b", "a.c");

    @Property(tries = 2000)
    void shouldGiveTheSelectedPathsWhatTheWholeTreeGives(@ForAll long seed) throws Exception {
        Random random = new Random(seed);
        String json = object(random, 0);
        JsonNode whole = Json.MAPPER.readTree(json);
        List<String> selected = new java.util.ArrayList<>(PATHS);
        java.util.Collections.shuffle(selected, random);
        selected = selected.subList(0, 1 + random.nextInt(PATHS.size()));
        JsonNode pruned = new PathSelector(selected).select(json.getBytes(StandardCharsets.UTF_8));
        for (String name : selected) {
            FieldPath path = new FieldPath(name);
            assertThat(path.values(pruned).toString()).as(name + " in " + json).isEqualTo(path.values(whole).toString());
            assertThat(path.exists(pruned)).as(name + " exists in " + json).isEqualTo(path.exists(whole));
        }
    }

    private static String object(Random r, int depth) {
        StringBuilder b = new StringBuilder("{");
        int n = r.nextInt(depth == 0 ? 5 : 4);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append('"').append(KEYS[r.nextInt(KEYS.length)]).append("\":").append(value(r, depth + 1));
        }
        return b.append('}').toString();
    }

    private static String value(Random r, int depth) {
        int kind = r.nextInt(depth > 4 ? 4 : 7);
        return switch (kind) {
            case 0 -> "\"v" + r.nextInt(3) + "\"";
            case 1 -> Integer.toString(r.nextInt(5) - 2);
            case 2 -> r.nextBoolean() ? "true" : "null";
            case 3 -> r.nextInt(3) == 0 ? "1.5e3" : "\"\"";
            case 4, 5 -> object(r, depth);
            default -> {
                StringBuilder b = new StringBuilder("[");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    b.append(value(r, depth + 1));
                }
                yield b.append(']').toString();
            }
        };
    }
}
