package io.kmswatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.Json;
import io.kmswatch.events.ScenarioLabel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kmswatch demo --duration 90s}, run as a user runs it (the built jar in its own JVM): every
 * incident injected in that time has at least one of its detections on the console, /metrics shows
 * events and alerts, and the command ends by itself with exit code 0.
 */
@Tag("system")
class DemoIT {
    private static final Path JAR = Path.of(System.getProperty("kmswatch.jar", "target/kmswatch.jar")).toAbsolutePath();
    private static final Pattern METRICS = Pattern.compile("metrics\\s+(http://\\S+/metrics)");

    @Test
    void shouldShowAnAlertForEveryInjectedIncidentAndCountEventsAndAlerts(@TempDir Path dir) throws Exception {
        Path labels = dir.resolve("labels.jsonl");
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-jar", JAR.toString(), "demo", "--duration", "90s", "--metrics-port", "0", "--emulator-port", "0",
                "--status-every", "5s", "--labels", labels.toString())
                .redirectError(dir.resolve("demo.err").toFile())
                .start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        List<String> scrapes = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            HttpClient http = HttpClient.newHttpClient();
            String metricsUrl = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    Matcher m = METRICS.matcher(line);
                    if (metricsUrl == null && m.find()) {
                        metricsUrl = m.group(1);
                    }
                    if (line.startsWith("[status]") && metricsUrl != null) {
                        scrapes.add(http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(5)).build(),
                                HttpResponse.BodyHandlers.ofString()).body());
                    }
                }
            } catch (Exception e) {
                lines.add("reader failed: " + e);
            }
        });
        reader.start();

        boolean ended = demo.waitFor(4, TimeUnit.MINUTES);
        if (!ended) {
            demo.destroyForcibly();
        }
        reader.join(10_000);

        assertThat(ended).as("demo ends by itself after --duration").isTrue();
        List<String> err = Files.readAllLines(dir.resolve("demo.err"));
        assertThat(demo.exitValue()).as("exit code; stderr ends with:%n%s",
                String.join("\n", err.subList(Math.max(0, err.size() - 30), err.size()))).isZero();
        assertThat(lines).anyMatch(l -> l.startsWith("kmswatch demo: stopped."));
        List<ScenarioLabel> injected = new ArrayList<>();
        for (String l : Files.readAllLines(labels)) {
            ScenarioLabel label = Json.MAPPER.readValue(l, ScenarioLabel.class);
            if (!label.lookAlike()) {
                injected.add(label);
            }
        }
        assertThat(injected).as("incidents injected in 90 s").isNotEmpty();
        List<String> alerts = lines.stream().filter(l -> l.contains(" FIRING ")).toList();
        for (ScenarioLabel label : injected) {
            assertThat(alerts).as("an alert for " + label.type() + " " + label.expectedDetections())
                    .anyMatch(a -> label.expectedDetections().stream().anyMatch(d -> a.contains(" " + d + " ")));
        }
        assertThat(scrapes).isNotEmpty();
        String last = scrapes.get(scrapes.size() - 1);
        assertThat(counter(last, "kmswatch_ingest_records_produced_total")).isPositive();
        assertThat(counter(last, "kmswatch_alerts_emitted_total")).isPositive();
        assertThat(counter(last, "kmswatch_emulator_requests_total")).isPositive();
        // The inventory read before any traffic: the production account's three AWS managed keys, in the key
        // gauges from the first scrape on.
        assertThat(lines).anyMatch(l -> l.matches("\\s+inventory\\s+3 keys read from the emulator's KMS API into kms-key-inventory.*"));
        assertThat(counter(scrapes.get(0), "kmswatch_streams_keys")).isGreaterThanOrEqualTo(3);
    }

    /** The sum of every series of a counter in a Prometheus text exposition. */
    private static double counter(String exposition, String name) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
