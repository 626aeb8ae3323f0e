package io.kmswatch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards and Prometheus rules of the {@code dashboards} module against the real thing:
 * {@code kmswatch demo} runs as a child process of the built jar, a real Prometheus (Debian's 2.42) scrapes
 * its {@code /metrics} on loopback with both rules files loaded, and after two scrapes every rule must load
 * and evaluate cleanly, every rule expression and panel query (Grafana variables substituted) must parse on
 * the server, every panel query must return data, every metric name the dashboards and rules read must be
 * in {@code /metrics}, and {@code promtool check metrics} must pass on the exposition.
 */
@Tag("system")
class DashboardsIT {
    private static final String JOB = "kmswatch";
    /** Bound on all waits (demo start, first scrapes, rule evaluation, demo incidents), not a speed check. */
    private static final Duration GUARD = Duration.ofSeconds(180);
    private static final Path JAR = Path.of("target/kmswatch.jar").toAbsolutePath();
    private static final Path RESOURCES = Path.of("../dashboards/src/main/resources").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;

    /** One deadline for all polling: the demo's incidents and alerts arrive over its first minutes. */
    private static long deadline;
    private static Process demo;
    private static Process prometheus;
    private static String metricsUrl;
    private static String api;

    record Query(String where, String expr) {
    }

    @BeforeAll
    static void startDemoAndPrometheus() throws Exception {
        assertThat(JAR).as("the application jar (built by `mvn -pl app package`)").exists();
        assertThat(RESOURCES.resolve("dashboards")).as("the dashboards module beside app").isDirectory();

        deadline = System.nanoTime() + GUARD.toNanos();
        int metricsPort = freePort();
        metricsUrl = "http://127.0.0.1:" + metricsPort + "/metrics";
        // --duration: the demo stops by itself even if this JVM dies before @AfterAll
        demo = new ProcessBuilder(javaBinary(), "-Xmx768m", "-jar", JAR.toString(), "demo",
                "--metrics-port", String.valueOf(metricsPort), "--emulator-port", "0", "--duration", "15m",
                "--status-every", "5s")
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("demo.log").toFile()).start();
        await("kmswatch demo serving " + metricsUrl, demo, "demo.log", () -> get(metricsUrl).statusCode() == 200);

        int port = freePort();
        api = "http://127.0.0.1:" + port;
        StringBuilder config = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n");
        for (Path rules : rulesFiles()) {
            config.append("  - ").append(JSON.writeValueAsString(rules.toString())).append('\n');
        }
        config.append("scrape_configs:\n  - job_name: ").append(JOB).append("\n    static_configs:\n")
                .append("      - targets: ['127.0.0.1:").append(metricsPort).append("']\n");
        Path configFile = dir.resolve("prometheus.yml");
        Files.writeString(configFile, config);
        prometheus = new ProcessBuilder(binary("prometheus").toString(), "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("prom-data"), "--web.listen-address=127.0.0.1:" + port,
                "--web.external-url=" + api + "/")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        await("Prometheus ready", prometheus, "prometheus.log", () -> get(api + "/-/ready").statusCode() == 200);
        await("two scrapes of the demo", prometheus, "prometheus.log", () -> {
            JsonNode r = query("count_over_time(up{job=\"" + JOB + "\"}[5m])");
            return r.size() == 1 && r.get(0).path("value").get(1).asDouble() >= 2;
        });
        await("a recording rule evaluated over two scrapes", prometheus, "prometheus.log",
                () -> query("job:kmswatch_streams_events:rate5m").size() > 0);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Process p : new Process[] {prometheus, demo}) {
            if (p != null) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            }
        }
    }

    @Test
    void shouldExposeMetricsThatPassPromtoolCheckMetrics() throws Exception {
        String exposition = get(metricsUrl).body();
        Process p = new ProcessBuilder(binary("promtool").toString(), "check", "metrics")
                .redirectErrorStream(true).start();
        p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("curl /metrics | promtool check metrics:%n%s", out).isZero();
    }

    @Test
    void shouldExposeEveryMetricTheDashboardsAndRulesRead() throws Exception {
        Set<String> recorded = recordedNames();
        List<Query> all = new ArrayList<>(dashboardQueries());
        all.addAll(ruleQueries());
        // some meters appear with their first event (the first alert, say): poll like the panels
        Awaitility.await("every metric the dashboards and rules read").atMost(remaining()).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    Set<String> exposed = new TreeSet<>();
                    for (String line : get(metricsUrl).body().split("\n")) {
                        if (!line.isBlank() && !line.startsWith("#")) {
                            exposed.add(line.split("[{ ]", 2)[0]);
                        }
                    }
                    Map<String, Set<String>> missing = new TreeMap<>();
                    for (Query q : all) {
                        for (String name : metricNames(q.expr())) {
                            if (!exposed.contains(name) && !recorded.contains(name) && !name.equals("up")) {
                                missing.computeIfAbsent(name, n -> new TreeSet<>()).add(q.where());
                            }
                        }
                    }
                    assertThat(missing).as("metric names read by dashboards/rules but not in the demo's /metrics").isEmpty();
                });
    }

    @Test
    void shouldLoadEveryRuleAndEvaluateItWithoutError() throws Exception {
        await("every rule evaluated once", prometheus, "prometheus.log",
                () -> ruleHealth().values().stream().noneMatch("unknown"::equals));
        Map<String, String> health = ruleHealth();
        assertThat(health).hasSize(ruleQueries().size());
        assertThat(health).allSatisfy((rule, h) -> assertThat(h).as(rule).isEqualTo("ok"));
    }

    @Test
    void shouldParseEveryRuleExpressionOnTheServer() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Query q : ruleQueries()) {
            HttpResponse<String> r = get(api + "/api/v1/query?query=" + enc(q.expr()));
            if (r.statusCode() != 200) {
                problems.add(q.where() + ": " + r.body());
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldReturnDataForEveryPanel() throws Exception {
        Map<String, List<String>> panels = new LinkedHashMap<>();
        for (Query q : dashboardQueries()) {
            panels.computeIfAbsent(q.where().substring(0, q.where().lastIndexOf(" target ")), k -> new ArrayList<>())
                    .add(q.expr());
        }
        for (Query q : variableQueries()) {
            panels.put(q.where(), List.of(q.expr()));
        }
        assertThat(panels).hasSizeGreaterThan(30);
        // the demo's incidents arrive over time: poll until every panel has data or the guard runs out
        Awaitility.await("data for every panel").atMost(remaining()).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Map<String, String> problems = new TreeMap<>();
            for (Map.Entry<String, List<String>> panel : panels.entrySet()) {
                boolean data = false;
                List<String> empty = new ArrayList<>();
                for (String raw : panel.getValue()) {
                    String expr = substitute(raw);
                    HttpResponse<String> r = get(api + "/api/v1/query?query=" + enc(expr));
                    if (r.statusCode() != 200) {
                        problems.put(panel.getKey(), "does not parse: " + expr + " -> " + r.body());
                    } else if (JSON.readTree(r.body()).path("data").path("result").isEmpty()) {
                        empty.add(expr);
                    } else {
                        data = true;
                    }
                }
                if (!data && !problems.containsKey(panel.getKey())) {
                    problems.put(panel.getKey(), "no data from " + empty);
                }
            }
            List<String> lines = new ArrayList<>();
            problems.forEach((panel, p) -> lines.add(panel + ": " + p));
            if (problems.values().stream().anyMatch(p -> p.startsWith("does not parse"))) {
                // no amount of waiting fixes a query that does not parse: fail now
                throw new IllegalStateException("queries that do not parse: " + lines);
            }
            assertThat(lines).as("%d panels and variables", panels.size()).isEmpty();
        });
    }

    // ---------------------------------------------------------------- the dashboards module's files

    private static List<Path> list(Path d, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static List<Path> rulesFiles() throws IOException {
        return list(RESOURCES.resolve("prometheus"), ".rules.yml");
    }

    private static List<Query> dashboardQueries() throws IOException {
        List<Query> out = new ArrayList<>();
        for (Path file : list(RESOURCES.resolve("dashboards"), ".json")) {
            List<JsonNode> panels = new ArrayList<>();
            JSON.readTree(file.toFile()).path("panels").forEach(p -> {
                panels.add(p);
                p.path("panels").forEach(panels::add);
            });
            for (JsonNode panel : panels) {
                for (JsonNode t : panel.path("targets")) {
                    out.add(new Query(file.getFileName() + " panel " + panel.path("id").asInt() + " \""
                            + panel.path("title").asText() + "\" target " + t.path("refId").asText(), t.path("expr").asText()));
                }
            }
        }
        return out;
    }

    private static List<Query> variableQueries() throws IOException {
        List<Query> out = new ArrayList<>();
        Pattern labelValues = Pattern.compile("^label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\)$");
        for (Path file : list(RESOURCES.resolve("dashboards"), ".json")) {
            for (JsonNode v : JSON.readTree(file.toFile()).path("templating").path("list")) {
                if ("query".equals(v.path("type").asText())) {
                    String q = v.path("query").isObject() ? v.path("query").path("query").asText() : v.path("query").asText();
                    Matcher m = labelValues.matcher(q.trim());
                    out.add(new Query(file.getFileName() + " variable " + v.path("name").asText(), m.matches() ? m.group(1) : q));
                }
            }
        }
        return out;
    }

    private static List<Query> ruleQueries() throws IOException {
        List<Query> out = new ArrayList<>();
        for (Path file : rulesFiles()) {
            for (JsonNode g : YAML.readTree(file.toFile()).path("groups")) {
                for (JsonNode r : g.path("rules")) {
                    out.add(new Query(file.getFileName() + " " + r.path(r.has("alert") ? "alert" : "record").asText(),
                            r.path("expr").asText()));
                }
            }
        }
        return out;
    }

    private static Set<String> recordedNames() throws IOException {
        Set<String> out = new TreeSet<>();
        for (Path file : rulesFiles()) {
            for (JsonNode g : YAML.readTree(file.toFile()).path("groups")) {
                g.path("rules").forEach(r -> {
                    if (r.has("record")) {
                        out.add(r.path("record").asText());
                    }
                });
            }
        }
        return out;
    }

    private static String substitute(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("${__rate_interval}", "1m")
                .replace("$__interval", "15s").replace("${__interval}", "15s")
                .replace("$__range", "1h").replace("${__range}", "1h")
                .replace("${job:regex}", JOB).replace("${job}", JOB).replace("[[job]]", JOB).replace("$job", JOB);
    }

    /** Metric names an expression reads: strings, matchers, ranges and label lists blanked, functions skipped. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", "{}")
                .replaceAll("\\[[^]]*]", "[]")
                .replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> keywords = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
                "group_left", "group_right", "inf", "nan");
        Set<String> out = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?<![\\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()").matcher(s);
        while (m.find()) {
            if (!keywords.contains(m.group(1).toLowerCase(java.util.Locale.ROOT))) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- plumbing

    private static Map<String, String> ruleHealth() throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode g : JSON.readTree(get(api + "/api/v1/rules").body()).path("data").path("groups")) {
            for (JsonNode r : g.path("rules")) {
                String err = r.path("lastError").asText("");
                out.put(r.path("name").asText(), r.path("health").asText() + (err.isEmpty() ? "" : ": " + err));
            }
        }
        return out;
    }

    private static JsonNode query(String expr) throws Exception {
        HttpResponse<String> r = get(api + "/api/v1/query?query=" + enc(expr));
        assertThat(r.statusCode()).as("%s -> %s", expr, r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("data").path("result");
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void await(String what, Process process, String log, Check check) throws Exception {
        try {
            Awaitility.await(what).atMost(remaining())
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
                    .until(() -> {
                        if (!process.isAlive()) {
                            fail(log + ": process exited with " + process.exitValue() + " while waiting for " + what + ":\n"
                                    + Files.readString(dir.resolve(log)));
                        }
                        return check.ok();
                    });
        } catch (ConditionTimeoutException e) {
            fail("gave up waiting for " + what + "; " + log + ":\n" + Files.readString(dir.resolve(log)), e);
        }
    }

    /** What is left of the one deadline for all polling. */
    private static Duration remaining() {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path binary(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (!d.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        return fail(name + " is not on the PATH. Install it with `apt-get install prometheus` (Debian package"
                + " 'prometheus' has prometheus and promtool); scripts/test installs it on CI.");
    }
}
