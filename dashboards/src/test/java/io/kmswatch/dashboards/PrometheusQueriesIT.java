package io.kmswatch.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules and dashboards against a real Prometheus (Debian's 2.42): it scrapes every module's binders
 * (served from a JDK {@code HttpServer} on loopback) with both rules files loaded; then every rule must
 * load and evaluate cleanly, every rule expression and panel query (Grafana variables substituted) must
 * parse on the server, and every panel query must return data.
 */
class PrometheusQueriesIT {
    private static final String JOB = "kmswatch";
    /** Bounded waits for Prometheus's first scrapes and rule evaluations (~6 s here), not speed checks. */
    private static final Duration GUARD = Duration.ofSeconds(90);

    @TempDir
    static Path dir;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static HttpServer metrics;
    private static Process prometheus;
    private static String api;

    @BeforeAll
    static void startPrometheusScrapingTheBinders() throws Exception {
        PrometheusMeterRegistry registry = BinderScrape.registry();
        metrics = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        metrics.createContext("/metrics", ex -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        metrics.start();

        int port = freePort();
        api = "http://127.0.0.1:" + port;
        StringBuilder config = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                """);
        for (Path rules : ModuleFiles.rulesFiles()) {
            config.append("  - ").append(ModuleFiles.JSON.writeValueAsString(rules.toString())).append('\n');
        }
        config.append("scrape_configs:\n  - job_name: ").append(JOB).append("\n    static_configs:\n")
                .append("      - targets: ['127.0.0.1:").append(metrics.getAddress().getPort()).append("']\n");
        Path configFile = dir.resolve("prometheus.yml");
        Files.writeString(configFile, config);

        prometheus = new ProcessBuilder(prometheusBinary().toString(), "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--web.external-url=" + api + "/")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();

        await("Prometheus ready", () -> get("/-/ready").statusCode() == 200);
        // two scrapes of the target, then one rule evaluation that can see both
        await("two scrapes of " + JOB, () -> {
            JsonNode r = query("count_over_time(up{job=\"" + JOB + "\"}[5m])");
            return r.size() == 1 && r.get(0).path("value").get(1).asDouble() >= 2;
        });
        await("a recording rule evaluated over two scrapes",
                () -> query("job:kmswatch_streams_events:rate5m").size() > 0);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        if (metrics != null) {
            metrics.stop(0);
        }
    }

    @Test
    void shouldLoadEveryRuleAndEvaluateItWithoutError() throws Exception {
        Set<String> expected = new TreeSet<>();
        ModuleFiles.ruleQueries().forEach(q -> expected.add(q.where().substring(q.where().lastIndexOf(' ') + 1)));
        await("every rule evaluated once", () -> ruleHealth().values().stream().noneMatch("unknown"::equals));
        Map<String, String> health = ruleHealth();
        assertThat(health.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(health).allSatisfy((rule, h) -> assertThat(h).as(rule).isEqualTo("ok"));
    }

    @Test
    void shouldParseEveryRuleExpressionOnTheServer() throws Exception {
        List<String> problems = new ArrayList<>();
        for (ModuleFiles.Query q : ModuleFiles.ruleQueries()) {
            HttpResponse<String> r = get("/api/v1/query?query=" + enc(q.expr()));
            if (r.statusCode() != 200) {
                problems.add(q.where() + ": " + r.body());
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldReturnDataForEveryPanelQuery() throws Exception {
        List<ModuleFiles.Query> queries = new ArrayList<>(ModuleFiles.dashboardQueries());
        queries.addAll(ModuleFiles.variableQueries());
        Set<String> names = new TreeSet<>();
        for (JsonNode n : json(get("/api/v1/label/__name__/values").body()).path("data")) {
            names.add(n.asText());
        }
        List<String> problems = new ArrayList<>();
        for (ModuleFiles.Query q : queries) {
            String expr = ModuleFiles.substitute(q.expr(), JOB);
            HttpResponse<String> r = get("/api/v1/query?query=" + enc(expr));
            if (r.statusCode() != 200) {
                problems.add(q.where() + ": does not parse: " + r.body());
            } else if (json(r.body()).path("data").path("result").isEmpty()) {
                Set<String> missing = new TreeSet<>(PromQl.metricNames(expr));
                missing.removeAll(names);
                problems.add(q.where() + ": no data; names not in Prometheus: " + missing + "; query: " + expr);
            }
        }
        assertThat(problems).as("%d queries", queries.size()).isEmpty();
    }

    private static Map<String, String> ruleHealth() throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode g : json(get("/api/v1/rules").body()).path("data").path("groups")) {
            for (JsonNode r : g.path("rules")) {
                out.put(r.path("name").asText(), r.path("health").asText() + (r.has("lastError")
                        && !r.path("lastError").asText().isEmpty() ? ": " + r.path("lastError").asText() : ""));
            }
        }
        return out;
    }

    private static JsonNode query(String expr) throws Exception {
        HttpResponse<String> r = get("/api/v1/query?query=" + enc(expr));
        assertThat(r.statusCode()).as("%s -> %s", expr, r.body()).isEqualTo(200);
        return json(r.body()).path("data").path("result");
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String body) throws IOException {
        return ModuleFiles.JSON.readTree(body);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        try {
            Awaitility.await(what).atMost(GUARD).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
                    .until(() -> {
                        if (!prometheus.isAlive()) {
                            fail("prometheus exited with " + prometheus.exitValue() + " while waiting for " + what + ":\n"
                                    + Files.readString(dir.resolve("prometheus.log")));
                        }
                        return check.ok();
                    });
        } catch (ConditionTimeoutException e) {
            fail("gave up waiting for " + what + "; prometheus log:\n" + Files.readString(dir.resolve("prometheus.log")), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Path prometheusBinary() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, "prometheus");
            if (!d.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        return fail("prometheus is not on the PATH. Install it with `apt-get install prometheus` (Debian package"
                + " 'prometheus'); scripts/test installs it on CI.");
    }
}
