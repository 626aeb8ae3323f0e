package io.kmswatch.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every dashboard query parses as PromQL. Prometheus 2.42's promtool has no expression check of its own,
 * so the queries (Grafana variables substituted) become recording rules of a generated file that
 * {@code promtool check rules} parses.
 */
class DashboardQueriesIT {
    @TempDir
    Path dir;

    @Test
    void shouldParseEveryPanelQueryAndVariableQueryWithPromtool() throws IOException {
        List<ModuleFiles.Query> queries = new ArrayList<>(ModuleFiles.dashboardQueries());
        queries.addAll(ModuleFiles.variableQueries());
        assertThat(queries).hasSizeGreaterThan(30);

        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        for (int i = 0; i < queries.size(); i++) {
            ModuleFiles.Query q = queries.get(i);
            assertThat(q.expr()).as(q.where()).isNotBlank();
            String expr = ModuleFiles.substitute(q.expr(), ".*");
            assertThat(expr).as("%s: a Grafana variable was left after substitution", q.where()).doesNotContain("$");
            rules.append("      # ").append(q.where().replace('\n', ' ')).append('\n')
                    .append("      - record: dashboard_query:q").append(i).append(":check\n")
                    .append("        expr: ").append(ModuleFiles.JSON.writeValueAsString(expr)).append('\n');
        }
        Path file = dir.resolve("dashboard-queries.rules.yml");
        Files.writeString(file, rules, StandardCharsets.UTF_8);

        Promtool.Result r = Promtool.run(dir, "check", "rules", file.toString());
        assertThat(r.exitCode()).as("promtool check rules on the dashboards' queries:%n%s%n%s", r.output(), rules)
                .isZero();
        assertThat(r.output()).contains("SUCCESS: " + queries.size() + " rules found");
    }

    @Test
    void shouldRejectABrokenQueryTheSameWay() throws IOException {
        // the generated-file route really parses: a broken expression makes promtool fail
        Path file = dir.resolve("broken.rules.yml");
        Files.writeString(file, "groups:\n  - name: x\n    rules:\n      - record: a:b:c\n"
                + "        expr: \"sum by (job (rate(x[1m]))\"\n");
        Promtool.Result r = Promtool.run(dir, "check", "rules", file.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("parse error");
    }
}
