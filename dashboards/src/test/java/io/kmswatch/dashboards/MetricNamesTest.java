package io.kmswatch.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric the dashboards and rules read is one that some module's {@code MeterBinder} registers,
 * checked against a real {@code PrometheusMeterRegistry} scrape of all binders (so the names carry the
 * registry's own {@code _total}, {@code _seconds_count}, {@code _max}… suffixes), and every label a
 * selector matches on exists on that metric.
 */
class MetricNamesTest {
    /** Series Prometheus itself adds to every scrape; not any binder's. */
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up");

    private static String exposition;
    private static Map<String, Set<String>> registered;

    @BeforeAll
    static void scrapeAllBinders() {
        exposition = BinderScrape.scrape();
        registered = BinderScrape.samples(exposition);
    }

    private static List<ModuleFiles.Query> allQueries() {
        List<ModuleFiles.Query> out = new ArrayList<>(ModuleFiles.dashboardQueries());
        out.addAll(ModuleFiles.variableQueries());
        out.addAll(ModuleFiles.ruleQueries());
        return out;
    }

    @Test
    void shouldScrapeTheMetersOfEveryModule() {
        assertThat(registered.keySet()).anyMatch(n -> n.startsWith("kmswatch_ingest_"))
                .anyMatch(n -> n.startsWith("kmswatch_streams_"))
                .anyMatch(n -> n.startsWith("kmswatch_alerts_"))
                .anyMatch(n -> n.startsWith("kmswatch_emulator_"));
    }

    @Test
    void shouldReadOnlyMetricsSomeBinderRegistersOrARuleRecords() {
        Set<String> recorded = new TreeSet<>(ModuleFiles.recordedNames());
        Map<String, Set<String>> unknown = new TreeMap<>();
        for (ModuleFiles.Query q : allQueries()) {
            for (String name : PromQl.metricNames(q.expr())) {
                if (!registered.containsKey(name) && !recorded.contains(name) && !PROMETHEUS_SERIES.contains(name)) {
                    unknown.computeIfAbsent(name, n -> new TreeSet<>()).add(q.where());
                }
            }
        }
        StringBuilder msg = new StringBuilder("metrics no binder registers (name -> where used):\n");
        unknown.forEach((n, where) -> msg.append("  ").append(n).append(" <- ").append(where).append('\n'));
        msg.append("registered: ").append(registered.keySet());
        assertThat(unknown).as(msg.toString()).isEmpty();
    }

    @Test
    void shouldMatchOnlyLabelsTheMetricHas() {
        List<String> problems = new ArrayList<>();
        for (ModuleFiles.Query q : allQueries()) {
            for (PromQl.Selector s : PromQl.selectors(q.expr())) {
                Set<String> labels = registered.get(s.metric());
                if (labels == null) {
                    continue; // recorded, Prometheus' own, or reported by the test above
                }
                for (PromQl.LabelMatcher m : s.matchers()) {
                    if (!Set.of("job", "instance").contains(m.label()) && !labels.contains(m.label())) {
                        problems.add(q.where() + ": " + s.metric() + " has no label " + m.label() + " (has " + labels + ")");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldUseEveryRecordingRuleOrKeepItForAlerts() {
        StringBuilder used = new StringBuilder();
        allQueries().forEach(q -> used.append(q.expr()).append('\n'));
        for (String record : ModuleFiles.recordedNames()) {
            assertThat(used.toString()).as("recording rule %s is read by a dashboard or rule", record).contains(record);
        }
    }

    @Test
    void shouldExposeOneLabelSetPerMetric() {
        // Micrometer accepts one name with different tag keys and exports mixed label sets, which then
        // show up as unlabelled series in `sum by (…)` panels.
        Map<String, Set<Set<String>>> labelSets = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String name = line.substring(0, line.indexOf('{') > 0 ? line.indexOf('{') : line.indexOf(' '));
            Set<String> keys = new TreeSet<>(BinderScrape.samples(line).getOrDefault(name, Set.of()));
            labelSets.computeIfAbsent(name, n -> new java.util.HashSet<>()).add(keys);
        }
        labelSets.values().removeIf(s -> s.size() == 1);
        assertThat(labelSets).as("metrics exported with more than one label-key set").isEmpty();
    }
}
