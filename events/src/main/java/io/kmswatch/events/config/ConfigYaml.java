package io.kmswatch.events.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one way kmswatch binds YAML configuration into records: {@link EnvSubstitution} on the text,
 * then Jackson with java.time, the {@link Durations} syntax, and unknown keys as errors (a typo is
 * reported, not ignored). Validation lives in the records' compact constructors.
 */
public final class ConfigYaml {
    private static final ObjectMapper MAPPER = YAMLMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(Durations.module())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private ConfigYaml() {
    }

    /** The shared, thread-safe configuration mapper. Do not reconfigure. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Binds one configuration file's text as {@code type}: {@link EnvSubstitution} with {@code env}, then the
     * shared mapper.
     *
     * @param env looks up environment variables ({@code System::getenv} in production)
     * @return the bound value, or null for a document with nothing in it (blank, or only comments): the caller
     *         decides what an empty file means, usually its defaults
     * @throws IllegalArgumentException when substitution fails, the text is not YAML, or it does not fit the
     *                                  type; the message names the key and line, never a substituted value
     */
    public static <T> T read(String text, Function<String, String> env, Class<T> type) {
        String substituted = EnvSubstitution.apply(text, env);
        try {
            JsonNode tree = MAPPER.readTree(substituted);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return null;
            }
            return MAPPER.readValue(substituted, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(describe(e, substituted), e);
        }
    }

    private static String describe(JsonProcessingException e, String text) {
        String key = path(e);
        // a mapping error is placed by its key (an error of the whole document has none); a syntax error by the
        // parser's position
        int line = e instanceof JsonMappingException m ? lineOf(text, m.getPath())
                : e.getLocation() == null ? -1 : e.getLocation().getLineNr();
        String where = (key == null ? "" : "key '" + key + "'") + (line < 1 ? "" : (key == null ? "" : " ")
                + "(line " + line + ")");
        String what;
        if (e instanceof UnrecognizedPropertyException) {
            what = "is not a known setting";
        } else if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            what = v.getCause().getMessage();
        } else {
            what = e.getOriginalMessage();
        }
        return where.isEmpty() ? what : where + (e instanceof UnrecognizedPropertyException ? " " : ": ") + what;
    }

    /**
     * The line where the key at {@code path} starts in the text, or -1. Jackson's own location is where the parser
     * stood when it gave up, which for a record is the end of the enclosing mapping, not the key.
     */
    private static int lineOf(String text, List<JsonMappingException.Reference> path) {
        if (path.isEmpty()) {
            return -1;
        }
        try (JsonParser p = MAPPER.createParser(text)) {
            JsonToken t = p.nextToken();
            int line = -1;
            for (JsonMappingException.Reference r : path) {
                boolean found = false;
                if (r.getFieldName() != null && t == JsonToken.START_OBJECT) {
                    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                        if (r.getFieldName().equals(p.currentName())) {
                            line = p.currentTokenLocation().getLineNr();
                            t = p.nextToken();
                            found = true;
                            break;
                        }
                        p.nextToken();
                        p.skipChildren();
                    }
                } else if (r.getFieldName() == null && r.getIndex() >= 0 && t == JsonToken.START_ARRAY) {
                    for (int i = 0; (t = p.nextToken()) != JsonToken.END_ARRAY && t != null; i++) {
                        if (i == r.getIndex()) {
                            line = p.currentTokenLocation().getLineNr();
                            found = true;
                            break;
                        }
                        p.skipChildren();
                    }
                }
                if (!found) {
                    return -1;
                }
            }
            return line;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The dotted path of the key a mapping error is about ({@code alerts.routes[0].sinks}), or null. */
    public static String path(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m) || m.getPath().isEmpty()) {
            return null;
        }
        return m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
