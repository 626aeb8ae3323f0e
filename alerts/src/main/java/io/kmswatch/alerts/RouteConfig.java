package io.kmswatch.alerts;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * One routing rule: alerts that {@link #match} go to {@link #sinks}. Routes are tried in order; the
 * first that matches wins unless it sets {@code continue: true}, in which case later routes are
 * tried too and their sinks added. When no route matches, {@link AlertsConfig#defaultSinks} apply.
 *
 * @param name             for logs; defaults to {@code route-<n>}
 * @param match            never null ({@link RouteMatch#any()} when omitted)
 * @param sinks            sink names, at least one
 * @param continueMatching YAML {@code continue}
 */
public record RouteConfig(String name, RouteMatch match, List<String> sinks,
                          @JsonProperty("continue") boolean continueMatching) {
    public RouteConfig {
        match = Objects.requireNonNullElseGet(match, RouteMatch::any);
        sinks = sinks == null ? List.of() : List.copyOf(sinks);
        if (sinks.isEmpty()) {
            throw new IllegalArgumentException("route " + (name == null ? "" : "'" + name + "' ")
                    + "names no sinks");
        }
    }
}
