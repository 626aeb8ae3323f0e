package io.kmswatch.sigma;

import io.kmswatch.events.CloudTrailEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs a rule set over a finite list of records, as {@code kmswatch rules test} does and as the stream would:
 * the same matching and the same correlation engine, with the records in event-time order (so no grace is needed)
 * and every window closed at the end.
 */
public final class RuleTester {
    private RuleTester() {
    }

    /** One record and the detection rules it matched (in load order; possibly none). */
    public record Match(CloudTrailEvent event, List<SigmaRule> rules) {
        public Match {
            rules = List.copyOf(rules);
        }
    }

    /**
     * What the rules did.
     *
     * @param matches  every record that matched at least one rule, in event-time order
     * @param firings  every correlation firing (alerting or only feeding a chained correlation)
     */
    public record Report(List<Match> matches, List<CorrelationEngine.Firing> firings) {
        public Report {
            matches = List.copyOf(matches);
            firings = List.copyOf(firings);
        }

        /** The ids of the rules and correlations that raised an alert, in first-alert order. */
        public Set<String> alerted() {
            Set<String> ids = new LinkedHashSet<>();
            for (Match m : matches) {
                for (SigmaRule r : m.rules()) {
                    if (r.standalone()) {
                        ids.add(r.info().ruleId());
                    }
                }
            }
            for (CorrelationEngine.Firing f : firings) {
                if (f.alerting()) {
                    ids.add(f.correlation().ruleId());
                }
            }
            return ids;
        }
    }

    public static Report run(RuleSet rules, List<CloudTrailEvent> events) {
        List<CloudTrailEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(CloudTrailEvent::eventTime).thenComparing(CloudTrailEvent::eventId));
        CorrelationEngine engine = new CorrelationEngine(rules, Duration.ZERO);
        InMemoryCorrelationStore store = new InMemoryCorrelationStore();
        List<Match> matches = new ArrayList<>();
        List<CorrelationEngine.Firing> firings = new ArrayList<>();
        long streamTime = Long.MIN_VALUE;
        for (CloudTrailEvent e : sorted) {
            long t = e.eventTime().toEpochMilli();
            streamTime = Math.max(streamTime, t);
            SigmaRecord r = SigmaRecord.of(e);
            List<SigmaRule> hit = rules.match(r);
            if (!hit.isEmpty()) {
                matches.add(new Match(e, hit));
            }
            for (SigmaRule rule : hit) {
                for (CorrelationEngine.Routed routed : engine.route(rule, r.tree(), t, e.eventId())) {
                    firings.addAll(engine.accept(routed.hit(), streamTime, store));
                }
            }
        }
        firings.addAll(engine.advance(Long.MAX_VALUE / 2, store));
        return new Report(matches, firings);
    }
}
