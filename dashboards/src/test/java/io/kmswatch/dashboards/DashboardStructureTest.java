package io.kmswatch.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Structural checks of every dashboard, after dashboard-linter's rules: current schema, stable unique
 * uid, unique panel ids, the {@code ${datasource}} variable on every panel and target, units, titles and
 * descriptions, {@code job} matchers and {@code $__rate_interval} windows.
 */
class DashboardStructureTest {
    private static final String DS_VAR = "${datasource}";

    static Stream<Path> dashboards() {
        return ModuleFiles.dashboards().stream();
    }

    @Test
    void shouldShipTheThreeDashboardsWithUniqueUidsAndTitles() {
        Map<String, Path> uids = new HashMap<>();
        Set<String> titles = new HashSet<>();
        for (Path file : ModuleFiles.dashboards()) {
            JsonNode d = ModuleFiles.json(file);
            Path other = uids.put(d.path("uid").asText(), file);
            assertThat(other).as("uid %s of %s is also used by %s", d.path("uid").asText(), file, other).isNull();
            assertThat(titles.add(d.path("title").asText())).as("title of %s is unique", file).isTrue();
        }
        assertThat(uids).containsOnlyKeys("kmswatch-kms-activity", "kmswatch-security-alerts",
                "kmswatch-pipeline-health");
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void shouldUseTheCurrentSchemaWithAStableUid(Path file) {
        JsonNode d = ModuleFiles.json(file);
        assertThat(d.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(39);
        assertThat(d.path("uid").asText()).matches("[a-z0-9-]{1,40}");
        assertThat(d.has("id")).isTrue();
        assertThat(d.path("id").isNull()).as("id is null so Grafana assigns it").isTrue();
        assertThat(d.path("title").asText()).isNotBlank();
        assertThat(d.path("description").asText()).isNotBlank();
        assertThat(d.path("tags").toString()).contains("kmswatch");
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void shouldDeclareThePrometheusDatasourceVariableAndAJobVariable(Path file) {
        JsonNode vars = ModuleFiles.json(file).path("templating").path("list");
        JsonNode ds = find(vars, "datasource");
        assertThat(ds).as("variable 'datasource'").isNotNull();
        assertThat(ds.path("type").asText()).isEqualTo("datasource");
        assertThat(ds.path("query").asText()).isEqualTo("prometheus");
        JsonNode job = find(vars, "job");
        assertThat(job).as("variable 'job'").isNotNull();
        assertThat(job.path("type").asText()).isEqualTo("query");
        assertThat(job.path("datasource").path("uid").asText()).isEqualTo(DS_VAR);
        assertThat(job.path("datasource").path("type").asText()).isEqualTo("prometheus");
        assertThat(job.path("includeAll").asBoolean()).isTrue();
        assertThat(job.path("allValue").asText()).isEqualTo(".*");
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void shouldGiveEveryPanelAUniqueIdLayoutDatasourceUnitAndDescription(Path file) {
        JsonNode d = ModuleFiles.json(file);
        List<String> problems = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        List<JsonNode> all = new ArrayList<>();
        d.path("panels").forEach(p -> {
            all.add(p);
            p.path("panels").forEach(all::add);
        });
        for (JsonNode p : all) {
            String where = "panel " + p.path("id") + " \"" + p.path("title").asText() + "\"";
            if (!p.path("id").isInt() || !ids.add(p.path("id").asInt())) {
                problems.add(where + ": id missing or not unique");
            }
            for (String k : List.of("h", "w", "x", "y")) {
                if (!p.path("gridPos").path(k).isInt()) {
                    problems.add(where + ": gridPos." + k + " missing");
                }
            }
            if (p.path("title").asText().isBlank()) {
                problems.add(where + ": no title");
            }
            if ("row".equals(p.path("type").asText())) {
                continue;
            }
            if (p.path("description").asText().isBlank()) {
                problems.add(where + ": no description");
            }
            if (!isDatasourceVariable(p.path("datasource"))) {
                problems.add(where + ": datasource is not {type: prometheus, uid: ${datasource}}: " + p.path("datasource"));
            }
            if (p.path("fieldConfig").path("defaults").path("unit").asText().isBlank()) {
                problems.add(where + ": fieldConfig.defaults.unit not set");
            }
            JsonNode targets = p.path("targets");
            if (targets.isEmpty()) {
                problems.add(where + ": no targets");
            }
            Set<String> refIds = new HashSet<>();
            for (JsonNode t : targets) {
                if (!refIds.add(t.path("refId").asText()) || t.path("refId").asText().isBlank()) {
                    problems.add(where + ": refId missing or repeated: " + t.path("refId"));
                }
                if (!isDatasourceVariable(t.path("datasource"))) {
                    problems.add(where + " target " + t.path("refId").asText() + ": datasource is not the variable");
                }
                if (t.path("expr").asText().isBlank()) {
                    problems.add(where + " target " + t.path("refId").asText() + ": empty expr");
                }
            }
        }
        assertThat(problems).as(file.getFileName().toString()).isEmpty();
        assertThat(ids).as("panels of %s", file.getFileName()).hasSizeGreaterThan(5);
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void shouldNotOverlapPanels(Path file) {
        List<int[]> boxes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode p : ModuleFiles.json(file).path("panels")) {
            JsonNode g = p.path("gridPos");
            int[] b = {g.path("x").asInt(), g.path("y").asInt(), g.path("w").asInt(), g.path("h").asInt(), p.path("id").asInt()};
            if (b[0] + b[2] > 24) {
                problems.add("panel " + b[4] + " is wider than the 24-column grid");
            }
            for (int[] o : boxes) {
                boolean overlap = b[0] < o[0] + o[2] && o[0] < b[0] + b[2] && b[1] < o[1] + o[3] && o[1] < b[1] + b[3];
                if (overlap) {
                    problems.add("panels " + o[4] + " and " + b[4] + " overlap");
                }
            }
            boxes.add(b);
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void shouldFilterEverySelectorByJobAndUseGrafanaWindowsInRangeFunctions(Path file) {
        List<String> problems = new ArrayList<>();
        for (ModuleFiles.Query q : ModuleFiles.dashboardQueries()) {
            if (!q.where().startsWith(file.getFileName().toString())) {
                continue;
            }
            List<PromQl.Selector> selectors = PromQl.selectors(q.expr());
            boolean allFiltered = selectors.stream().allMatch(s -> s.matchers().stream()
                    .anyMatch(m -> m.label().equals("job") && m.op().equals("=~") && m.value().equals("$job")));
            Set<String> withBraces = new HashSet<>();
            selectors.forEach(s -> withBraces.add(s.metric()));
            if (!allFiltered || !withBraces.containsAll(PromQl.metricNames(q.expr()))) {
                problems.add(q.where() + ": every selector needs job=~\"$job\": " + q.expr());
            }
            for (String[] w : PromQl.rangeFunctionWindows(q.expr())) {
                if (!w[1].equals("$__rate_interval") && !w[1].equals("$__range")) {
                    problems.add(q.where() + ": " + w[0] + "() over [" + w[1] + "], not $__rate_interval or $__range");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    private static boolean isDatasourceVariable(JsonNode ds) {
        return "prometheus".equals(ds.path("type").asText()) && DS_VAR.equals(ds.path("uid").asText());
    }

    private static JsonNode find(JsonNode vars, String name) {
        for (JsonNode v : vars) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        return null;
    }
}
