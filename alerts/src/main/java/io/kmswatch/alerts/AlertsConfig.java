package io.kmswatch.alerts;

import io.kmswatch.events.config.ConfigYaml;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kmswatch.alerts.sink.SinkConfig;
import io.kmswatch.events.config.EnvSubstitution;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The {@code alerts:} section of the configuration file: suppression, routing, silences, sinks and
 * delivery. Bound with Jackson from YAML after {@code ${ENV}} substitution
 * ({@link EnvSubstitution}); unknown keys are errors, so a typo does not silently drop a route.
 *
 * <pre>
 * alerts:
 *   suppressionWindow: 1h              # repeats of a fingerprint within it fold into one alert
 *   suppressionWindows: {decrypt-spike: 15m}
 *   stateRetention: 30d                # how long an unresolved alert waits for its resolve
 *   routes:
 *     - name: prod-critical
 *       match: {severity: high, keyTags: {env: prod}}
 *       sinks: [pager, slack]
 *       continue: true
 *     - match: {detections: [decrypt-spike]}
 *       sinks: [slack]
 *   defaultSinks: [console]            # the default route: alerts no route matched
 *   catchAllSinks: []                  # added to every alert that is not silenced
 *   silences:
 *     - {id: drill, matchers: ['account="111122223333"'], endsAt: 2026-12-01T00:00:00Z}
 *   sinks:
 *     slack: {type: slack, url: "${SLACK_WEBHOOK_URL}"}
 *     pager: {type: webhook, url: "${PAGER_URL}"}
 *   delivery: {giveUpAfter: 10m, giveUpAfterBySink: {slack: 1h}, maxBackoff: 30s, attemptTimeout: 10s}
 * </pre>
 *
 * A sink named {@code console} need not be declared: it is the default console sink.
 *
 * @param suppressionWindow  default window, positive (default 1 h)
 * @param suppressionWindows per detection id; never null
 * @param stateRetention     positive (default 30 d)
 * @param routes             in order; never null
 * @param defaultSinks       never empty (default {@code [console]})
 * @param catchAllSinks      never null
 * @param silences           never null
 * @param sinks              by name; never null; holds every sink named anywhere above
 * @param delivery           never null
 */
public record AlertsConfig(Duration suppressionWindow, Map<String, Duration> suppressionWindows,
                           Duration stateRetention, List<RouteConfig> routes, List<String> defaultSinks,
                           List<String> catchAllSinks, List<SilenceConfig> silences, Map<String, SinkConfig> sinks,
                           DeliveryConfig delivery) {
    /** The console sink's implicit name. */
    public static final String CONSOLE = "console";

    /** The shared configuration mapper (unknown keys are errors, durations as people write them). */
    private static final ObjectMapper YAML = ConfigYaml.mapper();

    public AlertsConfig {
        suppressionWindow = Objects.requireNonNullElse(suppressionWindow, Duration.ofHours(1));
        suppressionWindows = suppressionWindows == null ? Map.of() : Map.copyOf(suppressionWindows);
        stateRetention = Objects.requireNonNullElse(stateRetention, Duration.ofDays(30));
        routes = routes == null ? List.of() : List.copyOf(routes);
        defaultSinks = defaultSinks == null || defaultSinks.isEmpty() ? List.of(CONSOLE) : List.copyOf(defaultSinks);
        catchAllSinks = catchAllSinks == null ? List.of() : List.copyOf(catchAllSinks);
        silences = silences == null ? List.of() : List.copyOf(silences);
        delivery = Objects.requireNonNullElseGet(delivery, DeliveryConfig::defaultConfig);
        requirePositive("suppressionWindow", suppressionWindow);
        requirePositive("stateRetention", stateRetention);
        suppressionWindows.forEach((d, w) -> requirePositive("suppressionWindows." + d, w));

        Map<String, SinkConfig> all = new LinkedHashMap<>(sinks == null ? Map.of() : sinks);
        all.forEach((name, cfg) -> {
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("sink name '" + name + "' may only hold letters, digits, '.', '_' and '-'");
            }
            Objects.requireNonNull(cfg, "sink '" + name + "' has no settings");
        });
        Set<String> referenced = new LinkedHashSet<>(defaultSinks);
        referenced.addAll(catchAllSinks);
        routes.forEach(r -> referenced.addAll(r.sinks()));
        if (referenced.contains(CONSOLE)) {
            all.putIfAbsent(CONSOLE, SinkConfig.Console.defaultConsole());
        }
        for (String name : referenced) {
            if (!all.containsKey(name)) {
                throw new IllegalArgumentException("sink '" + name + "' is used by a route but not defined under "
                        + "alerts.sinks (defined: " + new TreeSet<>(all.keySet()) + ")");
            }
        }
        sinks = Map.copyOf(all);
        for (String name : delivery.giveUpAfterBySink().keySet()) {
            if (!sinks.containsKey(name)) {
                throw new IllegalArgumentException("delivery.giveUpAfterBySink names sink '" + name
                        + "', which is not defined under alerts.sinks (defined: " + new TreeSet<>(sinks.keySet())
                        + ")");
            }
        }
    }

    /** One console sink, 1 h suppression, no routes and no silences. */
    public static AlertsConfig defaultConfig() {
        return new AlertsConfig(null, null, null, null, null, null, null, null, null);
    }

    /**
     * Binds the {@code alerts:} section of a YAML document after {@code ${ENV}} substitution from
     * the process environment. A document without that section yields {@link #defaultConfig()};
     * other top-level sections are ignored (they belong to other modules).
     *
     * @throws IllegalArgumentException when substitution fails or the section is invalid; the
     *                                  message names the offending key
     */
    public static AlertsConfig fromYaml(String yaml) {
        return fromYaml(yaml, System::getenv);
    }

    /**
     * As {@link #fromYaml(String)}, with the given variable lookup.
     *
     * @throws IllegalArgumentException when substitution fails or the section is invalid
     */
    public static AlertsConfig fromYaml(String yaml, Function<String, String> env) {
        String text = EnvSubstitution.apply(yaml, env);
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("configuration is not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return defaultConfig();
        }
        return fromNode(root.path("alerts"));
    }

    /**
     * Binds an already parsed {@code alerts:} section (substitution already applied); a missing or
     * null node yields {@link #defaultConfig()}.
     *
     * @throws IllegalArgumentException when the section is invalid
     */
    public static AlertsConfig fromNode(JsonNode alertsSection) {
        if (alertsSection == null || alertsSection.isMissingNode() || alertsSection.isNull()) {
            return defaultConfig();
        }
        try {
            return YAML.treeToValue(alertsSection, AlertsConfig.class);
        } catch (JsonProcessingException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root instanceof IllegalArgumentException || root instanceof NullPointerException
                    ? root.getMessage() : e.getOriginalMessage();
            throw new IllegalArgumentException("invalid alerts configuration at "
                    + path(e) + ": " + why, e);
        }
    }

    /**
     * Reads and binds a YAML file.
     *
     * @throws IllegalArgumentException when the file cannot be read or is invalid
     */
    public static AlertsConfig load(Path file) {
        try {
            return fromYaml(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read configuration " + file + ": " + e.getMessage(), e);
        }
    }

    /** The suppression window of a detection. */
    public Duration suppressionWindowFor(String detection) {
        return suppressionWindows.getOrDefault(detection, suppressionWindow);
    }

    /**
     * This configuration with the {@code --sink type=target} shortcuts added as catch-all sinks,
     * named {@code cli-<type>}, {@code cli-<type>-2}, … .
     */
    public AlertsConfig withShortcutSinks(List<SinkSpec> specs) {
        if (specs == null || specs.isEmpty()) {
            return this;
        }
        Map<String, SinkConfig> all = new LinkedHashMap<>(sinks);
        List<String> catchAll = new ArrayList<>(catchAllSinks);
        for (SinkSpec spec : specs) {
            String name = "cli-" + spec.type();
            for (int n = 2; all.containsKey(name); n++) {
                name = "cli-" + spec.type() + "-" + n;
            }
            all.put(name, spec.toSinkConfig());
            catchAll.add(name);
        }
        return new AlertsConfig(suppressionWindow, suppressionWindows, stateRetention, routes, defaultSinks, catchAll,
                silences, all, delivery);
    }

    /** This configuration with other delivery settings. */
    public AlertsConfig withDelivery(DeliveryConfig d) {
        return new AlertsConfig(suppressionWindow, suppressionWindows, stateRetention, routes, defaultSinks,
                catchAllSinks, silences, sinks, d);
    }

    private static void requirePositive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be a positive duration");
        }
    }

    private static String path(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException jm && !jm.getPath().isEmpty()) {
            StringBuilder sb = new StringBuilder("alerts");
            for (var ref : jm.getPath()) {
                sb.append(ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]");
            }
            return sb.toString();
        }
        return "alerts";
    }
}
