package io.kmswatch.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.kmswatch.events.config.ConfigYaml;
import io.kmswatch.events.config.EnvSubstitution;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads one YAML configuration file into a record tree: {@code ${ENV}} substitution first, then
 * Jackson binding (unknown keys are errors, so a typo is reported instead of ignored), then the
 * records' own validation. Every failure is a {@link ConfigException} naming the file, the key and
 * what was expected, before anything starts.
 */
public final class ConfigFiles {
    private static final ObjectMapper YAML = ConfigYaml.mapper();

    private ConfigFiles() {
    }

    /** The YAML mapper used for configuration, for tests and for sections bound separately. */
    public static ObjectMapper yaml() {
        return YAML;
    }

    /**
     * Reads {@code file} as {@code type}.
     *
     * @throws ConfigException when the file is missing, not YAML, or does not fit the type
     */
    public static <T> T load(Path file, Class<T> type) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the configuration file: " + e.getMessage(), e);
        }
        return parse(text, file.toString(), type);
    }

    /** Binds YAML text; {@code source} names it in messages. */
    public static <T> T parse(String text, String source, Class<T> type) {
        String substituted;
        try {
            substituted = EnvSubstitution.apply(text);
        } catch (RuntimeException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
        if (substituted.isBlank()) {
            substituted = "{}";
        }
        try {
            return YAML.readValue(substituted, type);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": " + describe(e), e);
        }
    }

    static String describe(JsonProcessingException e) {
        String key = ConfigYaml.path(e);
        String line = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : " — expected one of " + u.getKnownPropertyIds();
            return "key '" + key + "'" + line + " is not a known setting" + known;
        }
        if (e instanceof InvalidFormatException f) {
            String m = f.getOriginalMessage();
            int colon = m.lastIndexOf(": ");
            String detail = colon > 0 && m.startsWith("Cannot deserialize") ? " (" + m.substring(colon + 2) + ")" : "";
            return "key '" + key + "'" + line + ": '" + f.getValue() + "' is not a valid "
                    + f.getTargetType().getSimpleName() + detail;
        }
        if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause() == null ? v : v.getCause();
            return (key == null ? "" : "key '" + key + "'" + line + ": ") + cause.getMessage();
        }
        if (e instanceof MismatchedInputException m) {
            return "key '" + key + "'" + line + ": expected " + (m.getTargetType() == null ? "another type"
                    : "a " + m.getTargetType().getSimpleName()) ;
        }
        if (key != null) {
            return "key '" + key + "'" + line + ": " + e.getOriginalMessage();
        }
        return "not valid YAML" + line + ": " + e.getOriginalMessage();
    }
}
