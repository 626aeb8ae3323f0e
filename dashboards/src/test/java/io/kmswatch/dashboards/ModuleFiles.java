package io.kmswatch.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The module's source files as the tests read them (surefire runs in the module directory), and the
 * expressions they hold: every dashboard target and every rule.
 */
final class ModuleFiles {
    static final Path RESOURCES = Path.of("src/main/resources").toAbsolutePath();
    static final Path DASHBOARDS = RESOURCES.resolve("dashboards");
    static final Path PROVISIONING = RESOURCES.resolve("provisioning");
    static final Path PROMETHEUS = RESOURCES.resolve("prometheus");
    static final Path RULE_TESTS = Path.of("src/test/resources/prometheus").toAbsolutePath();

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ModuleFiles() {
    }

    static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> dashboards() {
        return list(DASHBOARDS, ".json");
    }

    static List<Path> rulesFiles() {
        return list(PROMETHEUS, ".rules.yml");
    }

    static JsonNode json(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + p, e);
        }
    }

    static JsonNode yaml(Path p) {
        try {
            return YAML.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + p, e);
        }
    }

    /** A PromQL expression and where it came from (for failure messages). */
    record Query(String where, String expr) {
    }

    /** Every non-row panel of a dashboard, nested panels of collapsed rows included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            if ("row".equals(p.path("type").asText())) {
                p.path("panels").forEach(out::add);
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /** Every target expression of every dashboard, Grafana variables as written. */
    static List<Query> dashboardQueries() {
        List<Query> out = new ArrayList<>();
        for (Path file : dashboards()) {
            JsonNode d = json(file);
            for (JsonNode panel : panels(d)) {
                for (JsonNode t : panel.path("targets")) {
                    out.add(new Query(file.getFileName() + " panel " + panel.path("id").asInt() + " \""
                            + panel.path("title").asText() + "\" target " + t.path("refId").asText(),
                            t.path("expr").asText()));
                }
            }
        }
        return out;
    }

    /** The selector inside each query variable's {@code label_values(selector, label)}, as a query. */
    static List<Query> variableQueries() {
        List<Query> out = new ArrayList<>();
        for (Path file : dashboards()) {
            for (JsonNode v : json(file).path("templating").path("list")) {
                if ("query".equals(v.path("type").asText())) {
                    String q = v.path("query").isObject() ? v.path("query").path("query").asText() : v.path("query").asText();
                    java.util.regex.Matcher m = java.util.regex.Pattern
                            .compile("^label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\)$").matcher(q.trim());
                    out.add(new Query(file.getFileName() + " variable " + v.path("name").asText(),
                            m.matches() ? m.group(1) : q));
                }
            }
        }
        return out;
    }

    /** Every rule expression of every rules file. */
    static List<Query> ruleQueries() {
        List<Query> out = new ArrayList<>();
        for (Path file : rulesFiles()) {
            for (JsonNode group : yaml(file).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    String name = rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText();
                    out.add(new Query(file.getFileName() + " rule " + name, rule.path("expr").asText()));
                }
            }
        }
        return out;
    }

    /** Names the recording rules define. */
    static List<String> recordedNames() {
        List<String> out = new ArrayList<>();
        for (Path file : rulesFiles()) {
            for (JsonNode group : yaml(file).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.has("record")) {
                        out.add(rule.path("record").asText());
                    }
                }
            }
        }
        return out;
    }

    /**
     * Replaces Grafana's variables with values Prometheus accepts: the interval variables by durations,
     * {@code $job} (any spelling) by the given regex.
     */
    static String substitute(String expr, String job) {
        return expr.replace("$__rate_interval", "1m")
                .replace("${__rate_interval}", "1m")
                .replace("$__interval", "15s")
                .replace("${__interval}", "15s")
                .replace("$__range", "1h")
                .replace("${__range}", "1h")
                .replace("${job:regex}", job)
                .replace("${job}", job)
                .replace("[[job]]", job)
                .replace("$job", job);
    }
}
