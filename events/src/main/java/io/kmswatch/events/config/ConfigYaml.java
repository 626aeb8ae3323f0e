package io.kmswatch.events.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
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
