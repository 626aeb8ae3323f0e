package io.kmswatch.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CorrelationEngineTest {
    private static final long MIN = 60_000;
    private static final long T0 = 1_700_000_000_000L;

    /** Base rules A, B, C (eventName A, B, C), plus whatever correlation text follows. */
    private static String base() {
        StringBuilder b = new StringBuilder();
        for (String n : List.of("A", "B", "C")) {
            b.append("title: rule ").append(n).append("\nname: rule_").append(n.toLowerCase()).append("\nid: id-")
                    .append(n).append("\nlogsource:\n    product: aws\n    service: cloudtrail\ndetection:\n")
                    .append("    selection:\n        eventName: ").append(n).append("\n    condition: selection\n---\n");
        }
        return b.toString();
    }

    private static final class Run {
        final RuleSet set;
        final CorrelationEngine engine;
        final InMemoryCorrelationStore store = new InMemoryCorrelationStore();
        final List<CorrelationEngine.Firing> firings = new ArrayList<>();
        long streamTime = Long.MIN_VALUE;

        Run(String correlations, Duration grace) {
            set = RuleSet.parse(base() + correlations, "corr.yml", LoadOptions.strict());
            engine = new CorrelationEngine(set, grace);
        }

        Run feed(String eventName, String user, long t, String id) {
            String json = "{\"eventName\": \"" + eventName + "\", \"eventID\": \"" + id + "\""
                    + (user == null ? "" : ", \"userIdentity\": {\"userName\": \"" + user + "\"}")
                    + ", \"n\": " + (t % 1000) + "}";
            var rec = SigmaRecord.of(Rules.record(json));
            streamTime = Math.max(streamTime, t);
            for (SigmaRule r : set.match(rec)) {
                for (var routed : engine.route(r, rec.tree(), t, id)) {
                    firings.addAll(engine.accept(routed.hit(), streamTime, store));
                }
            }
            firings.addAll(engine.advance(streamTime, store));
            return this;
        }

        Run feed(String eventName, long t, String id) {
            return feed(eventName, "alice", t, id);
        }

        List<CorrelationEngine.Firing> flush() {
            firings.addAll(engine.advance(Long.MAX_VALUE / 2, store));
            return alerts();
        }

        List<CorrelationEngine.Firing> alerts() {
            return firings.stream().filter(CorrelationEngine.Firing::alerting).toList();
        }
    }

    private static String correlation(String id, String type, String rules, String extra) {
        return "title: correlation " + id + "\nid: " + id + "\nlevel: high\ncorrelation:\n    type: " + type
                + "\n    rules: [" + rules + "]\n    group-by:\n        - userIdentity.userName\n" + extra;
    }

    @Test
    void shouldFireEventCountOnceWhenTheCountIsReached() {
        Run run = new Run(correlation("c1", "event_count", "rule_a", "    timespan: 10m\n    condition:\n        gte: 3\n"),
                Duration.ZERO);
        run.feed("A", T0, "e1").feed("A", T0 + MIN, "e2");
        assertThat(run.alerts()).isEmpty();
        run.feed("A", T0 + 2 * MIN, "e3").feed("A", T0 + 3 * MIN, "e4");
        assertThat(run.flush()).singleElement().satisfies(f -> {
            assertThat(f.correlation().ruleId()).isEqualTo("c1");
            assertThat(f.eventIds()).containsExactly("e1", "e2", "e3");
            assertThat(f.group()).containsEntry("userIdentity.userName", "alice");
            assertThat(f.aggregate()).isEqualTo(3.0);
        });
    }

    @Test
    void shouldKeepGroupsApartAndLeaveOutEventsWithoutTheGroupByField() {
        Run run = new Run(correlation("c1", "event_count", "rule_a", "    timespan: 10m\n    condition:\n        gte: 2\n"),
                Duration.ZERO);
        run.feed("A", "alice", T0, "e1").feed("A", "bob", T0 + 1, "e2");
        run.feed("A", null, T0 + 2, "e3").feed("A", null, T0 + 3, "e4").feed("A", null, T0 + 4, "e5");
        assertThat(run.alerts()).isEmpty();
        run.feed("A", "bob", T0 + 5, "e6");
        assertThat(run.flush()).singleElement().satisfies(f -> assertThat(f.eventIds()).containsExactly("e2", "e6"));
    }

    @Test
    void shouldFireTemporalOrderedOnceInOrderAndNeverOutOfOrder() {
        String rule = correlation("c1", "temporal_ordered", "rule_a, rule_b, rule_c", "    timespan: 10m\n");
        Run inOrder = new Run(rule, Duration.ZERO);
        inOrder.feed("A", T0, "a").feed("B", T0 + MIN, "b").feed("C", T0 + 2 * MIN, "c").feed("C", T0 + 3 * MIN, "c2");
        assertThat(inOrder.flush()).singleElement()
                .satisfies(f -> assertThat(f.eventIds()).containsExactly("a", "b", "c"));

        Run outOfOrder = new Run(rule, Duration.ZERO);
        outOfOrder.feed("A", T0, "a").feed("C", T0 + MIN, "c").feed("B", T0 + 2 * MIN, "b");
        assertThat(outOfOrder.flush()).isEmpty();
    }

    @Test
    void shouldCountEqualTimesAsOrderedEitherWay() {
        Run run = new Run(correlation("c1", "temporal_ordered", "rule_a, rule_b", "    timespan: 10m\n"), Duration.ZERO);
        run.feed("B", T0, "b").feed("A", T0, "a");
        assertThat(run.flush()).hasSize(1);
    }

    @Test
    void shouldJoinEventsExactlyTimespanApartButNotOneMillisecondMore() {
        String rule = correlation("c1", "temporal", "rule_a, rule_b", "    timespan: 1m\n");
        Run exact = new Run(rule, Duration.ZERO);
        exact.feed("A", T0, "a").feed("B", T0 + MIN, "b");
        assertThat(exact.flush()).hasSize(1);
        Run further = new Run(rule, Duration.ZERO);
        further.feed("A", T0, "a").feed("B", T0 + MIN + 1, "b");
        assertThat(further.flush()).isEmpty();

        String count = correlation("c2", "event_count", "rule_a", "    timespan: 1m\n    condition:\n        gte: 2\n");
        Run exactCount = new Run(count, Duration.ZERO);
        exactCount.feed("A", T0, "a").feed("A", T0 + MIN, "b");
        assertThat(exactCount.flush()).hasSize(1);
        Run furtherCount = new Run(count, Duration.ZERO);
        furtherCount.feed("A", T0, "a").feed("A", T0 + MIN + 1, "b");
        assertThat(furtherCount.flush()).isEmpty();
    }

    @Test
    void shouldGiveTheSameAlertsWhenEventsAreReorderedWithinTheGrace() {
        String rules = correlation("c1", "event_count", "rule_a", "    timespan: 5m\n    condition:\n        gte: 3\n")
                + "---\n" + correlation("c2", "temporal_ordered", "rule_a, rule_b", "    timespan: 2m\n");
        List<Object[]> events = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 60; i++) {
            events.add(new Object[] {random.nextBoolean() ? "A" : "B", T0 + i * 20_000L, "e" + i});
        }
        Run ordered = new Run(rules, Duration.ofMinutes(10));
        events.forEach(e -> ordered.feed((String) e[0], (Long) e[1], (String) e[2]));
        List<String> expected = describe(ordered.flush());
        assertThat(expected).isNotEmpty();
        for (int seed = 0; seed < 5; seed++) {
            // shuffle within blocks of 20 events (400 s of event time < the 10 min grace)
            List<Object[]> shuffled = new ArrayList<>();
            for (int from = 0; from < events.size(); from += 20) {
                List<Object[]> block = new ArrayList<>(events.subList(from, Math.min(events.size(), from + 20)));
                Collections.shuffle(block, new Random(seed));
                shuffled.addAll(block);
            }
            Run run = new Run(rules, Duration.ofMinutes(10));
            shuffled.forEach(e -> run.feed((String) e[0], (Long) e[1], (String) e[2]));
            assertThat(describe(run.flush())).isEqualTo(expected);
            assertThat(run.engine.lateHits()).isZero();
        }
    }

    private static List<String> describe(List<CorrelationEngine.Firing> fs) {
        return fs.stream().map(f -> f.correlation().ruleId() + f.group() + f.firstTime() + "-" + f.lastTime() + f.eventIds())
                .sorted().toList();
    }

    @Test
    void shouldDropAndCountHitsLaterThanTheGrace() {
        Run run = new Run(correlation("c1", "event_count", "rule_a", "    timespan: 1h\n    condition:\n        gte: 2\n"),
                Duration.ofMinutes(1));
        run.feed("A", T0 + 10 * MIN, "e1").feed("A", T0, "late");
        assertThat(run.engine.lateHits()).isEqualTo(1);
        assertThat(run.flush()).isEmpty();
    }

    @Test
    void shouldChainCorrelationsAndAlertOnlyForTheOutermost() {
        String rules = """
                title: failures then success
                id: outer
                level: high
                correlation:
                    type: temporal_ordered
                    rules:
                        - many_a
                        - rule_b
                    group-by:
                        - userIdentity.userName
                    timespan: 10m
                ---
                title: many A
                id: inner
                name: many_a
                correlation:
                    type: event_count
                    rules:
                        - rule_a
                    group-by:
                        - userIdentity.userName
                    timespan: 10m
                    condition:
                        gte: 3
                """;
        Run run = new Run(rules, Duration.ZERO);
        assertThat(run.set.rules()).filteredOn(r -> !r.standalone()).extracting(r -> r.info().id())
                .containsExactly("id-A", "id-B");
        run.feed("A", T0, "a1").feed("A", T0 + 1000, "a2").feed("B", T0 + 1500, "b0").feed("A", T0 + 2000, "a3")
                .feed("B", T0 + 3000, "b1");
        assertThat(run.flush()).singleElement().satisfies(f -> {
            assertThat(f.correlation().ruleId()).isEqualTo("outer");
            assertThat(f.eventIds()).containsExactly("inner@" + T0, "b1");
        });
        assertThat(run.firings).filteredOn(f -> !f.alerting()).extracting(f -> f.correlation().ruleId())
                .containsExactly("inner");
    }

    @Test
    void shouldResolveAliasesPerRule() {
        String rules = """
                title: same address both ways
                id: alias
                correlation:
                    type: temporal
                    rules:
                        - rule_a
                        - rule_b
                    group-by:
                        - who
                    timespan: 5m
                    aliases:
                        who:
                            rule_a: userIdentity.userName
                            rule_b: requestParameters.userName
                """;
        Run run = new Run(rules, Duration.ZERO);
        run.feed("A", "mallory", T0, "a");
        var rec = SigmaRecord.of(Rules.record(
                "{\"eventName\": \"B\", \"eventID\": \"b\", \"requestParameters\": {\"userName\": \"mallory\"}}"));
        for (SigmaRule r : run.set.match(rec)) {
            for (var routed : run.engine.route(r, rec.tree(), T0 + 1000, "b")) {
                run.firings.addAll(run.engine.accept(routed.hit(), T0 + 1000, run.store));
            }
        }
        assertThat(run.flush()).singleElement().satisfies(f -> assertThat(f.group()).containsEntry("who", "mallory"));
    }

    @Test
    void shouldLetReferencedRulesAlertOnTheirOwnOnlyWithGenerate() {
        String without = correlation("c1", "event_count", "rule_a", "    timespan: 10m\n    condition:\n        gte: 3\n");
        RuleSet a = RuleSet.parse(base() + without, "g.yml", LoadOptions.strict());
        assertThat(a.rules()).filteredOn(SigmaRule::standalone).extracting(r -> r.info().id()).containsExactly("id-B", "id-C");
        RuleSet b = RuleSet.parse(base() + without + "    generate: true\n", "g.yml", LoadOptions.strict());
        assertThat(b.rules()).allMatch(SigmaRule::standalone);
    }

    @Test
    void shouldAggregateValuesForTheValueTypes() {
        // n is the event time's milliseconds: 100, 200, 300, 400
        String count = correlation("vc", "value_count", "rule_a", "    timespan: 10m\n    condition:\n        field: eventID\n        gte: 3\n");
        Run vc = new Run(count, Duration.ZERO);
        vc.feed("A", T0 + 100, "x").feed("A", T0 + 200, "x").feed("A", T0 + 300, "y");
        assertThat(vc.alerts()).isEmpty();
        vc.feed("A", T0 + 400, "z");
        assertThat(vc.flush()).singleElement().satisfies(f -> assertThat(f.aggregate()).isEqualTo(3.0));

        Run sum = new Run(correlation("vs", "value_sum", "rule_a",
                "    timespan: 10m\n    condition:\n        field: n\n        gt: 500\n"), Duration.ZERO);
        sum.feed("A", T0 + 100, "1").feed("A", T0 + 200, "2").feed("A", T0 + 300, "3");
        assertThat(sum.flush()).singleElement().satisfies(f -> assertThat(f.aggregate()).isEqualTo(600.0));

        Run avg = new Run(correlation("va", "value_avg", "rule_a",
                "    timespan: 10m\n    condition:\n        field: n\n        gte: 200\n"), Duration.ZERO);
        avg.feed("A", T0 + 100, "1").feed("A", T0 + 200, "2").feed("A", T0 + 400, "3");
        assertThat(avg.flush()).singleElement().satisfies(f -> {
            assertThat(f.aggregate()).isCloseTo(233.3, org.assertj.core.data.Offset.offset(0.1));
            assertThat(f.eventIds()).containsExactly("1", "2", "3");
        });
    }

    @Test
    void shouldUseTheMedianUnlessAPercentileIsGiven() {
        Run median = new Run(correlation("vp", "value_percentile", "rule_a",
                "    timespan: 10m\n    condition:\n        field: n\n        gte: 300\n"), Duration.ZERO);
        median.feed("A", T0 + 100, "1").feed("A", T0 + 300, "2").feed("A", T0 + 900, "3");
        assertThat(median.flush()).singleElement().satisfies(f -> assertThat(f.aggregate()).isEqualTo(300.0));
        Run p90 = new Run(correlation("vp", "value_percentile", "rule_a",
                "    timespan: 10m\n    condition:\n        field: n\n        percentile: 90\n        gte: 900\n"), Duration.ZERO);
        p90.feed("A", T0 + 100, "1").feed("A", T0 + 300, "2");
        assertThat(p90.alerts()).isEmpty();
        p90.feed("A", T0 + 900, "3");
        assertThat(p90.flush()).singleElement().satisfies(f -> assertThat(f.aggregate()).isEqualTo(900.0));
    }

    @Test
    void shouldJudgeUpperBoundsWhenTheWindowIsComplete() {
        Run run = new Run(correlation("lt", "event_count", "rule_a", "    timespan: 10m\n    condition:\n        gte: 2\n        lte: 3\n"),
                Duration.ZERO);
        // the windows starting at a and b hold five and four: too many; the one starting at c holds three;
        // nothing is judged before the window is complete
        run.feed("A", T0, "a").feed("A", T0 + 1, "b").feed("A", T0 + 2, "c").feed("A", T0 + 3, "d");
        run.feed("A", T0 + 5 * MIN, "e");
        assertThat(run.alerts()).isEmpty();
        run.feed("A", T0 + 60 * MIN, "f").feed("A", T0 + 61 * MIN, "g").feed("A", T0 + 200 * MIN, "h");
        assertThat(run.alerts()).extracting(CorrelationEngine.Firing::eventIds)
                .containsExactly(List.of("c", "d", "e"), List.of("f", "g"));
    }

    @Test
    void shouldRefuseBadCorrelations() {
        assertThatThrownBy(() -> RuleSet.parse(base() + correlation("x", "event_count", "nope",
                "    timespan: 10m\n    condition:\n        gte: 1\n"), "c.yml", LoadOptions.strict()))
                .hasMessageContaining("references unknown rule 'nope'");
        assertThatThrownBy(() -> RuleSet.parse(base() + correlation("x", "event_count", "rule_a",
                "    timespan: 10x\n    condition:\n        gte: 1\n"), "c.yml", LoadOptions.strict()))
                .hasMessageContaining("timespan '10x'");
        assertThatThrownBy(() -> RuleSet.parse(base() + correlation("x", "value_count", "rule_a",
                "    timespan: 10m\n    condition:\n        gte: 1\n"), "c.yml", LoadOptions.strict()))
                .hasMessageContaining("needs condition.field");
        assertThatThrownBy(() -> RuleSet.parse(base() + correlation("x", "event_count", "rule_a",
                "    timespan: 10m\n"), "c.yml", LoadOptions.strict()))
                .hasMessageContaining("needs a condition");
        assertThatThrownBy(() -> RuleSet.parse(base() + correlation("x", "sequence", "rule_a",
                "    timespan: 10m\n"), "c.yml", LoadOptions.strict()))
                .hasMessageContaining("correlation type 'sequence'");
        String cycle = "title: one\nid: one\ncorrelation:\n    type: temporal\n    rules: [two, rule_a]\n    group-by: [u]\n"
                + "    timespan: 1m\n---\ntitle: two\nid: two\ncorrelation:\n    type: temporal\n    rules: [one, rule_b]\n"
                + "    group-by: [u]\n    timespan: 1m\n";
        assertThatThrownBy(() -> RuleSet.parse(base() + cycle, "c.yml", LoadOptions.strict())).hasMessageContaining("cycle");
        String notSubset = "title: outer\nid: outer\ncorrelation:\n    type: temporal\n    rules: [inner, rule_b]\n"
                + "    group-by: [host]\n    timespan: 1m\n---\n"
                + correlation("inner", "event_count", "rule_a", "    timespan: 10m\n    condition:\n        gte: 1\n");
        assertThatThrownBy(() -> RuleSet.parse(base() + notSubset, "c.yml", LoadOptions.strict()))
                .hasMessageContaining("group-by 'host' is not among the group-by of correlation 'inner'");
    }
}
