package io.kmswatch.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {
    @Test
    void shouldFindMetricNamesButNotFunctionsLabelsOrVariables() {
        String expr = "sum by (job, event_name) (rate(kmswatch_streams_events_total{job=~\"$job\",outcome=\"failure\"}"
                + "[$__rate_interval])) / ignoring(outcome) group_left sum by (job) (job:kmswatch_x:rate5m) > bool 0.5"
                + " or absent(up{job=\"a b\"}) unless on (job) vector(1) offset 5m";
        assertThat(PromQl.metricNames(expr))
                .containsExactly("kmswatch_streams_events_total", "job:kmswatch_x:rate5m", "up");
    }

    @Test
    void shouldFindNamesInMultiLineRuleExpressions() {
        String expr = "min by (job) (kmswatch_streams_keys_soonest_deletion_seconds) - time() < 3 * 86400\n"
                + "and\nkmswatch_a_total";
        assertThat(PromQl.metricNames(expr))
                .containsExactly("kmswatch_streams_keys_soonest_deletion_seconds", "kmswatch_a_total");
    }

    @Test
    void shouldReadSelectorsAndTheirMatchers() {
        var selectors = PromQl.selectors("sum(rate(kmswatch_a_total{job=~\"$job\", sink=\"web{h}ook\"}[5m]))");
        assertThat(selectors).hasSize(1);
        assertThat(selectors.get(0).metric()).isEqualTo("kmswatch_a_total");
        assertThat(selectors.get(0).matchers()).extracting(PromQl.LabelMatcher::label).containsExactly("job", "sink");
    }

    @Test
    void shouldReadRangeFunctionWindows() {
        assertThat(PromQl.rangeFunctionWindows("rate(a{x=\"1\"}[$__rate_interval]) + increase(b[5m])"))
                .extracting(w -> w[0] + " " + w[1])
                .containsExactly("rate $__rate_interval", "increase 5m");
    }
}
