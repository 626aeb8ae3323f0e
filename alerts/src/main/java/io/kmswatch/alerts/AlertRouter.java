package io.kmswatch.alerts;

import io.kmswatch.events.Alert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses an alert's sinks from {@link AlertsConfig}: routes in order (the first match wins unless
 * it says {@code continue}), the default sinks when none matched, then the catch-all sinks; or no
 * sink at all when an active silence matches. Thread-safe and stateless.
 */
public final class AlertRouter {
    /** Attribute set on a silenced alert: the id of the silence. */
    public static final String SILENCED_BY = "silenced_by";

    private final AlertsConfig config;
    private final List<ParsedSilence> silences;

    public AlertRouter(AlertsConfig config) {
        this.config = config;
        List<ParsedSilence> parsed = new ArrayList<>();
        for (int i = 0; i < config.silences().size(); i++) {
            SilenceConfig s = config.silences().get(i);
            parsed.add(new ParsedSilence(s.id() != null ? s.id() : "silence-" + (i + 1), s, s.parsedMatchers()));
        }
        this.silences = List.copyOf(parsed);
    }

    /**
     * The routing decision for an alert at wall-clock time {@code now}.
     *
     * @return the sinks (empty when silenced) and the silence that matched, if any
     */
    public Decision route(Alert alert, Instant now) {
        Optional<String> silence = silencedBy(alert, now);
        if (silence.isPresent()) {
            return new Decision(List.of(), silence.get());
        }
        Set<String> sinks = new LinkedHashSet<>();
        boolean matched = false;
        for (RouteConfig r : config.routes()) {
            if (r.match().matches(alert)) {
                matched = true;
                sinks.addAll(r.sinks());
                if (!r.continueMatching()) {
                    break;
                }
            }
        }
        if (!matched) {
            sinks.addAll(config.defaultSinks());
        }
        sinks.addAll(config.catchAllSinks());
        return new Decision(List.copyOf(sinks), null);
    }

    /** The id of the first active silence matching the alert, if any. */
    public Optional<String> silencedBy(Alert alert, Instant now) {
        if (silences.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> labels = AlertLabels.of(alert);
        for (ParsedSilence s : silences) {
            if (s.config.activeAt(now) && s.matchers.stream().allMatch(m -> m.matches(labels))) {
                return Optional.of(s.id);
            }
        }
        return Optional.empty();
    }

    /**
     * Where an alert goes.
     *
     * @param sinks      sink names, in route order without repeats; empty when silenced
     * @param silencedBy the matching silence's id, or null
     */
    public record Decision(List<String> sinks, String silencedBy) {
        public Decision {
            sinks = List.copyOf(sinks);
        }

        public boolean silenced() {
            return silencedBy != null;
        }
    }

    private record ParsedSilence(String id, SilenceConfig config, List<LabelMatcher> matchers) {
    }
}
