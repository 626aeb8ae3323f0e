package io.kmswatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.alerts.sink.SinkConfig;
import io.kmswatch.events.Alert;
import io.kmswatch.events.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertRouterTest {
    private static final Instant NOW = Instant.parse("2026-11-29T06:00:00Z");
    private static final Map<String, SinkConfig> SINKS = Map.of(
            "pager", new SinkConfig.Kafka("pager"), "slack", new SinkConfig.Kafka("slack"),
            "file", new SinkConfig.Kafka("file"), "audit", new SinkConfig.Kafka("audit"));

    private static RouteConfig route(RouteMatch m, boolean cont, String... sinks) {
        return new RouteConfig(null, m, List.of(sinks), cont);
    }

    private static AlertRouter router(List<RouteConfig> routes, List<String> catchAll, List<SilenceConfig> silences) {
        return new AlertRouter(new AlertsConfig(null, null, null, routes, List.of("file"), catchAll, silences, SINKS, null));
    }

    private static Alert alert(Detections d) {
        return d.alert("id-1", List.of());
    }

    @Test
    void shouldStopAtFirstMatchingRoute() {
        AlertRouter r = router(List.of(
                route(new RouteMatch(List.of("key-*"), null, null, null, null, null), false, "slack"),
                route(RouteMatch.any(), false, "pager")), null, null);

        assertThat(r.route(alert(Detections.fire()), NOW).sinks()).containsExactly("slack");
    }

    @Test
    void shouldContinueToLaterRoutesWhenAsked() {
        AlertRouter r = router(List.of(
                route(new RouteMatch(null, Severity.HIGH, null, null, null, null), true, "pager"),
                route(RouteMatch.any(), false, "slack", "pager")), null, null);

        assertThat(r.route(alert(Detections.fire()), NOW).sinks()).containsExactly("pager", "slack");
    }

    @Test
    void shouldUseDefaultSinksWhenNoRouteMatchesAndAlwaysAddCatchAll() {
        AlertRouter r = router(List.of(route(new RouteMatch(List.of("decrypt-spike"), null, null, null, null, null),
                false, "slack")), List.of("audit"), null);

        assertThat(r.route(alert(Detections.fire()), NOW).sinks()).containsExactly("file", "audit");
        assertThat(r.route(alert(Detections.fire().detection("decrypt-spike")), NOW).sinks())
                .containsExactly("slack", "audit");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "severity at least high matches high      | HIGH | 111122223333 | us-east-1 | prod | true",
            "severity below minimum does not match     | MEDIUM | 111122223333 | us-east-1 | prod | false",
            "other account does not match              | CRITICAL | 444455556666 | us-east-1 | prod | false",
            "other region does not match               | HIGH | 111122223333 | eu-west-1 | prod | false",
            "other tag value does not match            | HIGH | 111122223333 | us-east-1 | dev | false"})
    void shouldMatchOnSeverityAccountRegionAndKeyTag(String name, Severity sev, String account, String region,
                                                    String env, boolean matches) {
        RouteMatch m = new RouteMatch(null, Severity.HIGH, List.of("111122223333"), List.of("us-east-1"),
                Map.of("env", "prod"), null);

        assertThat(m.matches(alert(Detections.fire().severity(sev).account(account).region(region).tag("env", env))))
                .isEqualTo(matches);
    }

    @Test
    void shouldMatchTagPresenceWithStarAndKeyArns() {
        assertThat(new RouteMatch(null, null, null, null, Map.of("team", "*"), null)
                .matches(alert(Detections.fire().tag("team", "payments")))).isTrue();
        assertThat(new RouteMatch(null, null, null, null, Map.of("team", "*"), null)
                .matches(alert(Detections.fire()))).isFalse();
        assertThat(new RouteMatch(null, null, null, null, null, List.of(Detections.OTHER_KEY))
                .matches(alert(Detections.fire()))).isFalse();
    }

    @Test
    void shouldSilenceOnlyWhileActiveAndWhenEveryMatcherHolds() {
        SilenceConfig s = new SilenceConfig("maint", List.of("alertname=\"key-disabled\"", "severity!=\"critical\""),
                NOW.minusSeconds(60), NOW.plusSeconds(60), null, null);
        AlertRouter r = router(List.of(), List.of("audit"), List.of(s));

        AlertRouter.Decision d = r.route(alert(Detections.fire()), NOW);
        assertThat(d.silenced()).isTrue();
        assertThat(d.silencedBy()).isEqualTo("maint");
        assertThat(d.sinks()).isEmpty();
        assertThat(r.route(alert(Detections.fire().severity(Severity.CRITICAL)), NOW).silenced()).isFalse();
        assertThat(r.route(alert(Detections.fire()), NOW.plusSeconds(60)).silenced()).isFalse();
        assertThat(r.route(alert(Detections.fire()), NOW.minusSeconds(61)).silenced()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "key_arn=~\".*:key/1234abcd-.*\" | true",
            "key_arn!~\".*:key/1234abcd-.*\" | false",
            "region=us-east-1 | true",
            "principal=\"\" | false",
            "missing=\"\" | true",
            "tag:env=\"prod\" | true"})
    void shouldEvaluateMatchersLikeAlertmanager(String matcher, boolean matches) {
        assertThat(LabelMatcher.parse(matcher).matches(AlertLabels.of(alert(Detections.fire().tag("env", "prod")))))
                .isEqualTo(matches);
    }
}
