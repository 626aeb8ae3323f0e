package io.kmswatch.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules files pass promtool's lint and their unit tests, and every rule has a unit test. */
class PrometheusRulesIT {
    static Stream<Path> rulesFiles() {
        return ModuleFiles.rulesFiles().stream();
    }

    static Path testFileOf(Path rulesFile) {
        String name = rulesFile.getFileName().toString().replace(".rules.yml", ".rules.test.yml");
        return ModuleFiles.RULE_TESTS.resolve(name);
    }

    @Test
    void shouldShipRecordingAndAlertingRules() {
        assertThat(ModuleFiles.rulesFiles()).extracting(p -> p.getFileName().toString())
                .contains("kmswatch-recording.rules.yml", "kmswatch-alerts.rules.yml");
    }

    @ParameterizedTest
    @MethodSource("rulesFiles")
    void shouldPassPromtoolCheckWithFatalLint(Path rulesFile) {
        Promtool.Result r = Promtool.run(ModuleFiles.PROMETHEUS, "check", "rules", "--lint=all", "--lint-fatal",
                rulesFile.toString());
        assertThat(r.exitCode()).as("promtool check rules --lint=all --lint-fatal %s:%n%s", rulesFile, r.output())
                .isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @ParameterizedTest
    @MethodSource("rulesFiles")
    void shouldPassItsPromtoolUnitTests(Path rulesFile) {
        Path tests = testFileOf(rulesFile);
        assertThat(tests).as("unit test file for %s", rulesFile.getFileName()).exists();
        // rule_files in the test file are relative to it, so promtool runs in its directory
        Promtool.Result r = Promtool.run(tests.getParent(), "test", "rules", tests.getFileName().toString());
        assertThat(r.exitCode()).as("promtool test rules %s:%n%s", tests, r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @ParameterizedTest
    @MethodSource("rulesFiles")
    void shouldTestEveryRuleOfTheFile(Path rulesFile) {
        JsonNode tests = ModuleFiles.yaml(testFileOf(rulesFile));
        assertThat(tests.path("rule_files").toString()).contains(rulesFile.getFileName().toString());
        Set<String> firingCases = new HashSet<>();
        Set<String> quietCases = new HashSet<>();
        StringBuilder exprs = new StringBuilder();
        for (JsonNode group : tests.path("tests")) {
            for (JsonNode t : group.path("alert_rule_test")) {
                (t.path("exp_alerts").isEmpty() ? quietCases : firingCases).add(t.path("alertname").asText());
            }
            for (JsonNode t : group.path("promql_expr_test")) {
                exprs.append(t.path("expr").asText()).append('\n');
            }
        }
        for (JsonNode group : ModuleFiles.yaml(rulesFile).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    String alert = rule.path("alert").asText();
                    assertThat(firingCases).as("a case where %s fires", alert).contains(alert);
                    assertThat(quietCases).as("a case where %s stays quiet", alert).contains(alert);
                } else {
                    assertThat(exprs.toString()).as("a promql_expr_test of %s", rule.path("record").asText())
                            .contains(rule.path("record").asText());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("rulesFiles")
    void shouldNameRulesByConventionAndAnnotateAlerts(Path rulesFile) {
        List<String> problems = new ArrayList<>();
        for (JsonNode group : ModuleFiles.yaml(rulesFile).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    String alert = rule.path("alert").asText();
                    if (!alert.matches("Kmswatch[A-Z][A-Za-z0-9]*")) {
                        problems.add(alert + ": alert names are CamelCase starting with Kmswatch");
                    }
                    if (!Set.of("warning", "critical").contains(rule.path("labels").path("severity").asText())) {
                        problems.add(alert + ": severity label must be warning or critical");
                    }
                    for (String a : List.of("summary", "description")) {
                        if (rule.path("annotations").path(a).asText().isBlank()) {
                            problems.add(alert + ": no " + a + " annotation");
                        }
                    }
                } else if (!rule.path("record").asText().matches("[a-z_]+:kmswatch_[a-z0-9_]+:[a-z0-9_]+")) {
                    problems.add(rule.path("record").asText() + ": recording rules are level:metric:operations");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldShipAValidSampleScrapeConfigThatLoadsTheRules() {
        Path config = ModuleFiles.PROMETHEUS.resolve("prometheus.yml");
        Promtool.Result r = Promtool.run(ModuleFiles.PROMETHEUS, "check", "config", config.toString());
        assertThat(r.exitCode()).as("promtool check config:%n%s", r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + ModuleFiles.rulesFiles().size() + " rule files found");
        JsonNode job = ModuleFiles.yaml(config).path("scrape_configs").get(0);
        assertThat(job.path("static_configs").get(0).path("targets").get(0).asText()).isEqualTo("127.0.0.1:9464");
        assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
        assertThat(job.path("job_name").asText()).startsWith("kmswatch");
    }

    @Test
    void shouldHaveNoUnitTestFileWithoutRules() throws Exception {
        try (Stream<Path> s = Files.list(ModuleFiles.RULE_TESTS)) {
            assertThat(s.map(p -> p.getFileName().toString().replace(".rules.test.yml", ".rules.yml")))
                    .allSatisfy(name -> assertThat(ModuleFiles.PROMETHEUS.resolve(name)).exists());
        }
    }
}
