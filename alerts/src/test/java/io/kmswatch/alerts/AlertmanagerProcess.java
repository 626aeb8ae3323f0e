package io.kmswatch.alerts;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Prometheus Alertmanager (Debian package {@code prometheus-alertmanager}, binary
 * {@code prometheus-alertmanager} on PATH) on a free loopback port, with its own config and
 * storage in a temporary directory and clustering off. Started by the test, stopped by its PID.
 */
final class AlertmanagerProcess implements AutoCloseable {
    /** Debian names the binary prometheus-alertmanager; upstream tarballs call it alertmanager. */
    static final List<String> NAMES = List.of("prometheus-alertmanager", "alertmanager");

    private final Process process;
    private final int port;
    private final Path log;

    private AlertmanagerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts with a route to a webhook receiver at {@code hook}, and waits for {@code /-/ready}. */
    static AlertmanagerProcess start(Path dir, URI hook) throws IOException, InterruptedException {
        String binary = binary().orElseThrow(() -> new IllegalStateException("no " + NAMES + " on PATH: install the "
                + "Debian package prometheus-alertmanager (scripts/test does)"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, """
                route:
                  receiver: hook
                  group_by: ['alertname', 'alert_id']
                  group_wait: 1s
                  group_interval: 2s
                  repeat_interval: 1h
                receivers:
                  - name: hook
                    webhook_configs:
                      - url: %s
                        send_resolved: true
                """.formatted(hook));
        Path data = Files.createDirectories(dir.resolve("am-data"));
        Path log = dir.resolve("alertmanager.log");
        Process p = new ProcessBuilder(binary, "--config.file=" + config, "--storage.path=" + data,
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=",
                "--web.external-url=http://127.0.0.1:" + port + "/")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AlertmanagerProcess am = new AlertmanagerProcess(p, port, log);
        HttpClient client = HttpClient.newHttpClient();
        try {
            Awaitility.await("Alertmanager ready").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
                    .until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException("Alertmanager exited: " + Files.readString(log));
                        }
                        return client.send(HttpRequest.newBuilder(am.url("/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                                HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                    });
            return am;
        } catch (ConditionTimeoutException | IllegalStateException e) {
            am.close();
            throw new IllegalStateException("Alertmanager did not become ready: " + Files.readString(log), e);
        }
    }

    private static Optional<String> binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            for (String name : NAMES) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p.toString());
                }
            }
        }
        return Optional.empty();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
